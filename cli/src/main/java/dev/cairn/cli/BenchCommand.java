package dev.cairn.cli;

import dev.cairn.cli.bench.IndexBench;
import dev.cairn.cli.bench.StorageBench;
import dev.cairn.tape.device.TapeDrive;
import dev.cairn.tape.device.TapeLibrary;
import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;
import dev.cairn.tape.scsi.ScsiResponse;
import dev.cairn.tape.scsi.Spc;
import dev.cairn.tape.transport.iscsi.IscsiTransport;
import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn bench ...}: benchmarks print figures; they assert nothing (tests do that). Each prints
 * one JSON line per measurement and a line of ratios against the reference. {@code cairn bench} alone is
 * the storage benchmark against restic and borg ({@link StorageBench}, docs/benchmarks.md).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (figures, not tests). Without a subcommand: the storage engine against restic and borg.",
        subcommands = {BenchCommand.Tape.class, BenchCommand.Index.class})
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size-mb", defaultValue = "2048", paramLabel = "MB", description = "dataset size (default: ${DEFAULT-VALUE})")
    int sizeMb;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "dataset seed (default: ${DEFAULT-VALUE})")
    int seed;

    @Option(names = "--tools", defaultValue = "cairn,restic,borg", split = ",", paramLabel = "T,T",
            description = "tools to measure, in order (default: ${DEFAULT-VALUE}); ratios need restic")
    List<String> tools;

    @Option(names = "--json", description = "print only the JSON lines (no table)")
    boolean json;

    @Option(names = "--keep", description = "keep the work directory (trees, repositories, outputs)")
    boolean keep;

    @Option(names = "--work-dir", defaultValue = "${env:TMPDIR:-/tmp}", paramLabel = "DIR",
            description = "where the scratch directory is made (default: $TMPDIR or /tmp)")
    Path workDir;

    @Option(names = "--generator", paramLabel = "FILE",
            description = "the dataset generator (default: ../shared/bench/gen-clinic-dataset.py beside the project)")
    Path generator;

    @Override
    public Integer call() {
        Path gen = generator != null ? generator
                : Path.of(System.getProperty("cairn.home", "."), "..", "shared", "bench", "gen-clinic-dataset.py").toAbsolutePath().normalize();
        StorageBench.run(new StorageBench.Options(sizeMb, seed, tools, keep, json, workDir, gen),
                spec.commandLine().getOut(), spec.commandLine().getErr());
        return 0;
    }

    /** {@code cairn bench index}: random lookups in a RocksDB RepoIndex of 10 M entries (target: 1 M/s). */
    @Command(name = "index", mixinStandardHelpOptions = true, description = "Index lookups per second on a large RocksDB index.")
    static final class Index implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--entries", defaultValue = "10000000", paramLabel = "N", description = "blobs in the index (default: ${DEFAULT-VALUE})")
        long entries;

        @Option(names = "--per-pack", defaultValue = "10000", paramLabel = "N", description = "blobs per added pack (default: ${DEFAULT-VALUE})")
        int perPack;

        @Option(names = "--lookups", defaultValue = "2000000", paramLabel = "N", description = "lookups per measurement (default: ${DEFAULT-VALUE})")
        long lookups;

        @Option(names = "--keep", description = "keep the index directory")
        boolean keep;

        @Option(names = "--skip-experiments",
                description = "do not measure the alternatives (compacted store with a larger block cache, MultiGet, an in-memory id table)")
        boolean skipExperiments;

        @Option(names = "--work-dir", defaultValue = "${env:TMPDIR:-/tmp}", paramLabel = "DIR", description = "where the index is made (default: /tmp)")
        Path workDir;

        @Option(names = "--json", description = "JSON lines only: the results are JSON lines either way; this drops the progress lines on stderr")
        boolean json;

        @Override
        public Integer call() {
            IndexBench.run(new IndexBench.Options(entries, perPack, lookups, keep, workDir, !skipExperiments), spec.commandLine().getOut(),
                    json ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getErr());
            return 0;
        }
    }

    /**
     * {@code cairn bench tape}: 256 KiB writes (a) to an emulated drive through Cairn's whole tape path
     * (iSCSI initiator, TapeDrive), next to libiscsi's C initiator in the same run on the same drive,
     * and (b) WRITE(10) to a tgt disk with the null backing store, which shows the initiator's own
     * ceiling. Targets: (a) at least 90% of libiscsi; (b) at least 400 MB/s (LTO-9/10 native rate).
     */
    @Command(name = "tape", mixinStandardHelpOptions = true, description = "Tape write throughput against libiscsi and a null disk.")
    static final class Tape implements java.util.concurrent.Callable<Integer> {
        private static final int BLOCK = 256 * 1024;
        private static final Duration T = Duration.ofSeconds(60);

        @Spec
        CommandSpec spec;

        @Option(names = "--size-mb", defaultValue = "1024", paramLabel = "MB", description = "data written per measurement (default: ${DEFAULT-VALUE})")
        int sizeMb;

        @Option(names = "--rounds", defaultValue = "3", paramLabel = "N", description = "measurements per tool; the best is reported (default: ${DEFAULT-VALUE})")
        int rounds;

        @Option(names = "--json", description = "JSON lines only: the results are JSON lines either way; this drops the progress lines on stderr")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (sizeMb < 16 || sizeMb > 16384 || rounds < 1 || rounds > 10) {
                throw new CliException("--size-mb is 16 to 16384 and --rounds 1 to 10");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = json ? new PrintWriter(java.io.Writer.nullWriter()) : spec.commandLine().getErr();
            long count = (long) sizeMb * 1024 * 1024 / BLOCK;
            Path dir = Files.createTempDirectory("cairn-bench-tape-");
            VirtualTapeLibrary.Layout layout = new VirtualTapeLibrary.Layout(1, 4, 0, List.of("BENCH1L9"), List.of(), List.of(),
                    Math.max(100_000, sizeMb * 4L), List.of());
            try (VirtualTapeLibrary vtl = VirtualTapeLibrary.start(dir, layout, 0)) {
                String nullDisk = vtl.addNullDiskTarget();
                Path tool = compileLibiscsiTool(dir, err);
                double cairnTape = 0;
                double libTape = 0;
                double cairnDisk = 0;
                double libDisk = 0;
                for (int r = 0; r < rounds; r++) {
                    cairnTape = Math.max(cairnTape, cairnTapeWrite(vtl, count, out));
                    if (tool != null) {
                        libTape = Math.max(libTape, libiscsi(tool, vtl.url() + "/1", "tape", count, vtl, out));
                    }
                    cairnDisk = Math.max(cairnDisk, cairnNullDisk(nullDisk, count, out));
                    if (tool != null) {
                        libDisk = Math.max(libDisk, libiscsi(tool, nullDisk + "/1", "disk", count, null, out));
                    }
                }
                out.println(Json.compact(Json.object("bench", "tape", "summary", true, "blockKiB", BLOCK / 1024, "mbPerRound", sizeMb,
                        "rounds", rounds, "cairnTapeMBps", round(cairnTape), "libiscsiTapeMBps", tool == null ? null : round(libTape),
                        "tapeRatio", tool == null ? null : round(cairnTape / libTape), "tapeRatioTarget", 0.9,
                        "tapeRatioMet", tool == null ? null : cairnTape / libTape >= 0.9,
                        "cairnNullDiskMBps", round(cairnDisk), "libiscsiNullDiskMBps", tool == null ? null : round(libDisk),
                        "nullDiskTargetMBps", 400, "nullDiskMet", cairnDisk >= 400,
                        "machine", Runtime.getRuntime().availableProcessors() + " cores")));
            } finally {
                try (var s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return 0;
        }

        /** WRITE(6) 256 KiB blocks through TapeLibrary and TapeDrive, Cairn's default iSCSI options. */
        private static double cairnTapeWrite(VirtualTapeLibrary vtl, long count, PrintWriter out) {
            try (TapeLibrary lib = TapeLibrary.open(IscsiTransport.connect(vtl.url()))) {
                int element = lib.driveElement(0);
                if (!lib.changer().inventory().at(element).orElseThrow().full()) {
                    lib.changer().move(VirtualTapeLibrary.FIRST_STORAGE, element);
                }
                TapeDrive d = lib.drive(0);
                d.load();
                byte[] block = new byte[BLOCK];
                new Random(1).nextBytes(block);
                long start = System.nanoTime();
                for (long i = 0; i < count; i++) {
                    d.write(block);
                }
                double s = (System.nanoTime() - start) / 1e9;
                double rate = count * (double) BLOCK / s / 1e6;
                out.println(Json.compact(Json.object("bench", "tape", "tool", "cairn", "target", "emulated drive (tgt, WRITE(6))",
                        "seconds", round(s), "MBps", round(rate), "options", ((IscsiTransport) lib.transport()).negotiated())));
                d.rewind();
                return rate;
            }
        }

        /** WRITE(10) of 256 KiB at consecutive LBAs to the null-backed disk: the initiator's ceiling. */
        private static double cairnNullDisk(String url, long count, PrintWriter out) {
            try (IscsiTransport t = IscsiTransport.connect(url)) {
                for (int i = 0; i < 3; i++) {
                    t.execute(1, Spc.testUnitReady(), null, T); // clear the unit attention of a new session
                }
                byte[] block = new byte[BLOCK];
                new Random(2).nextBytes(block);
                long start = System.nanoTime();
                for (long i = 0; i < count; i++) {
                    ScsiResponse r = t.execute(1, write10(i * (BLOCK / 512), BLOCK / 512), block, T);
                    if (!r.good()) {
                        throw new CliException("WRITE(10) to the null disk failed with status " + r.status());
                    }
                }
                double s = (System.nanoTime() - start) / 1e9;
                double rate = count * (double) BLOCK / s / 1e6;
                out.println(Json.compact(Json.object("bench", "tape", "tool", "cairn", "target", "null disk (tgt, WRITE(10))",
                        "seconds", round(s), "MBps", round(rate))));
                return rate;
            }
        }

        /** SBC-3 WRITE(10): byte 0 opcode 2Ah, bytes 2-5 LBA, bytes 7-8 number of 512-byte blocks. */
        static Cdb write10(long lba, int blocks) {
            byte[] c = new byte[10];
            c[0] = 0x2a;
            c[2] = (byte) (lba >>> 24);
            c[3] = (byte) (lba >>> 16);
            c[4] = (byte) (lba >>> 8);
            c[5] = (byte) lba;
            c[7] = (byte) (blocks >>> 8);
            c[8] = (byte) blocks;
            return new Cdb("WRITE(10)", c, Direction.OUT, 0);
        }

        private static double libiscsi(Path tool, String url, String mode, long count, VirtualTapeLibrary vtl, PrintWriter out)
                throws IOException, InterruptedException {
            Process p = new ProcessBuilder(tool.toString(), url, mode, Integer.toString(BLOCK), Long.toString(count))
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new CliException("the libiscsi baseline failed: " + text.strip());
            }
            Matcher m = Pattern.compile("MBps ([0-9.]+) seconds ([0-9.]+)").matcher(text);
            if (!m.find()) {
                throw new CliException("the libiscsi baseline printed no rate: " + text.strip());
            }
            double rate = Double.parseDouble(m.group(1));
            out.println(Json.compact(Json.object("bench", "tape", "tool", "libiscsi", "target",
                    mode.equals("tape") ? "emulated drive (tgt, WRITE(6))" : "null disk (tgt, WRITE(10))",
                    "seconds", Double.parseDouble(m.group(2)), "MBps", rate)));
            return rate;
        }

        /** Compiles bench/tape/iscsi-write.c against libiscsi-dev; null (with a note) when that is not possible. */
        private static Path compileLibiscsiTool(Path dir, PrintWriter err) throws IOException, InterruptedException {
            String home = System.getProperty("cairn.home", ".");
            Path source = Path.of(home, "bench", "tape", "iscsi-write.c");
            if (!Files.exists(source) || !Files.exists(Path.of("/usr/include/iscsi/iscsi.h"))) {
                err.println("cairn: no libiscsi baseline (needs " + source + " and libiscsi-dev; ./cairn bench installs it)");
                return null;
            }
            Path binary = dir.resolve("iscsi-write");
            Process p = new ProcessBuilder("gcc", "-O2", "-o", binary.toString(), source.toString(), "-liscsi")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                err.println("cairn: cannot compile the libiscsi baseline: " + text.strip());
                return null;
            }
            return binary;
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }
    }
}
