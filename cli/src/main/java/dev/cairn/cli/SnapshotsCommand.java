package dev.cairn.cli;

import dev.cairn.engine.browse.Listing;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cairn snapshots}: a tenant's snapshots, oldest first, or one snapshot in full. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "Lists a tenant's snapshots, oldest first; with SNAPSHOT, shows that one in full.")
final class SnapshotsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Mixin
    TenantOption tenantOption;

    @Option(names = "--tag", paramLabel = "TAG", description = "only snapshots with this tag (repeatable: any of them)")
    List<String> tags = List.of();

    @Parameters(index = "0", arity = "0..1", paramLabel = "SNAPSHOT", description = "show this snapshot in full (an id prefix or latest)")
    String snapshot;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            String tenant = tenantOption.resolve(o.repo());
            if (snapshot != null) {
                show(out, Restore.find(o.repo(), tenant, snapshot));
                return 0;
            }
            List<Snapshot> all = Listing.snapshots(o.repo(), tenant).stream()
                    .filter(s -> tags.isEmpty() || s.tags().stream().anyMatch(tags::contains)).toList();
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
            out.println(all.size() + " snapshot" + (all.size() == 1 ? "" : "s") + " of tenant " + tenant
                    + (tags.isEmpty() ? "" : " tagged " + String.join(" or ", tags)));
            return 0;
        }
    }

    private void show(PrintWriter out, Snapshot s) {
        if (options.json) {
            out.println(Json.write(NodeOutput.snapshotJson(s)));
            return;
        }
        Snapshot.Summary m = s.summary();
        out.println("snapshot   " + s.id());
        out.println("tenant     " + s.tenant());
        out.println("time       " + NodeOutput.time(s.time()));
        out.println("host       " + s.hostname());
        out.println("paths      " + String.join(" ", s.paths().stream().map(Node::display).toList()));
        out.println("tags       " + (s.tags().isEmpty() ? "-" : String.join(",", s.tags())));
        out.println("parent     " + (s.parent() == null ? "-" : s.parent()));
        out.println("tree       " + s.treeHex());
        out.printf(Locale.ROOT, "files      %d in %d directories, %s%n", m.files(), m.dirs(), ProgressMeter.size(m.bytes()));
        out.printf(Locale.ROOT, "backup     read %s, stored %d new blobs (%s), %d errors, %.1f s%n", ProgressMeter.size(m.bytesRead()),
                m.newBlobs(), ProgressMeter.size(m.newBytes()), m.errors(), m.seconds());
    }
}
