package dev.cairn.mgmt.server;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.browse.Listing;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.verify.Verify;
import dev.cairn.engine.verify.VerifyReport;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cairn.mgmt.access.Permission.*;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;

/**
 * The backup repository through the API: snapshots, a backup of a configured source, a verification. Backups
 * and verifications run as tasks. Responses never carry file names or paths (PHI): snapshots show IDs, times,
 * counts and sizes only.
 */
final class RepoRoutes {
    record SnapshotView(String id, Instant time, String hostname, Set<String> tags, long files, long bytes) {
    }

    record BackupRequest(String source) {
    }

    record VerifyRequest(Boolean readData) {
    }

    record RestoreRequest(String snapshot, String target) {
    }

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Appliance app;

    private RepoRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        RepoRoutes r = new RepoRoutes(app);
        return List.of(
                new ApiRoute(GET, "/api/v1/snapshots", REPO_READ, null, false, null,
                        "Snapshots of the appliance's tenant (no paths)", r::snapshots),
                new ApiRoute(POST, "/api/v1/backups", BACKUP_RUN, "backup.start", false, BackupRequest.class,
                        "Start a backup of a configured source; returns a task", r::backup),
                new ApiRoute(POST, "/api/v1/verify", VERIFY_RUN, "verify.start", false, VerifyRequest.class,
                        "Start a verification of the repository; returns a task", r::verify),
                new ApiRoute(POST, "/api/v1/restores", RESTORE_RUN, "restore.start", true, RestoreRequest.class,
                        "Restore a snapshot into a new directory under a configured restore target; returns a task",
                        r::restore));
    }

    private Path repository() {
        Path repo = app.config().repository();
        if (repo == null) {
            throw new ApiException(409, "No repository", "this appliance serves no repository yet; set one up first");
        }
        return repo;
    }

    private Repository open(Repository.LockMode mode) {
        return Repository.open(repository(), app.vault(), mode, app.clock(), app.random());
    }

    private Object snapshots(Call call) {
        try (Repository repo = open(Repository.LockMode.SHARED)) {
            return Listing.snapshots(repo, app.config().tenant()).stream().map(s -> new SnapshotView(s.id(), s.time(),
                    s.hostname(), Set.copyOf(s.tags()), s.summary().files(), s.summary().bytes())).toList();
        }
    }

    private Object backup(Call call) {
        BackupRequest r = call.body(BackupRequest.class);
        Path source = r.source() == null ? null : app.config().sources().get(r.source());
        if (source == null) {
            throw ApiException.badRequest("source must name a configured source: " + app.config().sources().keySet());
        }
        repository();
        call.target("source:" + r.source());
        Tasks.View task = app.tasks().submit("backup", call.caller().name(), "bytes", progress -> {
            try (Repository repo = open(Repository.LockMode.SHARED)) {
                Snapshot s = Backup.run(repo, new Backup.Options(app.config().tenant(), List.of(source),
                        new LinkedHashSet<>(Set.of("api")), "appliance", "auto",
                        (files, read, skipped) -> progress.done(read + skipped)));
                // the engine reports progress while it works, not a last time at the end: the task ends at the total
                progress.total(s.summary().bytes());
                progress.done(s.summary().bytes());
                return "snapshot " + s.shortId() + ": " + s.summary().files() + " files";
            }
        });
        call.target("task:" + task.id());
        return Reply.json(202, task);
    }

    private Object restore(Call call) {
        RestoreRequest r = call.body(RestoreRequest.class);
        if (r.snapshot() == null || !r.snapshot().matches("latest|[0-9a-f]{4,64}")) {
            throw ApiException.badRequest("snapshot must be latest or a snapshot ID (4 to 64 hex digits)");
        }
        Path base = r.target() == null ? null : app.config().restoreTargets().get(r.target());
        if (base == null) {
            throw ApiException.badRequest("target must name a configured restore target: " + app.config().restoreTargets().keySet());
        }
        repository();
        call.target("snapshot:" + r.snapshot());
        call.target("restore-target:" + r.target());
        Path into = base.resolve("restore-" + r.snapshot().substring(0, Math.min(8, r.snapshot().length())) + "-"
                + STAMP.format(call.now()));
        Tasks.View task = app.tasks().submit("restore", call.caller().name(), "bytes", progress -> {
            try (Repository repo = open(Repository.LockMode.SHARED)) {
                Restore.Result result = Restore.run(repo, new Restore.Options(app.config().tenant(), r.snapshot(), into,
                        List.of(), false, (files, bytes) -> progress.done(bytes)));
                progress.total(result.bytes());
                progress.done(result.bytes());
                return "restored " + result.files() + " files (" + result.bytes() + " bytes) of snapshot "
                        + result.snapshot().shortId() + " into " + into.getFileName()
                        + (result.skipped().isEmpty() ? "" : "; " + result.skipped().size() + " entries skipped, see cairn restore");
            }
        });
        call.target("task:" + task.id());
        return Reply.json(202, task);
    }

    private Object verify(Call call) {
        VerifyRequest r = call.body(VerifyRequest.class);
        boolean data = Boolean.TRUE.equals(r.readData());
        repository();
        Tasks.View task = app.tasks().submit("verify", call.caller().name(), "bytes", progress -> {
            try (Repository repo = open(Repository.LockMode.SHARED)) {
                VerifyReport report = Verify.run(repo, new Verify.Options(data, null, app.config().tenant(),
                        (packs, bytes, total) -> {
                            progress.total(total);
                            progress.done(bytes);
                        }));
                return report.clean() ? "no findings" : report.findings().size() + " findings; run cairn verify for details";
            }
        });
        call.target("task:" + task.id());
        return Reply.json(202, task);
    }
}
