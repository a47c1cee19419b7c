package dev.cairn.cli;

import dev.cairn.engine.browse.PathNotFoundException;
import dev.cairn.engine.browse.SnapshotPath;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn restore SNAPSHOT --target DIR [--path P]... [--overwrite]}, or {@code --path FILE --stdout}
 * for one file's bytes. Exit 0 when everything asked for was restored, 1 when something was skipped (each
 * listed with the reason) or the restore failed.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restores a snapshot, or paths of it, into a directory with metadata; or one file to stdout.")
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Mixin
    TenantOption tenantOption;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "an id prefix (4 hex digits or more) or \"latest\"")
    String snapshot;

    @Option(names = "--target", paramLabel = "DIR", description = "where to restore (created when absent; must be empty without --overwrite)")
    Path target;

    @Option(names = "--path", paramLabel = "P", description = "an absolute path in the snapshot to restore (repeatable; default: everything)")
    List<String> paths = new ArrayList<>();

    @Option(names = "--overwrite", description = "restore into a non-empty target, replacing files that are in the way")
    boolean overwrite;

    @Option(names = "--stdout", description = "write the one file named by --path to stdout instead")
    boolean stdout;

    @Override
    public Integer call() throws IOException {
        if (stdout) {
            if (paths.size() != 1 || target != null || overwrite || options.json) {
                throw new ParameterException(spec.commandLine(),
                        "--stdout takes exactly one --path FILE and neither --target, --overwrite nor --json");
            }
        } else if (target == null) {
            throw new ParameterException(spec.commandLine(), "name where to restore with --target DIR (or one file with --path FILE --stdout)");
        }
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            Repository repo = o.repo();
            String tenant = tenantOption.resolve(repo);
            Snapshot s = Restore.find(repo, tenant, snapshot);
            List<String> exact = new ArrayList<>();
            for (String p : paths) {
                exact.add(exactPath(repo, tenant, s, p));
            }
            if (stdout) {
                OutputStream raw = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 20);
                Restore.fileTo(repo, tenant, s.id(), exact.getFirst(), raw);
                raw.flush();
                return 0;
            }
            return toTarget(repo, tenant, s, exact);
        }
    }

    private int toTarget(Repository repo, String tenant, Snapshot s, List<String> exact) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = target.toAbsolutePath().normalize();
        long start = System.nanoTime();
        Restore.Result r;
        long total = exact.isEmpty() ? s.summary().bytes() : -1;
        try (ProgressMeter meter = ProgressMeter.forTerminal(err, "restore", options.json)) {
            r = Restore.run(repo, new Restore.Options(tenant, s.id(), dir, exact, overwrite, (files, bytes) -> meter.update(files, bytes, total)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (options.json) {
            out.println(Json.write(Json.object("tenant", tenant, "snapshot", s.id(), "target", dir.toString(), "paths", paths,
                    "files", r.files(), "dirs", r.dirs(), "bytes", r.bytes(), "skipped", r.skipped(), "seconds", seconds)));
        } else {
            out.printf(java.util.Locale.ROOT, "restored snapshot %s into %s: %d files, %d dirs, %s in %.1f s%n", s.shortId(), dir,
                    r.files(), r.dirs(), ProgressMeter.size(r.bytes()), seconds);
        }
        if (!r.skipped().isEmpty()) {
            err.println("cairn: " + r.skipped().size() + " entr" + (r.skipped().size() == 1 ? "y was" : "ies were") + " not restored:");
            r.skipped().forEach(line -> err.println("  " + line));
            err.flush();
            return 1;
        }
        return 0;
    }

    /**
     * The path as the engine's restore takes it (text; bytes that are not UTF-8 as lone surrogates), after
     * checking that it names something in the snapshot; {@code \xNN} escapes are resolved here.
     */
    private static String exactPath(Repository repo, String tenant, Snapshot s, String typed) {
        SnapshotPath.Located at;
        try {
            at = SnapshotPath.locate(repo, tenant, s, typed);
        } catch (PathNotFoundException e) {
            throw new CliException("snapshot " + s.shortId() + " has no " + typed + " (component " + e.component()
                    + " is missing or not a directory; `cairn ls` shows what it holds)", e);
        }
        if (at.path().isRoot()) {
            throw new CliException("--path / is the whole snapshot: leave --path out");
        }
        return at.path().escapedText();
    }
}
