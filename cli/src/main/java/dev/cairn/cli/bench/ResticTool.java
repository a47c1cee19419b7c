package dev.cairn.cli.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** restic, as anchors.sh runs it: repository v2, compression auto, defaults otherwise, {@code --host bench}. */
final class ResticTool implements BenchTool {
    private final Workspace ws;
    private final Map<String, String> env;

    ResticTool(Workspace ws) {
        this.ws = ws;
        this.env = Map.of("RESTIC_PASSWORD", "bench-password", "RESTIC_CACHE_DIR", ws.dir().resolve("restic-cache").toString());
    }

    @Override
    public String name() {
        return "restic";
    }

    @Override
    public String settings() {
        return TimedRun.Processes.run(List.of("restic", "version"), null, env, ws.stepLimit()).strip()
                + "; default settings (compression auto), --host bench";
    }

    private String repo() {
        return ws.repo(name()).toString();
    }

    @Override
    public void init() {
        TimedRun.Processes.run(List.of("restic", "init", "-q", "-r", repo()), null, env, ws.stepLimit());
    }

    @Override
    public TimedRun backup(String phase) {
        return TimedRun.run(ws.dir(), name() + "." + phase, null, env,
                List.of("restic", "-r", repo(), "backup", "-q", "--json", "--host", "bench", ws.src().toString()), ws.stepLimit());
    }

    @Override
    public String stats(TimedRun backup) {
        for (String l : backup.stdout().split("\n")) {
            if (l.contains("\"message_type\":\"summary\"")) {
                return l.strip();
            }
        }
        return null;
    }

    @Override
    public TimedRun restore(Path target) {
        return TimedRun.run(ws.dir(), name() + ".restore", null, env,
                List.of("restic", "-r", repo(), "restore", "latest", "--target", target.toString()), ws.stepLimit());
    }

    @Override
    public Path restoredTree(Path target) {
        return target.resolve(ws.src().toString().substring(1));
    }
}
