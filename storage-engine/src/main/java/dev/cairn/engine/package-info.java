/**
 * The data plane: the encrypted, deduplicated, incremental-forever repository (docs/formats/repository.md).
 */
package dev.cairn.engine;
