package dev.cairn.cli;

import dev.cairn.engine.browse.Find;
import dev.cairn.engine.browse.Listing;
import dev.cairn.engine.repo.Repository;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cairn find PATTERN}: a path or a name pattern across every snapshot of a tenant, oldest first. */
@Command(name = "find", mixinStandardHelpOptions = true,
        description = "Finds a path (PATTERN starts with /) or a name glob (*, ?, [...]) in every snapshot of a tenant.")
final class FindCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Mixin
    TenantOption tenantOption;

    @Parameters(index = "0", paramLabel = "PATTERN",
            description = "/a/path (each component may be a glob) or a name glob; \\xNN stands for a byte that is not UTF-8")
    String pattern;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            Repository repo = o.repo();
            String tenant = tenantOption.resolve(repo);
            List<Map<String, Object>> matches = new ArrayList<>();
            AtomicLong count = new AtomicLong();
            if (!options.json) {
                out.printf(Locale.ROOT, "%-8s  %-20s  %-10s  %13s  %-20s  %s%n", "SNAPSHOT", "TIME", "MODE", "SIZE", "MTIME", "PATH");
            }
            Find.run(repo, tenant, Listing.snapshots(repo, tenant), pattern, m -> {
                count.incrementAndGet();
                if (options.json) {
                    Map<String, Object> j = NodeOutput.entryJson(m.path(), m.node());
                    Map<String, Object> withSnapshot = Json.object("snapshot", m.snapshot().id(), "time", m.snapshot().time().toString());
                    withSnapshot.putAll(j);
                    matches.add(withSnapshot);
                } else {
                    out.printf(Locale.ROOT, "%-8s  %-20s  %-10s  %13d  %-20s  %s%n", m.snapshot().shortId(),
                            NodeOutput.time(m.snapshot().time()), NodeOutput.modeString(m.node()), m.node().size(),
                            NodeOutput.time(NodeOutput.instant(m.node().mtimeNs())), m.displayPath());
                }
            });
            if (options.json) {
                out.println(Json.write(Json.object("tenant", tenant, "pattern", pattern, "matches", matches)));
            } else {
                out.println(count.get() + " match" + (count.get() == 1 ? "" : "es"));
            }
            return 0;
        }
    }
}
