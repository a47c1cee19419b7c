package dev.cairn.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * BorgBackup 1.2, as anchors.sh runs it: {@code --encryption repokey} (AES-256-CTR + HMAC-SHA256, its
 * fastest authenticated mode here), {@code --compression zstd,3}, default chunker; archives {@code src}
 * relative to the work directory.
 */
final class BorgTool implements BenchTool {
    private final Workspace ws;
    private final Map<String, String> env;
    private int archives;

    BorgTool(Workspace ws) {
        this.ws = ws;
        this.env = Map.of("BORG_PASSPHRASE", "bench-password", "BORG_DISPLAY_PASSPHRASE", "no",
                "BORG_BASE_DIR", ws.dir().resolve("borg-home").toString());
    }

    @Override
    public String name() {
        return "borg";
    }

    @Override
    public String settings() {
        return TimedRun.Processes.run(List.of("borg", "--version"), null, env, ws.stepLimit()).strip()
                + "; --encryption repokey --compression zstd,3, default chunker";
    }

    private String repo() {
        return ws.repo(name()).toString();
    }

    @Override
    public void init() {
        TimedRun.Processes.run(List.of("borg", "init", "--encryption", "repokey", repo()), null, env, ws.stepLimit());
    }

    @Override
    public TimedRun backup(String phase) {
        archives++;
        return TimedRun.run(ws.dir(), name() + "." + phase, ws.src().getParent(), env,
                List.of("borg", "create", "--json", "--compression", "zstd,3", repo() + "::a" + archives,
                        ws.src().getFileName().toString()), ws.stepLimit());
    }

    @Override
    public String stats(TimedRun backup) {
        JsonNode all = BenchJson.parse(backup.stdout());
        return all == null ? null : all.path("archive").path("stats").toString();
    }

    @Override
    public TimedRun restore(Path target) {
        return TimedRun.run(ws.dir(), name() + ".restore", target, env, List.of("borg", "extract", repo() + "::a" + archives),
                ws.stepLimit());
    }

    @Override
    public Path restoredTree(Path target) {
        return target.resolve(ws.src().getFileName().toString());
    }
}
