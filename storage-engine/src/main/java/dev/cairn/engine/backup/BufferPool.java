package dev.cairn.engine.backup;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reusable byte arrays for chunk data and compressed frames, so a backup does not turn every chunk into
 * garbage twice (about 2.5 GB of short-lived arrays per 2 GiB backed up, many of them large enough to be
 * G1 "humongous" objects, which grew the heap past 1 GiB). Arrays come in size classes of a power of
 * two, 64 KiB to 8 MiB, each with room for a zstd frame of that many bytes ({@link #capacity}); longer
 * requests get a fresh array that is never pooled. At most {@code maxIdle} bytes wait in the pool (a
 * returned array displaces idle arrays of other classes, largest first, so the pool follows the chunk
 * sizes in use); the arrays in use are bounded by the writer's in-flight budget. Thread safe.
 */
final class BufferPool {
    static final int MIN_SHIFT = 16;
    static final int MAX_SHIFT = 23;

    @SuppressWarnings("unchecked")
    private final ConcurrentLinkedQueue<byte[]>[] free = new ConcurrentLinkedQueue[MAX_SHIFT + 1];
    private final AtomicLong idle = new AtomicLong();
    private final long maxIdle;

    BufferPool(long maxIdle) {
        this.maxIdle = maxIdle;
        for (int k = MIN_SHIFT; k <= MAX_SHIFT; k++) {
            free[k] = new ConcurrentLinkedQueue<>();
        }
    }

    /**
     * The length of class {@code k}'s arrays: 2^k bytes plus room for zstd's worst case on 2^k bytes
     * (ZSTD_compressBound: len + len/256 + a small constant), so a frame of any chunk in the class fits.
     */
    static int capacity(int k) {
        return (1 << k) + (1 << (k - 8)) + 1024;
    }

    /** The class for {@code len} bytes, or -1 when {@code len} is beyond the largest class. */
    static int classOf(int len) {
        int k = Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(1, len) - 1));
        return k <= MAX_SHIFT ? k : -1;
    }

    /** An array of at least {@code len} bytes that also holds the zstd frame of {@code len} bytes. */
    byte[] get(int len) {
        int k = classOf(len);
        if (k < 0) {
            return new byte[len + (len >>> 8) + 1024];
        }
        byte[] b = free[k].poll();
        if (b == null) {
            return new byte[capacity(k)];
        }
        idle.addAndGet(-b.length);
        return b;
    }

    /** Takes an array back (any array: one that is not of a class's length is left to the GC). */
    void put(byte[] b) {
        if (b == null) {
            return;
        }
        int k = MIN_SHIFT;
        while (k <= MAX_SHIFT && capacity(k) != b.length) {
            k++;
        }
        if (k > MAX_SHIFT) {
            return;
        }
        while (idle.get() + b.length > maxIdle) {
            if (!evictOther(k)) {
                return;
            }
        }
        idle.addAndGet(b.length);
        free[k].offer(b);
    }

    /**
     * Drops one idle array of another class, the largest first, so the pool follows the sizes in use
     * (after a run of large chunks it would otherwise stay full of arrays nobody asks for).
     */
    private boolean evictOther(int keep) {
        for (int j = MAX_SHIFT; j >= MIN_SHIFT; j--) {
            if (j != keep) {
                byte[] x = free[j].poll();
                if (x != null) {
                    idle.addAndGet(-x.length);
                    return true;
                }
            }
        }
        return false;
    }

    long idleBytes() {
        return idle.get();
    }
}
