package dev.cairn.cli.bench;

import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.Compression;
import dev.cairn.engine.pack.PackEntry;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code cairn bench index}: a plain-loop micro-benchmark of the RocksDB repository index (issue 3:
 * at least 1 M lookups/s on a 10 M-entry index). It fills a fresh {@link RepoIndex} with {@code entries}
 * DATA blobs in packs of {@code perPack} (one synced batch per pack, as backups add them), reopens it (a
 * new process's cold block cache), and then times random lookups of present ids with {@code find} and
 * {@code contains} on 1 and on all cores, and {@code contains} of absent ids (new chunks, which the bloom
 * filter answers). Blob ids are a pure function of their number, so lookups need no list of them in memory.
 */
public final class IndexBench {
    /** Lookups per measurement, split across the threads. */
    public record Options(long entries, int perPack, long lookups, boolean keep, Path workDir, boolean experiments) {
        public Options {
            if (entries < 1000 || entries > 100_000_000L || perPack < 1 || perPack > 100_000 || lookups < 1000) {
                throw new IllegalArgumentException("--entries is 1000 to 100000000, --per-pack 1 to 100000, --lookups at least 1000");
            }
        }
    }

    static final double TARGET_PER_SECOND = 1_000_000;

    private IndexBench() {
    }

    /** Runs the benchmark and prints one JSON line per measurement. */
    public static void run(Options o, PrintWriter out, PrintWriter err) {
        Path dir;
        try {
            Files.createDirectories(o.workDir());
            dir = Files.createTempDirectory(o.workDir(), "cairn-bench-index-");
        } catch (IOException e) {
            throw new BenchException("cannot create a work directory in " + o.workDir() + ": " + e.getMessage(), e);
        }
        try {
            Path indexDir = dir.resolve("index");
            long t0 = System.nanoTime();
            try (RepoIndex index = RepoIndex.open(indexDir)) {
                fill(index, o, err);
            }
            double fillS = (System.nanoTime() - t0) / 1e9;
            out.println(BenchJson.line("bench", "index", "phase", "fill", "entries", o.entries(), "per_pack", o.perPack(),
                    "seconds", BenchJson.round(fillS, 2), "entries_per_s", Math.round(o.entries() / fillS),
                    "index_bytes", size(indexDir), "rss_mib", rssMib()));
            out.flush();
            int cores = Runtime.getRuntime().availableProcessors();
            try (RepoIndex index = RepoIndex.open(indexDir)) {
                measure(index, o, 1, Math.min(200_000, o.lookups()), "warmup", true, out, null); // fills the block cache
                double best = 0;
                best = Math.max(best, measure(index, o, 1, o.lookups(), "find_present", true, out, true));
                best = Math.max(best, measure(index, o, cores, o.lookups(), "find_present", true, out, true));
                measure(index, o, 1, o.lookups(), "contains_present", false, out, true);
                measure(index, o, cores, o.lookups(), "contains_present", false, out, true);
                measure(index, o, 1, o.lookups(), "contains_absent", false, out, false);
                out.println(BenchJson.line("bench", "index", "kind", "summary", "entries", o.entries(),
                        "best_find_per_s", Math.round(best), "target_per_s", (long) TARGET_PER_SECOND, "met", best >= TARGET_PER_SECOND,
                        "rss_mib", rssMib(), "load_avg", StorageBench.loadAverage()));
                out.flush();
            }
            if (o.experiments()) {
                IndexExperiments.run(indexDir, o, out, err);
            }
        } finally {
            if (o.keep()) {
                err.println("cairn: kept " + dir);
            } else {
                StorageBench.deleteTree(dir);
            }
        }
    }

    /** The 32-byte id of blob number {@code n}: SplitMix64 output, so ids look random and need no storage. */
    static byte[] id(long n) {
        byte[] id = new byte[32];
        SplittableRandom r = new SplittableRandom(n * 0x9E3779B97F4A7C15L + 12345);
        for (int i = 0; i < 32; i += 8) {
            long v = r.nextLong();
            for (int k = 0; k < 8; k++) {
                id[i + k] = (byte) (v >>> (56 - 8 * k));
            }
        }
        return id;
    }

    private static void fill(RepoIndex index, Options o, PrintWriter err) {
        PackFormat.Header header = new PackFormat.Header(1, new byte[PackFormat.SALT], 0, "bench");
        long n = 0;
        long packNo = 0;
        long lastReport = System.nanoTime();
        while (n < o.entries()) {
            int count = (int) Math.min(o.perPack(), o.entries() - n);
            List<PackEntry> entries = new ArrayList<>(count);
            long offset = 128;
            for (int i = 0; i < count; i++) {
                entries.add(new PackEntry(BlobType.DATA, id(n + i), offset, 65_552, 65_536, Compression.ZSTD, i));
                offset += 65_552;
            }
            byte[] packId = Arrays.copyOf(id(-1 - packNo), 32);
            index.addPack(1, new PackInfo(packId, offset, header, entries));
            n += count;
            packNo++;
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                err.printf("cairn: index filled with %d of %d entries%n", n, o.entries());
                err.flush();
                lastReport = System.nanoTime();
            }
        }
    }

    /**
     * Times {@code lookups} lookups on {@code threads} threads (ids chosen at random among the present ones,
     * or absent ones) and prints a line unless {@code present} is null (warm-up). Returns lookups per second.
     */
    static double measure(RepoIndex index, Options o, int threads, long lookups, String phase, boolean find,
                                  PrintWriter out, Boolean present) {
        AtomicLong misses = new AtomicLong();
        long per = lookups / threads;
        List<Thread> ts = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            long seed = 42 + t * 7919L + phase.hashCode();
            ts.add(Thread.ofPlatform().name("index-bench").start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                long wrong = 0;
                for (long i = 0; i < per; i++) {
                    long n = r.nextLong(o.entries());
                    byte[] id = present == Boolean.FALSE ? id(o.entries() + n) : id(n);
                    boolean hit = find ? index.find(1, BlobType.DATA, id) != null : index.contains(1, BlobType.DATA, id);
                    if (hit != (present != Boolean.FALSE)) {
                        wrong++;
                    }
                }
                misses.addAndGet(wrong);
            }));
        }
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BenchException("interrupted", e);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double rate = per * threads / s;
        if (misses.get() != 0) {
            throw new BenchException(phase + ": " + misses.get() + " lookups gave the wrong answer; the index is broken");
        }
        if (present != null) {
            out.println(BenchJson.line("bench", "index", "phase", phase, "threads", threads, "lookups", per * threads,
                    "seconds", BenchJson.round(s, 3), "lookups_per_s", Math.round(rate), "ns_per_lookup_per_thread",
                    Math.round(s * 1e9 / per), "rss_mib", rssMib()));
            out.flush();
        }
        return rate;
    }

    static long size(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** This process's resident set now (VmRSS), in MiB. */
    static double rssMib() {
        try (Stream<String> s = Files.lines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
            return s.filter(l -> l.startsWith("VmRSS:")).map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024.0)
                    .map(v -> BenchJson.round(v, 1)).findFirst().orElse(-1.0);
        } catch (IOException e) {
            return -1;
        }
    }
}
