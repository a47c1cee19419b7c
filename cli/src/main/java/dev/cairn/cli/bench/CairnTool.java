package dev.cairn.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Cairn under measurement: every step is a new JVM started like {@code ./cairn} starts the command line
 * (same java, same class path, {@code --enable-native-access}), running {@link StorageBenchMain}. The
 * SoftHSM2 token is made in the work directory. {@code CAIRN_BENCH_JAVA_OPTS} adds JVM options to the
 * measured steps (e.g. {@code -XX:StartFlightRecording=...} to profile them).
 */
final class CairnTool implements BenchTool {
    static final String TENANT = "bench";
    /** The heap limit the {@code ./cairn} launcher gives {@code backup} and {@code restore}. */
    static final String BACKUP_RESTORE_HEAP = "-Xmx640m";

    private final Workspace ws;
    private final Path java;
    private final String classPath;
    private final String home;
    private final List<String> jvmOptions;
    private Path hsmConf;
    private String lastSnapshot;

    CairnTool(Workspace ws) {
        this.ws = ws;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.classPath = System.getProperty("java.class.path");
        this.home = System.getProperty("cairn.home", ".");
        String extra = System.getenv("CAIRN_BENCH_JAVA_OPTS");
        this.jvmOptions = extra == null || extra.isBlank() ? List.of() : Arrays.asList(extra.trim().split("\\s+"));
    }

    @Override
    public String name() {
        return "cairn";
    }

    @Override
    public String settings() {
        return "engine defaults (repository config.json: zstd, per-class chunking), java " + Runtime.version()
                + (jvmOptions.isEmpty() ? "" : ", JVM options " + String.join(" ", jvmOptions));
    }

    private List<String> command(String step, String... args) {
        List<String> c = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-Dcairn.home=" + home));
        if (!step.equals("setup")) {
            c.add(BACKUP_RESTORE_HEAP); // as ./cairn runs backup and restore
        }
        c.addAll(jvmOptions);
        c.addAll(List.of("-cp", classPath, StorageBenchMain.class.getName(), step));
        c.addAll(List.of(args));
        return c;
    }

    @Override
    public void init() {
        Path hsmDir = ws.dir().resolve("hsm");
        String out = TimedRun.Processes.run(command("setup", "--hsm-dir", hsmDir.toString(), "--repo", ws.repo(name()).toString(),
                "--tenant", TENANT), null, Map.of(), ws.stepLimit());
        JsonNode line = BenchJson.lastObject(out);
        if (line == null || !line.hasNonNull("hsm")) {
            throw new BenchException("the Cairn setup step printed no result: " + TimedRun.tail(out));
        }
        hsmConf = Path.of(line.get("hsm").asText());
    }

    @Override
    public TimedRun backup(String phase) {
        TimedRun r = TimedRun.run(ws.dir(), name() + "." + phase, null, Map.of(), command("backup", "--repo",
                ws.repo(name()).toString(), "--hsm", hsmConf.toString(), "--tenant", TENANT, ws.src().toString()), ws.stepLimit());
        JsonNode line = BenchJson.lastObject(r.stdout());
        if (line == null || !line.hasNonNull("snapshot")) {
            throw new BenchException("the Cairn backup printed no snapshot: " + TimedRun.tail(r.stdout()));
        }
        lastSnapshot = line.get("snapshot").asText();
        return r;
    }

    @Override
    public String stats(TimedRun backup) {
        JsonNode line = BenchJson.lastObject(backup.stdout());
        return line == null ? null : line.toString();
    }

    @Override
    public TimedRun restore(Path target) {
        return TimedRun.run(ws.dir(), name() + ".restore", null, Map.of(), command("restore", "--repo", ws.repo(name()).toString(),
                "--hsm", hsmConf.toString(), "--tenant", TENANT, lastSnapshot, "--target", target.toString()), ws.stepLimit());
    }

    @Override
    public Path restoredTree(Path target) {
        return target.resolve(ws.src().toString().substring(1)); // the snapshot holds the absolute path
    }
}
