package dev.cairn.cli;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.browse.Listing;
import dev.cairn.engine.fs.FsException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn backup PATH...}: one snapshot of the paths for a tenant, incremental to the newest snapshot
 * of the same tenant and paths. Exit 0 when every entry was stored completely; 1 when the backup failed
 * (no snapshot) or when some entries could not be read (the snapshot is written and records them as
 * incomplete; they are listed).
 */
@Command(name = "backup", mixinStandardHelpOptions = true, description = "Backs up file trees into a new snapshot.")
final class BackupCommand implements Callable<Integer> {
    /** At most this many incomplete entries are listed; the count says how many there are. */
    static final int LIST_LIMIT = 200;

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Mixin
    TenantOption tenantOption;

    @Option(names = "--tag", paramLabel = "X", description = "a tag for the snapshot (repeatable)")
    List<String> tags = new ArrayList<>();

    @Option(names = "--host", paramLabel = "NAME", description = "the host name recorded in the snapshot (default: this machine's)")
    String host;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "files or directories to back up")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            Repository repo = o.repo();
            String tenant = tenantOption.resolve(repo);
            Backup.Options probe = new Backup.Options(tenant, paths, new LinkedHashSet<>(tags), hostname(), "auto", null);
            long estimate = previousSize(repo, tenant, probe.source());
            Snapshot s;
            try (ProgressMeter meter = ProgressMeter.forTerminal(err, "backup", options.json)) {
                AtomicLong skipped = new AtomicLong();
                Backup.Progress progress = (files, bytesRead, bytesSkipped) ->
                        meter.update(files, bytesRead + skipped.addAndGet(bytesSkipped), estimate);
                s = run(repo, new Backup.Options(tenant, paths, new LinkedHashSet<>(tags), hostname(), "auto", progress));
            }
            List<Map<String, Object>> incomplete = new ArrayList<>();
            if (s.summary().errors() > 0) {
                Listing.walk(repo, tenant, s, null, true, e -> {
                    if (e.node().incomplete() && incomplete.size() < LIST_LIMIT) {
                        incomplete.add(Json.object("path", e.displayPath(), "error", e.node().error()));
                    }
                });
            }
            print(out, err, s, incomplete);
            return s.summary().errors() > 0 ? 1 : 0;
        }
    }

    private Snapshot run(Repository repo, Backup.Options opts) {
        try {
            return Backup.run(repo, opts);
        } catch (RuntimeException e) {
            if (diskFull(e)) {
                throw new CliException("backup failed: the repository's disk is full (ENOSPC, no space left on device under "
                        + repo.dir() + "). No snapshot was written, and nothing half-written is left in packs/ (an unfinished "
                        + "pack is removed; packs sealed before the failure are kept and the next backup reuses them). "
                        + "Free space on that file system (forget and prune old snapshots, or grow the disk) or move the "
                        + "repository to a larger one, then run the backup again.", e);
            }
            if (e instanceof UncheckedIOException || e instanceof IllegalStateException) {
                throw new CliException("backup failed: " + e.getMessage() + ". No snapshot was written; the repository is "
                        + "unchanged apart from packs the next backup reuses. Fix the cause and run the backup again.", e);
            }
            throw e;
        }
    }

    /** True when ENOSPC is anywhere in the chain (a pack write, the index, a snapshot file, the file system layer). */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FsException f && "ENOSPC".equals(f.errnoName())) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("disk is full") || m.contains("NoSpace"))) {
                return true;
            }
            for (Throwable s : t.getSuppressed()) {
                if (diskFull(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The size of the newest snapshot of the same tenant and paths: the progress line's estimate, or -1. */
    private static long previousSize(Repository repo, String tenant, String source) {
        Snapshot newest = null;
        for (Snapshot s : Listing.snapshots(repo, tenant)) {
            if (s.source().equals(source)) {
                newest = s;
            }
        }
        return newest == null ? -1 : newest.summary().bytes();
    }

    private String hostname() {
        if (host != null) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private void print(PrintWriter out, PrintWriter err, Snapshot s, List<Map<String, Object>> incomplete) {
        Snapshot.Summary m = s.summary();
        if (options.json) {
            Map<String, Object> j = NodeOutput.snapshotJson(s);
            j.put("incomplete", incomplete);
            out.println(Json.write(j));
        } else {
            out.println("snapshot " + s.id() + " saved (tenant " + s.tenant() + (s.parent() == null ? "" : ", parent "
                    + s.parent().substring(0, 8)) + ")");
            out.printf(Locale.ROOT, "files %d, dirs %d, bytes %s, bytes read %s, new blobs %d, new bytes %s, errors %d, %.1f s%n",
                    m.files(), m.dirs(), ProgressMeter.size(m.bytes()), ProgressMeter.size(m.bytesRead()), m.newBlobs(),
                    ProgressMeter.size(m.newBytes()), m.errors(), m.seconds());
        }
        if (m.errors() > 0) {
            err.println("cairn: " + m.errors() + " entries could not be backed up completely. The snapshot " + s.shortId()
                    + " was written: it records the entries below as incomplete with the reason (entries that vanished "
                    + "during the backup are counted but not recorded). Fix the cause and back up again.");
            for (Map<String, Object> i : incomplete) {
                err.println("  " + i.get("path") + ": " + i.get("error"));
            }
            if (incomplete.size() == LIST_LIMIT) {
                err.println("  ... (the first " + LIST_LIMIT + " are listed; `cairn ls --recursive` shows every entry)");
            }
            err.flush();
        }
    }
}
