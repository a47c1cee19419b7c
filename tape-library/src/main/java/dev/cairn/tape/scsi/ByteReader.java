package dev.cairn.tape.scsi;

import java.util.Arrays;

/**
 * Bounds-checked big-endian reads over a device answer, for the decoders in this package. Every read
 * past {@link #limit()} throws {@link ScsiDecodeException} naming the structure, the field and the
 * offset, so no decoder can fail with an {@code ArrayIndexOutOfBoundsException}.
 *
 * <p>A reader may be narrowed to a window ({@link #window}) so a descriptor cannot read into its
 * neighbour; offsets passed to a window are relative to the window, and errors report the offset from
 * the start of the whole structure.
 */
final class ByteReader {
    private final String structure;
    private final byte[] data;
    private final int base;
    private final int limit;

    private ByteReader(String structure, byte[] data, int base, int limit) {
        this.structure = structure;
        this.data = data;
        this.base = base;
        this.limit = limit;
    }

    /** A reader over all of {@code data}; null data is a decode error like any other. */
    static ByteReader of(String structure, byte[] data) {
        if (data == null) {
            throw new ScsiDecodeException(structure, 0, "no data (null)");
        }
        return new ByteReader(structure, data, 0, data.length);
    }

    String structure() {
        return structure;
    }

    /** Bytes available in this reader (or window). */
    int limit() {
        return limit;
    }

    /** A reader over {@code length} bytes from {@code offset}; they must all be present. */
    ByteReader window(int offset, int length, String what) {
        require(offset, length, what);
        return new ByteReader(structure, data, base + offset, length);
    }

    /** The first {@code length} bytes of this reader, or all of it when it is shorter. */
    ByteReader truncatedTo(long length) {
        return new ByteReader(structure, data, base, (int) Math.min(limit, Math.max(0, length)));
    }

    void require(int offset, long length, String what) {
        if (offset < 0 || length < 0 || offset + length > limit) {
            throw error(offset, what + " needs " + length + " byte(s), only " + Math.max(0, limit - offset) + " present");
        }
    }

    /**
     * The structure's own length field says it is {@code declared} bytes long: fail with
     * {@link ScsiDecodeException#requiredLength()} set when fewer are present (cut by the allocation
     * length), and return a reader limited to the declared length (bytes beyond it are ignored).
     */
    ByteReader declared(long declared, String what) {
        if (declared > limit) {
            int required = declared > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) declared;
            throw new ScsiDecodeException(structure, base + limit,
                    what + " declares " + declared + " bytes, only " + limit + " present (ask again with a larger allocation length)",
                    required);
        }
        return truncatedTo(declared);
    }

    ScsiDecodeException error(int offset, String problem) {
        return new ScsiDecodeException(structure, base + offset, problem);
    }

    int u8(int offset, String field) {
        require(offset, 1, field);
        return data[base + offset] & 0xFF;
    }

    boolean bit(int offset, int bit, String field) {
        return (u8(offset, field) & (1 << bit)) != 0;
    }

    int u16(int offset, String field) {
        require(offset, 2, field);
        int p = base + offset;
        return (data[p] & 0xFF) << 8 | data[p + 1] & 0xFF;
    }

    int u24(int offset, String field) {
        require(offset, 3, field);
        int p = base + offset;
        return (data[p] & 0xFF) << 16 | (data[p + 1] & 0xFF) << 8 | data[p + 2] & 0xFF;
    }

    long u32(int offset, String field) {
        require(offset, 4, field);
        int p = base + offset;
        return (long) (data[p] & 0xFF) << 24 | (data[p + 1] & 0xFF) << 16 | (data[p + 2] & 0xFF) << 8 | data[p + 3] & 0xFF;
    }

    int s32(int offset, String field) {
        return (int) u32(offset, field);
    }

    /** Eight bytes as a long; a value with bit 63 set comes back negative (use Long.toUnsignedString). */
    long u64(int offset, String field) {
        require(offset, 8, field);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | data[base + offset + i] & 0xFF;
        }
        return v;
    }

    byte[] bytes(int offset, int length, String field) {
        require(offset, length, field);
        return Arrays.copyOfRange(data, base + offset, base + offset + length);
    }

    /**
     * An ASCII field as text: leading and trailing spaces and NULs removed (T10 pads with spaces,
     * some emulators with a NUL terminator), every other byte outside 20h..7Eh written as
     * {@code \xNN} so that a strange label stays visible and distinct rather than being guessed at.
     */
    String ascii(int offset, int length, String field) {
        require(offset, length, field);
        return Ascii.text(data, base + offset, length);
    }
}
