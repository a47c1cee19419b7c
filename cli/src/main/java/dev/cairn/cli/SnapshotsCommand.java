package dev.cairn.cli;

import dev.cairn.engine.browse.Listing;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cairn snapshots}: a tenant's snapshots, oldest first. */
@Command(name = "snapshots", mixinStandardHelpOptions = true, description = "Lists a tenant's snapshots, oldest first.")
final class SnapshotsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Mixin
    TenantOption tenantOption;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            String tenant = tenantOption.resolve(o.repo());
            List<Snapshot> all = Listing.snapshots(o.repo(), tenant);
            if (options.json) {
                out.println(Json.write(Json.object("tenant", tenant, "snapshots", all.stream().map(NodeOutput::snapshotJson).toList())));
                return 0;
            }
            out.printf(Locale.ROOT, "%-8s  %-20s  %-16s  %-16s  %9s  %10s  %s%n", "ID", "TIME", "HOST", "TAGS", "FILES", "SIZE", "PATHS");
            for (Snapshot s : all) {
                out.printf(Locale.ROOT, "%-8s  %-20s  %-16s  %-16s  %9d  %10s  %s%n", s.shortId(), NodeOutput.time(s.time()),
                        s.hostname(), s.tags().isEmpty() ? "-" : String.join(",", s.tags()), s.summary().files(),
                        ProgressMeter.size(s.summary().bytes()), String.join(" ", s.paths().stream().map(Node::display).toList()));
            }
            out.println(all.size() + " snapshot" + (all.size() == 1 ? "" : "s") + " of tenant " + tenant);
            return 0;
        }
    }
}
