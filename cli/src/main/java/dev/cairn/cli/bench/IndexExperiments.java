package dev.cairn.cli.bench;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The "what would reach 1 M lookups/s" half of {@code cairn bench index}: on the same index files, after
 * {@link dev.cairn.engine.index.RepoIndex} is closed, it measures (1) the blobs column family compacted
 * into one sorted run and opened with a 256 MiB block cache that holds index and filter blocks, with
 * single {@code get}s and with {@code multiGetAsList} batches of 1024 keys, and (2) an in-memory table of
 * the ids' first 8 bytes (sorted {@code long[]}, binary search): the cost of a lookup that never leaves
 * the JVM, and its memory. Read-only apart from the compaction; the key layout is RepoIndex's
 * (tenant number, type, id) from docs/formats/repository.md section 5.
 */
final class IndexExperiments {
    static final long BLOCK_CACHE = 256L << 20;
    static final int BATCH = 1024;

    private IndexExperiments() {
    }

    static void run(Path indexDir, IndexBench.Options o, PrintWriter out, PrintWriter err) {
        try (LRUCache cache = new LRUCache(BLOCK_CACHE); BloomFilter bloom = new BloomFilter(10, false);
             ColumnFamilyOptions cfo = new ColumnFamilyOptions().setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
                     .setFilterPolicy(bloom).setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true)
                     .setBlockSize(4096));
             DBOptions dbo = new DBOptions().setMaxOpenFiles(-1)) {
            List<ColumnFamilyDescriptor> cfs = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfo),
                    new ColumnFamilyDescriptor("blobs".getBytes(StandardCharsets.US_ASCII), cfo),
                    new ColumnFamilyDescriptor("packs".getBytes(StandardCharsets.US_ASCII), cfo));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            try (RocksDB db = RocksDB.open(dbo, indexDir.toString(), cfs, handles); ReadOptions read = new ReadOptions()) {
                ColumnFamilyHandle blobs = handles.get(1);
                long t0 = System.nanoTime();
                db.compactRange(blobs);
                out.println(BenchJson.line("bench", "index", "experiment", "compact", "seconds", BenchJson.round((System.nanoTime() - t0) / 1e9, 2),
                        "index_bytes", IndexBench.size(indexDir)));
                out.flush();
                gets(db, blobs, read, o, Math.min(200_000, o.lookups()), null); // warm the block cache
                gets(db, blobs, read, o, o.lookups(), out);
                multiGets(db, blobs, read, o, o.lookups(), out);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        } catch (RocksDBException e) {
            throw new BenchException("the index experiments could not open the index: " + e.getMessage(), e);
        }
        prefixTable(o, out);
    }

    static byte[] key(long n) {
        return ByteBuffer.allocate(35).putShort((short) 1).put((byte) 1).put(IndexBench.id(n)).array();
    }

    private static void gets(RocksDB db, ColumnFamilyHandle cf, ReadOptions read, IndexBench.Options o, long lookups, PrintWriter out)
            throws RocksDBException {
        SplittableRandom r = new SplittableRandom(7);
        long t0 = System.nanoTime();
        for (long i = 0; i < lookups; i++) {
            if (db.get(cf, read, key(r.nextLong(o.entries()))) == null) {
                throw new BenchException("a present id was not found: the index is broken");
            }
        }
        report(out, "rocksdb_compacted_get", lookups, System.nanoTime() - t0);
    }

    private static void multiGets(RocksDB db, ColumnFamilyHandle cf, ReadOptions read, IndexBench.Options o, long lookups, PrintWriter out)
            throws RocksDBException {
        SplittableRandom r = new SplittableRandom(11);
        List<ColumnFamilyHandle> cfs = new ArrayList<>(java.util.Collections.nCopies(BATCH, cf));
        long t0 = System.nanoTime();
        long done = 0;
        while (done < lookups) {
            List<byte[]> keys = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                keys.add(key(r.nextLong(o.entries())));
            }
            for (byte[] v : db.multiGetAsList(read, cfs, keys)) {
                if (v == null) {
                    throw new BenchException("a present id was not found: the index is broken");
                }
            }
            done += BATCH;
        }
        report(out, "rocksdb_compacted_multiget_1024", done, System.nanoTime() - t0);
    }

    /** Sorted first 8 bytes of every id, looked up by binary search: what an in-memory table in front of RocksDB costs. */
    private static void prefixTable(IndexBench.Options o, PrintWriter out) {
        if (o.entries() > Integer.MAX_VALUE - 8) {
            return;
        }
        double rssBefore = IndexBench.rssMib();
        long[] prefixes = new long[(int) o.entries()];
        for (int i = 0; i < prefixes.length; i++) {
            prefixes[i] = ByteBuffer.wrap(IndexBench.id(i)).getLong();
        }
        Arrays.sort(prefixes);
        SplittableRandom r = new SplittableRandom(13);
        long t0 = System.nanoTime();
        for (long i = 0; i < o.lookups(); i++) {
            long p = ByteBuffer.wrap(IndexBench.id(r.nextLong(o.entries()))).getLong();
            if (Arrays.binarySearch(prefixes, p) < 0) {
                throw new BenchException("the prefix table lost an id");
            }
        }
        long ns = System.nanoTime() - t0;
        // the id computation is part of every measurement; subtract it here to show the table alone
        SplittableRandom r2 = new SplittableRandom(13);
        long t1 = System.nanoTime();
        long sink = 0;
        for (long i = 0; i < o.lookups(); i++) {
            sink += IndexBench.id(r2.nextLong(o.entries()))[0];
        }
        long idNs = System.nanoTime() - t1;
        out.println(BenchJson.line("bench", "index", "experiment", "in_memory_prefix_table", "lookups", o.lookups(),
                "lookups_per_s", Math.round(o.lookups() / (ns / 1e9)), "lookups_per_s_without_id_generation",
                Math.round(o.lookups() / (Math.max(1, ns - idNs) / 1e9)), "table_mib", BenchJson.round(prefixes.length * 8 / 1048576.0, 1),
                "rss_mib_before", rssBefore, "rss_mib", IndexBench.rssMib(), "sink", sink & 1));
        out.flush();
    }

    private static void report(PrintWriter out, String what, long lookups, long ns) {
        if (out != null) {
            out.println(BenchJson.line("bench", "index", "experiment", what, "lookups", lookups, "lookups_per_s",
                    Math.round(lookups / (ns / 1e9)), "ns_per_lookup", Math.round((double) ns / lookups), "rss_mib", IndexBench.rssMib()));
            out.flush();
        }
    }
}
