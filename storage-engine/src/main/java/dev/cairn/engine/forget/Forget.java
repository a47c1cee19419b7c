package dev.cairn.engine.forget;

import dev.cairn.engine.lock.LockFileException;
import dev.cairn.engine.lock.LockRecord;
import dev.cairn.engine.lock.Locks;
import dev.cairn.engine.lock.ReleaseReport;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.retention.ForgetPlan;
import dev.cairn.engine.retention.KeepPolicy;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.RetentionLock;
import dev.cairn.engine.retention.RetentionPlanner;
import dev.cairn.engine.retention.SnapshotInfo;
import dev.cairn.engine.snapshot.Snapshot;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Forget by policy (AUTO-5; docs/retention.md, "What forget and prune guarantee"): a pure plan over a
 * tenant's snapshots, then its execution, which deletes snapshot files and nothing else.
 *
 * <p><b>Plan</b> ({@link #plan}): every snapshot of the tenant (or of every tenant) is read for its
 * source, time and tags, and its lock file for its lock; {@link RetentionPlanner} groups them by tenant
 * and source and applies the {@link KeepPolicy}. Fail closed: a snapshot whose file cannot be read is
 * left out of the plan, so it is never forgotten; a snapshot whose lock file cannot be read is planned
 * as locked forever. Both, and every group the policy would leave empty
 * ({@link ForgetPlan.Group#forgetsEverything()}), are {@link Plan#warnings()}. An empty policy is refused
 * (it would forget every unlocked snapshot).
 *
 * <p><b>Execution</b> ({@link #execute}): first {@link Locks#releaseExpired()} lifts the immutable
 * attribute that expired locks left. Then, for each snapshot the plan forgets, in one step that no lock
 * change can interleave with ({@link Locks#exclusively}): the lock file is read again with the clock's
 * time now, and a snapshot locked since the plan was made (or whose lock file has become unreadable) is
 * skipped and reported; otherwise its snapshot file is deleted and the directory synced (format rule 4).
 * Packs, the index and lock files are never touched: data goes only with prune, and an expired lock file
 * stays as the record of the lock.
 *
 * <p>There is no audit log yet (format rule 5); the caller shows {@link Plan#plan()} and the {@link Result}.
 */
public final class Forget {
    /** Stands in for the lock of a snapshot whose lock file cannot be read: active forever. */
    static final RetentionLock UNREADABLE = new RetentionLock(LockMode.COMPLIANCE, Instant.MAX, true, Instant.EPOCH);

    private final Repository repo;
    private final Locks locks;

    public Forget(Repository repo) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.locks = new Locks(repo);
    }

    /**
     * A plan and what the operator must know about it.
     *
     * @param plan       the planner's plan ({@link ForgetPlan#toText()} is the dry-run output)
     * @param tenants    the tenants planned
     * @param warnings   snapshots left out or kept because they cannot be read, and groups the policy
     *                   would leave without any snapshot; one line each
     */
    public record Plan(ForgetPlan plan, List<String> tenants, List<String> warnings) {
        public Plan {
            Objects.requireNonNull(plan, "plan");
            tenants = List.copyOf(tenants);
            warnings = List.copyOf(warnings);
        }

        /** True if some group would lose every snapshot it has. */
        public boolean forgetsAGroupEntirely() {
            return plan.groups().stream().anyMatch(ForgetPlan.Group::forgetsEverything);
        }
    }

    /** A snapshot of the plan that was not forgotten, and why. */
    public record Skipped(String tenant, String snapshot, String reason) {
    }

    /**
     * What {@link #execute} did.
     *
     * @param forgotten snapshot ids whose files were deleted
     * @param skipped   snapshots planned for forgetting but kept: locked since the plan, an unreadable lock
     *                  file, already gone
     * @param failed    snapshots whose file could not be deleted, with the reason
     * @param released  what lifting expired immutable attributes did first
     */
    public record Result(List<String> forgotten, List<Skipped> skipped, List<Skipped> failed, ReleaseReport released) {
        public Result {
            forgotten = List.copyOf(forgotten);
            skipped = List.copyOf(skipped);
            failed = List.copyOf(failed);
        }
    }

    /**
     * Plans which snapshots to forget.
     *
     * @param tenant the tenant, or null for every tenant of the repository
     * @throws IllegalArgumentException if the policy is empty
     */
    public Plan plan(String tenant, KeepPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        Instant now = repo.clock().instant();
        if (policy.isEmpty()) {
            RetentionPlanner.plan(List.of(), policy, now); // throws, with the options to give
        }
        List<String> tenants = tenant == null ? repo.tenants() : List.of(tenant);
        if (tenant != null) {
            repo.tenantNo(tenant);
        }
        List<SnapshotInfo> infos = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String t : tenants) {
            for (String id : repo.snapshots().ids(t)) {
                Snapshot s;
                try {
                    s = repo.snapshots().read(t, id, repo.keys(t));
                } catch (RuntimeException e) {
                    warnings.add("snapshot " + id + " of tenant " + t + " cannot be read, so it is kept: " + e.getMessage()
                            + "; run `cairn verify`");
                    continue;
                }
                RetentionLock lock;
                try {
                    lock = locks.lock(t, id).map(LockRecord::lock).orElse(null);
                } catch (LockFileException e) {
                    lock = UNREADABLE;
                    warnings.add(e.getMessage());
                }
                infos.add(new SnapshotInfo(id, t, printable(s.source()), s.time(), s.tags(), lock));
            }
        }
        ForgetPlan plan = RetentionPlanner.plan(infos, policy, now);
        for (ForgetPlan.Group g : plan.groups()) {
            if (g.forgetsEverything()) {
                warnings.add("tenant " + g.tenant() + ", source " + g.source() + ": the policy keeps none of its "
                        + g.forget().size() + " snapshots (" + policy.describe() + ")");
            }
        }
        return new Plan(plan, tenants, warnings);
    }

    /** Executes {@code plan}: deletes the snapshot files it forgets, each after checking its lock again. */
    public Result execute(Plan plan) {
        Objects.requireNonNull(plan, "plan");
        ReleaseReport released = locks.releaseExpired();
        List<String> forgotten = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<Skipped> failed = new ArrayList<>();
        for (ForgetPlan.Group g : plan.plan().groups()) {
            for (SnapshotInfo s : g.forget()) {
                locks.exclusively(() -> {
                    forgetOne(s.tenant(), s.id(), forgotten, skipped, failed);
                    return null;
                });
            }
        }
        return new Result(forgotten, skipped, failed, released);
    }

    private void forgetOne(String tenant, String id, List<String> forgotten, List<Skipped> skipped, List<Skipped> failed) {
        if (!Files.exists(repo.snapshots().file(tenant, id))) {
            skipped.add(new Skipped(tenant, id, "already gone"));
            return;
        }
        Optional<LockRecord> lock;
        try {
            lock = locks.lock(tenant, id);
        } catch (LockFileException e) {
            skipped.add(new Skipped(tenant, id, "its lock file cannot be read, so it counts as locked forever"));
            return;
        }
        Instant now = repo.clock().instant();
        if (lock.isPresent() && lock.get().lock().activeAt(now)) {
            skipped.add(new Skipped(tenant, id, "locked since the plan was made: " + lock.get().lock().describe()));
            return;
        }
        try {
            repo.snapshots().delete(tenant, id);
            forgotten.add(id);
        } catch (UncheckedIOException e) {
            failed.add(new Skipped(tenant, id, e.getMessage()));
        }
    }

    /** A source as one line: control characters (possible in path names) become {@code \xNN}. */
    static String printable(String source) {
        StringBuilder sb = new StringBuilder(source.length());
        source.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.toString();
    }
}
