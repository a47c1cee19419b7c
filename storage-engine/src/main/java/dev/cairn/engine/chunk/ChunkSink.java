package dev.cairn.engine.chunk;

/**
 * Receives chunk boundaries from a {@link Chunker}, in stream order, each chunk starting where the previous
 * one ended. Primitive arguments: reporting a chunk allocates nothing.
 */
@FunctionalInterface
public interface ChunkSink {
    /**
     * @param offset where the chunk starts, in bytes from the start of the stream
     * @param length the chunk's length in bytes (1..max; at least min except for the last chunk)
     */
    void chunk(long offset, int length);
}
