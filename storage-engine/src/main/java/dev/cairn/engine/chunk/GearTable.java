package dev.cairn.engine.chunk;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 256 constants of the gear rolling hash (docs/formats/chunking.md, "Gear table").
 *
 * <p>{@code GEAR[i]} is the first 8 bytes, read as a big-endian signed long, of
 * SHA-256({@value #DERIVATION_LABEL} in ASCII, followed by the single byte {@code i}).
 *
 * <p><b>Frozen. Do not change the label or the derivation.</b> Every chunk boundary, and so every chunk
 * ID in every repository, depends on these values; changing them breaks deduplication against existing
 * data and needs a repository format version bump. {@code GearTableTest} pins entries.
 */
public final class GearTable {
    /** The frozen derivation label. Do not change. */
    public static final String DERIVATION_LABEL = "cairn/gear/v1";

    /** The table itself; shared with {@link Chunker}, never modified after class initialization. */
    static final long[] GEAR = derive();

    private GearTable() {
    }

    /** The gear constant for byte value {@code b} (0..255). */
    public static long get(int b) {
        if (b < 0 || b > 255) {
            throw new IllegalArgumentException("gear index must be a byte value 0..255, got " + b);
        }
        return GEAR[b];
    }

    /** A copy of the 256 constants, index = byte value. */
    public static long[] toArray() {
        return GEAR.clone();
    }

    private static long[] derive() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform and is missing", e);
        }
        byte[] label = DERIVATION_LABEL.getBytes(StandardCharsets.US_ASCII);
        long[] table = new long[256];
        for (int i = 0; i < 256; i++) {
            sha256.update(label);
            sha256.update((byte) i);
            table[i] = ByteBuffer.wrap(sha256.digest()).getLong(); // big-endian, first 8 bytes
        }
        return table;
    }
}
