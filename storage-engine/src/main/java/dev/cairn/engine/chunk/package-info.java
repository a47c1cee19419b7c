/**
 * Content-defined chunking: FastCDC (gear rolling hash, normalized chunking, cut-point skipping) that
 * turns a byte stream into chunk boundaries. The algorithm, the gear table and the masks are a
 * repository format: docs/formats/chunking.md. Nothing here hashes, compresses or encrypts.
 *
 * <p>{@link dev.cairn.engine.chunk.ChunkerParams} (immutable, thread-safe) says how big chunks are;
 * {@link dev.cairn.engine.chunk.Chunker} (one per stream, not thread-safe) finds the boundaries;
 * {@link dev.cairn.engine.chunk.GearTable} holds the frozen hash constants.
 */
package dev.cairn.engine.chunk;
