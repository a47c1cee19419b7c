package dev.cairn.engine.chunk;

/**
 * Where one chunk lies in a stream: {@code [offset, offset + length)}.
 *
 * @param offset first byte of the chunk, from the start of the stream
 * @param length length in bytes, at least 1
 */
public record ChunkSpan(long offset, int length) {
    public ChunkSpan {
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("a chunk span needs offset >= 0 and length >= 1, got offset="
                    + offset + ", length=" + length);
        }
    }

    /** One past the last byte of the chunk. */
    public long end() {
        return offset + length;
    }
}
