package dev.cairn.engine.verify;

/**
 * Part {@code n} of {@code m} of the packs, for reading a large repository's data over several runs
 * ({@code --subset n/m}). A pack is in subset {@code n/m} when the first two bytes of its id, read as an
 * unsigned big-endian number, modulo {@code m} equal {@code n - 1}. Pack ids are SHA-256 values, so the
 * parts are about equal; the runs {@code 1/m .. m/m} together read every pack exactly once, and a pack
 * stays in the same part from run to run. (docs/formats/repository.md, "Verification and rebuild")
 */
public record Subset(int n, int m) {
    public static final int MAX_M = 65536;

    public Subset {
        if (m < 1 || m > MAX_M || n < 1 || n > m) {
            throw new IllegalArgumentException("a subset is n/m with 1 <= n <= m <= " + MAX_M + ", got " + n + "/" + m);
        }
    }

    /** Parses {@code "n/m"}. */
    public static Subset parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("a subset is written n/m, e.g. 1/7; got '" + text + "'");
        }
        try {
            return new Subset(Integer.parseInt(text.substring(0, slash).trim()), Integer.parseInt(text.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a subset is written n/m with whole numbers, e.g. 1/7; got '" + text + "'", e);
        }
    }

    /** True when the pack {@code packId} belongs to this part. */
    public boolean contains(byte[] packId) {
        int prefix = (packId[0] & 0xff) << 8 | (packId[1] & 0xff);
        return prefix % m == n - 1;
    }

    @Override
    public String toString() {
        return n + "/" + m;
    }
}
