package dev.cairn.engine.chunk;

/**
 * Chunk size limits and the normalization level of the FastCDC chunker (docs/formats/chunking.md,
 * "Parameters" and "Masks"). Immutable and thread-safe.
 *
 * <p>Every chunk except the last of a stream is at least {@code min} and at most {@code max} bytes. Before
 * a chunk reaches {@code avg} bytes a cut needs the stricter mask {@link #maskS()} ({@code log2(avg) + level}
 * bits), from then on the looser {@link #maskL()} ({@code log2(avg) - level} bits); this pulls chunk sizes
 * towards {@code avg}. Level 0 disables normalization.
 *
 * <p>The parameters are part of the repository format: two repositories (or two runs) dedupe against each
 * other only if they chunk with the same parameters. Presets are named so that configurations refer to a
 * name, not to numbers.
 *
 * @param min   smallest chunk in bytes (except the last of a stream); at least {@value #WINDOW}
 * @param avg   the normal chunk size in bytes, a power of two, {@code min < avg < max}
 * @param max   largest chunk in bytes, at most {@value #MAX_MAX} (64 MiB); a chunk is cut here at the latest
 * @param level normalization level 0..3 (the FastCDC paper's NC level; {@value #DEFAULT_LEVEL} by default)
 */
public record ChunkerParams(int min, int avg, int max, int level) {
    /**
     * The gear hash window in bytes: the hash after a byte depends on exactly the last 64 bytes (each step
     * shifts left by one bit, so a byte's constant leaves the 64-bit word after 64 steps). {@code min}
     * may not be smaller, because hashing starts {@code WINDOW} bytes before the first cut candidate.
     */
    public static final int WINDOW = 64;

    /** The largest {@code max} accepted: 64 MiB. */
    public static final int MAX_MAX = 64 << 20;

    /** The normalization level of the presets and of the three-argument constructor. */
    public static final int DEFAULT_LEVEL = 2;

    /**
     * Highest bit a mask uses. Bit 63 stays clear, so the TPDS 2020 "roll two bytes per step" loop (test
     * {@code (2h) & (mask << 1)}) would find the same cuts; measured here it was no faster, so it is not used.
     */
    static final int MASK_TOP_BIT = 62;

    /** Mask bits are taken from the 47 positions 16..62. */
    static final int MASK_SPAN = 47;

    /**
     * The order in which masks take bit positions: an n-bit mask is the first n. For k = 0..63, with r the
     * 6-bit reversal of k (0, 32, 16, 48, 8, ...), the position is {@code 62 - floor(47 * r / 64)}; positions
     * already taken are skipped, which leaves a permutation of 16..62 that starts 62, 39, 51, 27, 57, ...
     * Frozen (docs/formats/chunking.md, "Masks").
     */
    static final int[] MASK_BIT_ORDER = maskBitOrder();

    /** Index = number of bits; filled before the presets below are built. */
    private static final long[] MASKS = new long[MASK_SPAN + 1];

    static {
        for (int bits = 1; bits <= MASK_SPAN; bits++) {
            MASKS[bits] = MASKS[bits - 1] | 1L << MASK_BIT_ORDER[bits - 1];
        }
    }

    /** The repository default: 512 KiB / 1 MiB / 8 MiB, level 2. Frozen (it decides existing chunk IDs). */
    public static final ChunkerParams DEFAULT = new ChunkerParams(512 << 10, 1 << 20, 8 << 20, DEFAULT_LEVEL);

    /**
     * For VM disk images and database dumps, where a small change must stay a small upload:
     * 16 KiB / 64 KiB / 256 KiB, level 2. Frozen.
     */
    public static final ChunkerParams FINE = new ChunkerParams(16 << 10, 64 << 10, 256 << 10, DEFAULT_LEVEL);

    public ChunkerParams {
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("normalization level must be 0..3, got " + level);
        }
        if (avg <= 0 || Integer.bitCount(avg) != 1) {
            throw new IllegalArgumentException("avg chunk size must be a power of two, got " + avg + " bytes");
        }
        if (min < WINDOW) {
            throw new IllegalArgumentException("min chunk size must be at least " + WINDOW
                    + " bytes (the gear hash window), got " + min);
        }
        if (!(min < avg && avg < max)) {
            throw new IllegalArgumentException("chunk sizes must satisfy min < avg < max, got min=" + min
                    + ", avg=" + avg + ", max=" + max);
        }
        if (max > MAX_MAX) {
            throw new IllegalArgumentException("max chunk size must be at most " + MAX_MAX + " bytes (64 MiB), got "
                    + max);
        }
        // min >= 64 and min < avg give avg >= 128, so log2(avg) - level >= 7 - 3 > 0;
        // max <= 64 MiB gives avg <= 32 MiB, so log2(avg) + level <= 28 < MASK_SPAN.
    }

    /** Same, at normalization level {@value #DEFAULT_LEVEL}. */
    public ChunkerParams(int min, int avg, int max) {
        this(min, avg, max, DEFAULT_LEVEL);
    }

    /** {@code log2(avg)}. */
    public int avgBits() {
        return Integer.numberOfTrailingZeros(avg);
    }

    /** The strict mask, used while a chunk is at most {@code avg} bytes: {@code avgBits() + level} bits. */
    public long maskS() {
        return spreadMask(avgBits() + level);
    }

    /** The loose mask, used once a chunk is longer than {@code avg}: {@code avgBits() - level} bits. */
    public long maskL() {
        return spreadMask(avgBits() - level);
    }

    /**
     * A mask of {@code bits} one-bits (1..{@value #MASK_SPAN}): the first {@code bits} positions of
     * {@link #MASK_BIT_ORDER}. Like the FastCDC paper's padded masks, the ones are spread with zeros between
     * them over bits 16..62, so every tested bit depends on many bytes of the window (bit k of the hash
     * depends on the last k + 1 bytes); and like the paper's masks they are nested: a mask contains every
     * mask with fewer bits, so a position that passes the strict mask also passes the loose one. Unlike the
     * paper's hand-picked table, the bits follow from one rule.
     */
    static long spreadMask(int bits) {
        if (bits < 1 || bits > MASK_SPAN) {
            throw new IllegalArgumentException("mask bits must be 1.." + MASK_SPAN + ", got " + bits);
        }
        return MASKS[bits];
    }

    private static int[] maskBitOrder() {
        int[] order = new int[MASK_SPAN];
        long taken = 0;
        int n = 0;
        for (int k = 0; k < 64; k++) {
            int r = Integer.reverse(k) >>> 26; // the 6-bit reversal of k
            int position = MASK_TOP_BIT - (MASK_SPAN * r) / 64;
            if ((taken & 1L << position) == 0) {
                taken |= 1L << position;
                order[n++] = position;
            }
        }
        if (n != MASK_SPAN) {
            throw new AssertionError("mask bit order covers " + n + " positions, not " + MASK_SPAN);
        }
        return order;
    }
}
