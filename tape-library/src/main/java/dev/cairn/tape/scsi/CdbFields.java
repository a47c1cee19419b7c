package dev.cairn.tape.scsi;

/**
 * Argument checks and big-endian writers shared by the CDB builders ({@link Spc}, {@link Ssc},
 * {@link Smc}). Every check names the command and the field, so a bad call fails with
 * "READ(6): maxLength must be in 1..16777215, was 0" rather than with a silently truncated CDB.
 */
final class CdbFields {
    static final int MAX_8 = 0xFF;
    static final int MAX_16 = 0xFFFF;
    static final int MAX_24 = 0xFF_FFFF;
    static final long MAX_32 = 0xFFFF_FFFFL;
    /** SPACE(6) COUNT is a 24-bit two's complement number. */
    static final int MIN_S24 = -0x80_0000;
    static final int MAX_S24 = 0x7F_FFFF;

    private CdbFields() {
    }

    static int check(String command, String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(command + ": " + field + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    static long check(String command, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(command + ": " + field + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }

    static <T> T notNull(String command, String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(command + ": " + field + " must not be null");
        }
        return value;
    }

    static void put16(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 8);
        b[offset + 1] = (byte) value;
    }

    static void put24(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 16);
        b[offset + 1] = (byte) (value >>> 8);
        b[offset + 2] = (byte) value;
    }

    static void put32(byte[] b, int offset, long value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    static void put64(byte[] b, int offset, long value) {
        for (int i = 0; i < 8; i++) {
            b[offset + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
