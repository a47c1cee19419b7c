package dev.cairn.engine.fs;

/**
 * A byte range of a file that holds data (not a hole), from {@link OpenFile#dataExtents()}.
 *
 * @param offset the first byte
 * @param length the number of bytes, positive
 */
public record Extent(long offset, long length) {
    public Extent {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("an extent has offset >= 0 and length > 0");
        }
    }

    /** The first byte after the extent. */
    public long end() {
        return offset + length;
    }
}
