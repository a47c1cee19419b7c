package dev.cairn.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code cairn bench}: the storage benchmark of issue 3, Cairn against restic and borg in one run, with the
 * steps of {@code ../shared/bench/anchors.sh}:
 * <ol>
 *   <li>generate day 1 of the clinic dataset into {@code WORK/src} and a day-2 reference (kept only for its
 *       digest, to save disk);</li>
 *   <li>per tool: warm read of the source, day-1 backup, repository size ({@code du -sb});</li>
 *   <li>update {@code src} in place to day 2 (unchanged files keep inode, ctime and mtime), check it against
 *       the reference digest;</li>
 *   <li>per tool: warm read, day-2 backup (incremental), repository size;</li>
 *   <li>per tool: warm read of the repository, full restore into an empty directory, digest check.</li>
 * </ol>
 * Prints one JSON line per tool and phase, then one line of ratios per tool against restic (Cairn's with
 * the targets). Every step has a time limit; the work directory is deleted at the end unless {@code keep}.
 */
public final class StorageBench {
    /**
     * @param tools     in measuring order, any of cairn, restic, borg
     * @param workDir   where the scratch directory is made
     * @param generator gen-clinic-dataset.py
     */
    public record Options(int sizeMb, int seed, List<String> tools, boolean keep, boolean json, Path workDir, Path generator) {
        public Options {
            tools = List.copyOf(tools);
            if (sizeMb < 16 || sizeMb > 65536) {
                throw new IllegalArgumentException("--size-mb is 16 to 65536");
            }
            if (tools.isEmpty() || !List.of("cairn", "restic", "borg").containsAll(tools) || tools.stream().distinct().count() != tools.size()) {
                throw new IllegalArgumentException("--tools is a comma-separated list of cairn, restic and borg");
            }
        }
    }

    private final Options o;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, Map<String, PhaseResult>> results = new LinkedHashMap<>();
    private final List<String> lines = new ArrayList<>();
    private Workspace ws;

    private StorageBench(Options o, PrintWriter out, PrintWriter err) {
        this.o = o;
        this.out = out;
        this.err = err;
    }

    /** Runs the benchmark; returns the JSON lines it printed. */
    public static List<String> run(Options o, PrintWriter out, PrintWriter err) {
        StorageBench b = new StorageBench(o, out, err);
        b.checkPrerequisites();
        Path dir;
        try {
            Files.createDirectories(o.workDir());
            dir = Files.createTempDirectory(o.workDir(), "cairn-bench-");
        } catch (IOException e) {
            throw new BenchException("cannot create a work directory in " + o.workDir() + ": " + e.getMessage(), e);
        }
        b.ws = new Workspace(dir, dir.resolve("src"), stepLimit(o.sizeMb()));
        try {
            b.measure();
        } finally {
            if (o.keep()) {
                b.log("kept the work directory " + dir);
            } else {
                deleteTree(dir);
            }
        }
        return List.copyOf(b.lines);
    }

    /** A step that takes longer than this is stuck: 10 min, plus 1 s per MiB of data. */
    static Duration stepLimit(int sizeMb) {
        return Duration.ofMinutes(10).plusSeconds(sizeMb);
    }

    /**
     * Disk the run needs at its peak: the source, then either the day-2 reference (deleted once its digest
     * is known) or one restored copy, plus each tool's repository (about 0.55 of the data after day 2 on
     * this dataset, 0.7 assumed) and 1 GiB to spare.
     */
    static long bytesNeeded(int sizeMb, int tools) {
        long data = (long) sizeMb << 20;
        return 2 * data + (long) (0.7 * data * tools) + (1L << 30);
    }

    private void checkPrerequisites() {
        if (!Files.isRegularFile(o.generator())) {
            throw new BenchException("the dataset generator " + o.generator() + " is missing; the benchmark expects "
                    + "../shared/bench/gen-clinic-dataset.py next to the project (or pass --generator FILE)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/time"))) {
            throw new BenchException("/usr/bin/time is missing: apt-get install time (./cairn bench installs it)");
        }
        for (String t : o.tools()) {
            if (!t.equals("cairn") && !onPath(t)) {
                throw new BenchException(t + " is not installed: apt-get install " + (t.equals("borg") ? "borgbackup" : t)
                        + " (./cairn bench installs it), or leave it out with --tools");
            }
        }
        if (!onPath("python3")) {
            throw new BenchException("python3 (3.9 or newer) is needed for the dataset generator");
        }
        try {
            Files.createDirectories(o.workDir());
            FileStore fs = Files.getFileStore(o.workDir());
            long need = bytesNeeded(o.sizeMb(), o.tools().size());
            if (fs.getUsableSpace() < need) {
                throw new BenchException(String.format("%s has %.1f GiB free; a %d MiB run with %d tool(s) needs about %.1f GiB "
                                + "(use a smaller --size-mb, fewer --tools, or --work-dir elsewhere)", o.workDir(),
                        fs.getUsableSpace() / 1073741824.0, o.sizeMb(), o.tools().size(), need / 1073741824.0));
            }
        } catch (IOException e) {
            throw new BenchException("cannot check the free space in " + o.workDir() + ": " + e.getMessage(), e);
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private void measure() {
        List<BenchTool> tools = new ArrayList<>();
        for (String t : o.tools()) {
            tools.add(switch (t) {
                case "cairn" -> new CairnTool(ws);
                case "restic" -> new ResticTool(ws);
                default -> new BorgTool(ws);
            });
        }
        Map<String, Object> env = BenchJson.object("bench", "storage", "kind", "env", "date", LocalDate.now(ZoneOffset.UTC).toString(),
                "size_mb", o.sizeMb(), "seed", o.seed(), "cores", Runtime.getRuntime().availableProcessors(),
                "cpu", cpuModel(), "mem_gib", BenchJson.round(memTotalKib() / 1048576.0, 1), "load_avg", loadAverage(),
                "work_dir", ws.dir().toString());
        Map<String, Object> settings = new LinkedHashMap<>();
        for (BenchTool t : tools) {
            settings.put(t.name(), t.settings());
        }
        env.put("tools", settings);
        emit(env);

        log("generating day 1 (" + o.sizeMb() + " MiB) in " + ws.src());
        Generated day1 = generate(List.of("--out", ws.src().toString(), "--day", "1"));
        Path reference = ws.dir().resolve("day2-reference");
        log("generating the day-2 reference");
        Generated day2 = generate(List.of("--out", reference.toString(), "--day", "2"));
        deleteTree(reference); // only its digest is needed
        emit(BenchJson.object("bench", "storage", "kind", "gen", "day1_bytes", day1.bytes(), "day1_files", day1.files(),
                "day1_digest", day1.digest(), "day2_bytes", day2.bytes(), "day2_files", day2.files(), "day2_digest", day2.digest(),
                "day1_gen_s", BenchJson.round(day1.seconds(), 2)));

        for (BenchTool t : tools) {
            log(t.name() + ": init");
            t.init();
            backup(t, PhaseResult.DAY1, day1.bytes());
        }
        log("updating " + ws.src() + " in place to day 2");
        Generated updated = generate(List.of("--out", ws.src().toString(), "--day", "2", "--update"));
        if (!updated.digest().equals(day2.digest())) {
            throw new BenchException("the day-2 update of the source differs from the day-2 reference (digest " + updated.digest()
                    + " vs " + day2.digest() + "); the generator is not deterministic here");
        }
        for (BenchTool t : tools) {
            backup(t, PhaseResult.DAY2, day2.bytes());
        }
        for (BenchTool t : tools) {
            restore(t, day2);
        }
        Map<String, PhaseResult> restic = results.getOrDefault("restic", Map.of());
        for (BenchTool t : tools) {
            if (!t.name().equals("restic")) {
                emit(Ratios.line(t.name(), results.get(t.name()), restic, t.name().equals("cairn")));
            }
        }
        emit(BenchJson.object("bench", "storage", "kind", "end", "load_avg", loadAverage()));
        if (!o.json()) {
            printTable();
        }
    }

    private void backup(BenchTool t, String phase, long srcBytes) {
        warm(ws.src());
        double load = load1();
        log(t.name() + ": " + phase);
        TimedRun r = t.backup(phase);
        long repo = du(ws.repo(t.name()));
        PhaseResult p = new PhaseResult(t.name(), phase, r.wallSeconds(), srcBytes, repo, r.maxRssMib());
        results.computeIfAbsent(t.name(), k -> new LinkedHashMap<>()).put(phase, p);
        Map<String, Object> line = resultLine(p, r, load);
        line.put("repo_bytes", repo);
        String stats = t.stats(r);
        line.put("stats", stats == null ? null : BenchJson.parse(stats));
        emit(line);
    }

    private void restore(BenchTool t, Generated day2) {
        Path target = ws.restoreTarget(t.name());
        deleteTree(target);
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new BenchException("cannot create " + target + ": " + e.getMessage(), e);
        }
        warm(ws.repo(t.name()));
        double load = load1();
        log(t.name() + ": restore");
        TimedRun r = t.restore(target);
        Path tree = t.restoredTree(target);
        Generated got = digest(tree);
        PhaseResult p = new PhaseResult(t.name(), PhaseResult.RESTORE, r.wallSeconds(), day2.bytes(), -1, r.maxRssMib());
        results.computeIfAbsent(t.name(), k -> new LinkedHashMap<>()).put(PhaseResult.RESTORE, p);
        Map<String, Object> line = resultLine(p, r, load);
        line.put("restored_bytes", got.bytes());
        line.put("digest_ok", got.digest().equals(day2.digest()));
        emit(line);
        if (!got.digest().equals(day2.digest())) {
            log("WARNING: " + t.name() + "'s restore differs from day 2 (digest " + got.digest() + ")");
        }
        deleteTree(target);
    }

    private static Map<String, Object> resultLine(PhaseResult p, TimedRun r, double load) {
        return BenchJson.object("bench", "storage", "kind", "result", "tool", p.tool(), "phase", p.phase(),
                "wall_s", BenchJson.round(p.wallSeconds(), 3), "src_bytes", p.srcBytes(), "mib_per_s", BenchJson.round(p.mibPerSecond(), 1),
                "max_rss_mib", BenchJson.round(r.maxRssMib(), 1), "user_s", r.userSeconds(), "sys_s", r.sysSeconds(),
                "cpu_pct", r.cpuPercent(), "load1_before", load);
    }

    // ------------------------------------------------------------------ dataset

    /** A generated or digested tree: "digest HEX files N bytes N". */
    record Generated(String digest, long files, long bytes, double seconds) {
        static Generated parse(String text, double seconds) {
            for (String l : text.split("\n")) {
                String[] f = l.strip().split("\\s+");
                if (f.length == 6 && f[0].equals("digest") && f[2].equals("files") && f[4].equals("bytes")) {
                    return new Generated(f[1], Long.parseLong(f[3]), Long.parseLong(f[5]), seconds);
                }
            }
            throw new BenchException("the dataset generator printed no digest line: " + TimedRun.tail(text));
        }
    }

    private Generated generate(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("python3", o.generator().toString(), "--size-mb", Integer.toString(o.sizeMb()),
                "--seed", Integer.toString(o.seed()), "--digest"));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        String text = TimedRun.Processes.run(cmd, null, Map.of(), ws.stepLimit());
        return Generated.parse(text, (System.nanoTime() - t0) / 1e9);
    }

    private Generated digest(Path tree) {
        if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
            throw new BenchException("the restore made no " + tree);
        }
        return Generated.parse(TimedRun.Processes.run(List.of("python3", o.generator().toString(), "--digest-only", tree.toString()),
                null, Map.of(), ws.stepLimit()), 0);
    }

    // ------------------------------------------------------------------ helpers

    /** Reads every file once, like anchors.sh's {@code find | xargs cat > /dev/null}, so all tools start warm. */
    private void warm(Path dir) {
        TimedRun.Processes.run(List.of("bash", "-c", "find \"$1\" -type f -print0 | xargs -0 -r cat > /dev/null", "warm", dir.toString()),
                null, Map.of(), ws.stepLimit());
    }

    private long du(Path dir) {
        String text = TimedRun.Processes.run(List.of("du", "-sb", dir.toString()), null, Map.of(), ws.stepLimit());
        return Long.parseLong(text.strip().split("\\s+")[0]);
    }

    private void emit(Map<String, Object> line) {
        String s = BenchJson.write(line);
        lines.add(s);
        out.println(s);
        out.flush();
    }

    private void log(String message) {
        err.printf("[%tT] %s%n", System.currentTimeMillis(), message);
        err.flush();
    }

    private void printTable() {
        out.println();
        out.printf("%-7s %-13s %9s %9s %12s %9s%n", "tool", "phase", "wall s", "MiB/s", "repo MiB", "RSS MiB");
        for (Map<String, PhaseResult> phases : results.values()) {
            for (PhaseResult p : phases.values()) {
                out.printf("%-7s %-13s %9.2f %9.1f %12s %9.1f%n", p.tool(), p.phase(), p.wallSeconds(), p.mibPerSecond(),
                        p.repoBytes() < 0 ? "-" : String.format("%.1f", p.repoBytes() / 1048576.0), p.maxRssMib());
            }
        }
        out.flush();
    }

    static String cpuModel() {
        try (Stream<String> s = Files.lines(Path.of("/proc/cpuinfo"))) {
            return s.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static long memTotalKib() {
        try (Stream<String> s = Files.lines(Path.of("/proc/meminfo"))) {
            return s.filter(l -> l.startsWith("MemTotal:")).map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The 1, 5 and 15 minute load averages: on a shared machine they say how busy the others were. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new BenchException("cannot delete " + dir + ": " + e.getMessage() + "; delete it by hand", e);
        }
    }
}
