package dev.cairn.cli;

import dev.cairn.engine.browse.SnapshotDiff;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn diff SNAPSHOT1 SNAPSHOT2}: what changed from the first to the second. Text lines start with
 * {@code +} added, {@code -} removed, {@code M} content modified, {@code U} metadata only.
 */
@Command(name = "diff", mixinStandardHelpOptions = true, description = "Shows what was added, removed or modified between two snapshots.")
final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Mixin
    TenantOption tenantOption;

    @Parameters(index = "0", paramLabel = "SNAPSHOT1", description = "the earlier snapshot: an id prefix or \"latest\"")
    String from;

    @Parameters(index = "1", paramLabel = "SNAPSHOT2", description = "the later snapshot: an id prefix or \"latest\"")
    String to;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            Repository repo = o.repo();
            String tenant = tenantOption.resolve(repo);
            Snapshot a = Restore.find(repo, tenant, from);
            Snapshot b = Restore.find(repo, tenant, to);
            List<Map<String, Object>> changes = new ArrayList<>();
            SnapshotDiff.Stats stats = SnapshotDiff.run(repo, tenant, a, b, c -> {
                if (options.json) {
                    changes.add(Json.object("path", c.displayPath(), "pathBase64", Base64.getEncoder().encodeToString(c.path().bytes()),
                            "change", c.kind().name().toLowerCase(Locale.ROOT), "type", NodeOutput.typeName(c.node().type()),
                            "content", c.content(), "metadata", c.metadata()));
                } else {
                    out.println(line(c));
                }
            });
            if (options.json) {
                out.println(Json.write(Json.object("tenant", tenant, "from", a.id(), "to", b.id(), "changes", changes,
                        "summary", Json.object("added", stats.added(), "removed", stats.removed(), "modified", stats.modified()))));
            } else {
                out.println(stats.added() + " added, " + stats.removed() + " removed, " + stats.modified() + " modified ("
                        + a.shortId() + " -> " + b.shortId() + ")");
            }
            return 0;
        }
    }

    static String line(SnapshotDiff.Change c) {
        return switch (c.kind()) {
            case ADDED -> "+ " + c.displayPath();
            case REMOVED -> "- " + c.displayPath();
            case MODIFIED -> {
                List<String> what = new ArrayList<>();
                if (c.content()) {
                    what.add("content");
                }
                what.addAll(c.metadata());
                yield (c.content() ? "M " : "U ") + c.displayPath() + " (" + String.join(", ", what) + ")";
            }
        };
    }
}
