package dev.cairn.engine.verify;

import java.nio.ByteBuffer;

/**
 * A set of 32-byte ids in one {@code long[]} (open addressing, four longs per slot): about 64 bytes per id
 * instead of some 150 for a {@code HashSet} of wrappers, so a structure check of millions of blobs stays
 * small. Ids are HMAC or SHA-256 values, uniformly spread, so their first word is the hash. Not thread safe.
 */
final class IdSet {
    private long[] table = new long[4 * 1024];
    private int size;
    private boolean hasZero;

    /** Adds {@code id}; true when it was not in the set. */
    boolean add(byte[] id) {
        ByteBuffer b = ByteBuffer.wrap(id);
        long a = b.getLong();
        long c = b.getLong();
        long d = b.getLong();
        long e = b.getLong();
        if ((a | c | d | e) == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if ((size + 1) * 2L > table.length / 4) {
            grow();
        }
        if (insert(table, a, c, d, e)) {
            size++;
            return true;
        }
        return false;
    }

    boolean contains(byte[] id) {
        ByteBuffer b = ByteBuffer.wrap(id);
        long a = b.getLong();
        long c = b.getLong();
        long d = b.getLong();
        long e = b.getLong();
        if ((a | c | d | e) == 0) {
            return hasZero;
        }
        int slots = table.length / 4;
        for (int i = (int) (a & (slots - 1)); ; i = (i + 1) & (slots - 1)) {
            int at = i * 4;
            if ((table[at] | table[at + 1] | table[at + 2] | table[at + 3]) == 0) {
                return false;
            }
            if (table[at] == a && table[at + 1] == c && table[at + 2] == d && table[at + 3] == e) {
                return true;
            }
        }
    }

    int size() {
        return size + (hasZero ? 1 : 0);
    }

    private static boolean insert(long[] t, long a, long c, long d, long e) {
        int slots = t.length / 4;
        for (int i = (int) (a & (slots - 1)); ; i = (i + 1) & (slots - 1)) {
            int at = i * 4;
            if ((t[at] | t[at + 1] | t[at + 2] | t[at + 3]) == 0) {
                t[at] = a;
                t[at + 1] = c;
                t[at + 2] = d;
                t[at + 3] = e;
                return true;
            }
            if (t[at] == a && t[at + 1] == c && t[at + 2] == d && t[at + 3] == e) {
                return false;
            }
        }
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (int at = 0; at < table.length; at += 4) {
            if ((table[at] | table[at + 1] | table[at + 2] | table[at + 3]) != 0) {
                insert(bigger, table[at], table[at + 1], table[at + 2], table[at + 3]);
            }
        }
        table = bigger;
    }
}
