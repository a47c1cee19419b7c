package dev.cairn.engine.prune;

/**
 * What the prune planner may do.
 *
 * @param maxUnusedPercent a pack that is not locked and has some used blobs is repacked when more than this
 *                         share of its blob bytes (stored, i.e. compressed and encrypted) is unused. 0 repacks
 *                         every pack with any unused blob; 100 repacks nothing. Default {@value #DEFAULT_MAX_UNUSED}:
 *                         packs less than half used are repacked.
 */
public record PruneOptions(int maxUnusedPercent) {
    public static final int DEFAULT_MAX_UNUSED = 50;
    public static final PruneOptions DEFAULT = new PruneOptions(DEFAULT_MAX_UNUSED);

    public PruneOptions {
        if (maxUnusedPercent < 0 || maxUnusedPercent > 100) {
            throw new IllegalArgumentException("the unused share that triggers a repack is a percentage, 0 to 100; got " + maxUnusedPercent);
        }
    }
}
