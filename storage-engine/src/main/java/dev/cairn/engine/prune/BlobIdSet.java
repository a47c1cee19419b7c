package dev.cairn.engine.prune;

import dev.cairn.engine.pack.BlobType;
import java.nio.ByteBuffer;

/**
 * A compact set of blobs (type and id) for the reachability pass: 8 bytes a blob instead of the ~130 a
 * {@code HashSet} of arrays costs, so a repository of ten million chunks needs about 160 MiB.
 *
 * <p>A blob is kept as a 64-bit key: the first eight bytes of its id (an HMAC-SHA-256 output, uniformly
 * distributed) mixed with its type. Two different blobs may share a key with probability about 2^-64 per
 * pair. <b>That can only make prune keep more</b>: a blob that is not used but shares a key with a used
 * one looks used, so its pack is kept or its copy repacked; a used blob can never look unused. Not thread
 * safe.
 */
public final class BlobIdSet {
    private static final float LOAD = 0.5f;

    private long[] slots;
    private boolean hasZero;
    private int size;

    public BlobIdSet() {
        slots = new long[16];
    }

    /** The 64-bit key of a blob. */
    static long key(BlobType type, byte[] id) {
        if (id.length != 32) {
            throw new IllegalArgumentException("a blob id has 32 bytes");
        }
        return ByteBuffer.wrap(id).getLong() ^ ((long) type.code() * 0x9E3779B97F4A7C15L);
    }

    /** Adds the blob; true when it was not there yet. */
    public boolean add(BlobType type, byte[] id) {
        long k = key(type, id);
        if (k == 0) {
            boolean added = !hasZero;
            hasZero = true;
            size += added ? 1 : 0;
            return added;
        }
        if (size + 1 > slots.length * LOAD) {
            grow();
        }
        if (insert(slots, k)) {
            size++;
            return true;
        }
        return false;
    }

    public boolean contains(BlobType type, byte[] id) {
        long k = key(type, id);
        if (k == 0) {
            return hasZero;
        }
        int mask = slots.length - 1;
        for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == k) {
                return true;
            }
            if (slots[i] == 0) {
                return false;
            }
        }
    }

    /** Number of distinct keys (a collision, see the class comment, counts once). */
    public int size() {
        return size;
    }

    private static boolean insert(long[] table, long k) {
        int mask = table.length - 1;
        for (int i = mix(k) & mask; ; i = (i + 1) & mask) {
            long s = table[i];
            if (s == k) {
                return false;
            }
            if (s == 0) {
                table[i] = k;
                return true;
            }
        }
    }

    private void grow() {
        if (slots.length >= 1 << 30) {
            throw new IllegalStateException("more than 500 million blobs in one tenant: prune needs a larger set");
        }
        long[] next = new long[slots.length * 2];
        for (long s : slots) {
            if (s != 0) {
                insert(next, s);
            }
        }
        slots = next;
    }

    private static int mix(long k) {
        long h = k * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        return "BlobIdSet[" + size + " blobs]";
    }
}
