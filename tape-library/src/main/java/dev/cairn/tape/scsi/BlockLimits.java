package dev.cairn.tape.scsi;

/**
 * READ BLOCK LIMITS data (SSC-4): byte 0 bits 4-0 GRANULARITY (block lengths should be multiples of
 * 2^granularity), bytes 1-3 MAXIMUM BLOCK LENGTH LIMIT (0 = no limit given), bytes 4-5 MINIMUM
 * BLOCK LENGTH LIMIT. tgt answers {@code 09 10 00 00 00 04} (512-byte granularity, 1 MiB, 4), and keeps
 * answering that after MODE SELECT changed the block length (its block length field is 8 bits).
 */
public record BlockLimits(int granularity, int maxBlockLength, int minBlockLength) {
    /** The answer is exactly this long. */
    public static final int LENGTH = 6;

    private static final String STRUCTURE = "READ BLOCK LIMITS data";

    public static BlockLimits parse(byte[] data) {
        ByteReader r = ByteReader.of(STRUCTURE, data);
        r.require(0, LENGTH, "block limits");
        int granularity = r.u8(0, "GRANULARITY") & 0x1F;
        int max = r.u24(1, "MAXIMUM BLOCK LENGTH LIMIT");
        int min = r.u16(4, "MINIMUM BLOCK LENGTH LIMIT");
        if (max != 0 && min > max) {
            throw r.error(4, "minimum block length " + min + " exceeds maximum " + max);
        }
        return new BlockLimits(granularity, max, min);
    }

    /** True when the drive reports one fixed block length only (min == max). */
    public boolean fixedOnly() {
        return maxBlockLength != 0 && minBlockLength == maxBlockLength;
    }
}
