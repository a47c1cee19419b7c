package dev.cairn.cli;

import dev.cairn.engine.browse.Listing;
import dev.cairn.engine.browse.PathNotFoundException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cairn ls SNAPSHOT [PATH]}: the entries of a snapshot, like {@code ls -l}. */
@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists the entries of a snapshot (under PATH; everything below with --recursive).")
final class LsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Mixin
    TenantOption tenantOption;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "an id prefix (4 hex digits or more) or \"latest\"")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH",
            description = "an absolute path in the snapshot (default: its root); \\xNN stands for a byte that is not UTF-8")
    String path;

    @Option(names = {"--recursive", "-r"}, description = "list everything below PATH, not only what is directly in it")
    boolean recursive;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            Repository repo = o.repo();
            String tenant = tenantOption.resolve(repo);
            Snapshot s = Restore.find(repo, tenant, snapshot);
            List<Map<String, Object>> entries = new ArrayList<>();
            try {
                Listing.walk(repo, tenant, s, path, recursive, e -> {
                    if (options.json) {
                        entries.add(NodeOutput.entryJson(e.path(), e.node()));
                    } else {
                        out.println(NodeOutput.line(e.path(), e.node()));
                    }
                });
            } catch (PathNotFoundException e) {
                throw new CliException("snapshot " + s.shortId() + " has no " + path + " (component " + e.component()
                        + " is missing or not a directory; `cairn ls " + s.shortId() + "` shows its top)", e);
            }
            if (options.json) {
                out.println(Json.write(Json.object("tenant", tenant, "snapshot", s.id(), "path", path == null ? "/" : path,
                        "recursive", recursive, "entries", entries)));
            }
            return 0;
        }
    }
}
