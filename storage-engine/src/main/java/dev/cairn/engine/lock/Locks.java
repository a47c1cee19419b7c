package dev.cairn.engine.lock;

import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.retention.LockChange;
import dev.cairn.engine.retention.LockDecision;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.LockRules;
import dev.cairn.engine.retention.LockViolation;
import dev.cairn.engine.retention.RetentionLock;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Retention locks of a repository's snapshots (IMM-1, AUTO-5; docs/retention.md): setting, extending,
 * shortening and removing a lock, and legal holds, each checked by {@link LockRules}, with approvals
 * asked through the key plane's {@link dev.cairn.hsm.approval.Authorization}; and the Linux immutable
 * attribute on the files an active lock protects.
 *
 * <p><b>A change</b> ({@link #change}, and {@link #set}, {@link #retainUntil}, {@link #legalHold},
 * {@link #remove} built on it): the snapshot must exist; its current lock is read (an unreadable lock file
 * refuses every change: {@link LockFileException}); the wanted lock is built; {@link LockRules#check} runs
 * with {@code now} from the repository's clock. A {@code FORBIDDEN} answer is thrown as it is, whatever
 * approvals were offered. For {@code APPROVAL_REQUIRED}, each approval action needed is asked of the
 * offered {@link Approval}s on the target {@code snapshot:<id>}; the change goes ahead only if every
 * action found an approval that passes ({@link LockRefusedException} otherwise). The new lock file is
 * written over the old one atomically, with one history entry per change naming the approval used.
 *
 * <p><b>Immutable attribute.</b> While a lock is active, its snapshot file, its lock file and every pack
 * the snapshot references (its trees walked, each blob's pack taken from the index) carry
 * {@code FS_IMMUTABLE_FL} ({@code chattr +i}), set after every change that leaves the lock active. It is a
 * second line behind the lock file, which governs alone: where the file system has no inode flags, or
 * the process lacks CAP_LINUX_IMMUTABLE, the change still happens and {@link ImmutableReport} says what
 * is missing. {@link #releaseExpired()} lifts it from the snapshot and lock files of locks that are no
 * longer active and from packs no active lock references; a change that leaves a snapshot unprotected
 * runs it.
 *
 * <p><b>Concurrency.</b> Only one process has a repository open (the RocksDB index is exclusive). Within
 * the process every change, every release and {@link #exclusively} work (forget) of one repository are
 * serialised by one lock, so a lock change never races a release or a forget's re-check.
 */
public final class Locks {
    private static final Map<Repository, ReentrantLock> GUARDS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Repository repo;
    private final LockStore store;
    private final ReentrantLock guard;
    private final Immutability immutability;

    public Locks(Repository repo) {
        this.repo = Objects.requireNonNull(repo, "repo");
        this.store = new LockStore(repo.dir());
        this.guard = GUARDS.computeIfAbsent(repo, r -> new ReentrantLock());
        this.immutability = new Immutability(repo, store);
    }

    public LockStore store() {
        return store;
    }

    /**
     * Runs {@code work} while no lock change, release or other exclusive work of this repository runs in
     * this process. Forget uses it to re-check a lock and delete the snapshot as one step.
     */
    public <T> T exclusively(Supplier<T> work) {
        guard.lock();
        try {
            return work.get();
        } finally {
            guard.unlock();
        }
    }

    /** A snapshot, by tenant and full id. */
    public record Target(String tenant, String snapshot) {
    }

    /**
     * Finds a snapshot by its id or a unique prefix of at least 8 hex digits, in {@code tenant} or, when
     * null, in every tenant.
     *
     * @throws IllegalArgumentException when the text is not 8 to 64 hex digits
     * @throws RepoException            when no snapshot or more than one matches
     */
    public Target resolve(String tenant, String idOrPrefix) {
        Objects.requireNonNull(idOrPrefix, "idOrPrefix");
        if (!idOrPrefix.matches("[0-9a-f]{8,64}")) {
            throw new IllegalArgumentException("a snapshot is named by its id or the first 8 or more of its 64 hex digits"
                    + " (a retention change names one snapshot exactly, so `latest` is not accepted; `cairn snapshots` lists the ids)");
        }
        List<String> tenants = tenant == null ? repo.tenants() : List.of(tenant);
        if (tenant != null) {
            repo.tenantNo(tenant);
        }
        List<Target> found = new ArrayList<>();
        for (String t : tenants) {
            for (String id : repo.snapshots().ids(t)) {
                if (id.startsWith(idOrPrefix)) {
                    found.add(new Target(t, id));
                }
            }
        }
        if (found.isEmpty()) {
            throw new RepoException("no snapshot " + idOrPrefix + (tenant == null ? "" : " in tenant " + tenant)
                    + "; list them with `cairn snapshots`");
        }
        if (found.size() > 1) {
            throw new RepoException(found.size() + " snapshots start with " + idOrPrefix + "; give more digits");
        }
        return found.getFirst();
    }

    /**
     * The snapshot's lock file, or empty if it has none.
     *
     * @throws LockFileException if the file cannot be read (treat the snapshot as locked forever)
     */
    public Optional<LockRecord> lock(String tenant, String snapshot) {
        return store.read(tenant, snapshot);
    }

    /**
     * What to change. A null field keeps the current value. On a snapshot without a lock, {@code mode} and
     * {@code retainUntil} are both needed, except for a legal hold alone, which creates a governance lock
     * with {@code retainUntil = createdAt = now} and the hold ({@link LockRules#setLegalHold}).
     */
    public record Request(LockMode mode, Instant retainUntil, Boolean legalHold) {
    }

    /** Sets a lock with this mode and end, creating one if the snapshot has none. */
    public LockResult set(String tenant, String snapshot, LockMode mode, Instant retainUntil, List<Approval> approvals) {
        return change(tenant, snapshot, new Request(Objects.requireNonNull(mode, "mode"),
                Objects.requireNonNull(retainUntil, "retainUntil"), null), approvals);
    }

    /** Moves the end of the retention period: later is free, earlier follows the matrix. */
    public LockResult retainUntil(String tenant, String snapshot, Instant retainUntil, List<Approval> approvals) {
        return change(tenant, snapshot, new Request(null, Objects.requireNonNull(retainUntil, "retainUntil"), null), approvals);
    }

    /** Sets (free) or releases (needs {@link LockRules#APPROVAL_REMOVE}) the legal hold. */
    public LockResult legalHold(String tenant, String snapshot, boolean on, List<Approval> approvals) {
        return change(tenant, snapshot, new Request(null, null, on), approvals);
    }

    /** Changes the lock as {@code request} says. */
    public LockResult change(String tenant, String snapshot, Request request, List<Approval> approvals) {
        Objects.requireNonNull(request, "request");
        return apply(tenant, snapshot, (before, now) -> build(before, now, request), approvals);
    }

    /** Removes the lock: free once expired; while active, governance needs an approval and compliance is forbidden. */
    public LockResult remove(String tenant, String snapshot, List<Approval> approvals) {
        return apply(tenant, snapshot, (before, now) -> {
            if (before == null) {
                throw new IllegalArgumentException("snapshot " + snapshot + " has no lock to remove");
            }
            return null;
        }, approvals);
    }

    private interface Builder {
        RetentionLock after(RetentionLock before, Instant now);
    }

    private static RetentionLock build(RetentionLock before, Instant now, Request r) {
        if (before != null) {
            RetentionLock a = before;
            if (r.mode() != null) {
                a = a.withMode(r.mode());
            }
            if (r.retainUntil() != null) {
                a = a.withRetainUntil(r.retainUntil());
            }
            if (r.legalHold() != null) {
                a = a.withLegalHold(r.legalHold());
            }
            return a;
        }
        boolean hold = Boolean.TRUE.equals(r.legalHold());
        if (r.mode() == null && r.retainUntil() == null && hold) {
            return new RetentionLock(LockMode.GOVERNANCE, now, true, now);
        }
        if (r.mode() == null || r.retainUntil() == null) {
            throw new IllegalArgumentException("the snapshot has no lock: creating one needs both a mode and a retain-until time");
        }
        if (!hold && !r.retainUntil().isAfter(now)) {
            throw new IllegalArgumentException("retain-until " + r.retainUntil() + " is not after now (" + now
                    + "): such a lock would protect nothing");
        }
        return new RetentionLock(r.mode(), r.retainUntil(), hold, now);
    }

    private LockResult apply(String tenant, String snapshot, Builder builder, List<Approval> approvals) {
        Objects.requireNonNull(approvals, "approvals");
        LockRecord.requireSnapshotId(snapshot);
        repo.tenantNo(tenant);
        guard.lock();
        try {
            if (!Files.exists(repo.snapshots().file(tenant, snapshot))) {
                throw new RepoException("snapshot " + snapshot + " of tenant " + tenant
                        + " does not exist; list them with `cairn snapshots`");
            }
            Optional<LockRecord> current = store.read(tenant, snapshot); // unreadable: refused (fail closed)
            RetentionLock before = current.map(LockRecord::lock).orElse(null);
            Instant now = repo.clock().instant();
            RetentionLock after = builder.after(before, now);
            String target = LockRules.approvalTarget(snapshot);

            Map<String, String> used = new TreeMap<>();
            LockDecision decision;
            try {
                decision = LockRules.check(before, after, now, false);
            } catch (LockViolation v) {
                if (v.kind() == LockViolation.Kind.FORBIDDEN) {
                    throw v; // nobody may: no approval is even asked
                }
                List<String> refusals = new ArrayList<>();
                boolean missing = false;
                for (String action : v.approvalActions()) {
                    String reference = authorize(action, target, now, approvals, refusals);
                    if (reference == null) {
                        missing = true;
                    } else {
                        used.put(action, reference);
                    }
                }
                if (missing) {
                    throw new LockRefusedException(v, refusals);
                }
                decision = LockRules.check(before, after, now, true);
            }

            LockRecord record = current.orElse(null);
            if (decision.changed()) {
                if (after == null) {
                    store.delete(tenant, snapshot);
                    record = null;
                } else {
                    List<LockRecord.Change> entries = history(decision, after, now, used);
                    record = current.map(r -> r.next(after, entries))
                            .orElseGet(() -> new LockRecord(snapshot, tenant, after, entries));
                    store.write(record);
                }
            }
            ImmutableReport immutable = ImmutableReport.NONE;
            ReleaseReport released = null;
            if (after != null && after.activeAt(now)) {
                immutable = immutability.protect(tenant, snapshot);
            } else if (decision.changed()) {
                released = releaseExpired();
            }
            return LockResult.of(tenant, snapshot, decision, used, record, immutable, released);
        } finally {
            guard.unlock();
        }
    }

    /** The reference of the first approval that permits {@code action}, or null; every refusal is noted. */
    private static String authorize(String action, String target, Instant now, List<Approval> approvals, List<String> refusals) {
        for (Approval a : approvals) {
            try {
                a.authorization().authorize(action, target, now);
                return a.reference();
            } catch (RuntimeException e) { // any doubt is a refusal
                refusals.add(action + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return null;
    }

    /** One history entry per change, "remove" before "create" when an expired lock is replaced. */
    private static List<LockRecord.Change> history(LockDecision d, RetentionLock after, Instant now, Map<String, String> used) {
        List<LockChange> changes = new ArrayList<>(d.changes());
        changes.sort(Comparator.comparing((LockChange c) -> c == LockChange.REMOVE ? 0 : 1).thenComparing(c -> c));
        List<LockRecord.Change> out = new ArrayList<>();
        for (LockChange c : changes) {
            String action = switch (c) {
                case SHORTEN -> LockRules.APPROVAL_SHORTEN;
                case REMOVE, RELEASE_LEGAL_HOLD, TO_GOVERNANCE -> LockRules.APPROVAL_REMOVE;
                default -> null;
            };
            String reference = action != null && d.approvals().contains(action) ? used.get(action) : null;
            out.add(new LockRecord.Change(now, c, after.mode(), after.retainUntil(), after.legalHold(), reference));
        }
        return out;
    }

    // ------------------------------------------------------------------ immutable attribute

    /**
     * Sets the immutable attribute again on the files of a snapshot whose lock is active (or whose lock
     * file is unreadable): its packs, its snapshot file and its lock file. Every change that leaves a lock
     * active does this; call it to repair, for example after copying a repository, which loses the
     * attribute.
     *
     * @throws IllegalStateException if the snapshot has no active lock (nothing to protect)
     */
    public ImmutableReport protect(String tenant, String snapshot) {
        LockRecord.requireSnapshotId(snapshot);
        guard.lock();
        try {
            boolean active;
            try {
                active = store.read(tenant, snapshot).map(r -> r.lock().activeAt(repo.clock().instant())).orElse(false);
            } catch (LockFileException e) {
                active = true; // fail closed: locked forever
            }
            if (!active) {
                throw new IllegalStateException("snapshot " + snapshot + " has no active lock; there is nothing to protect");
            }
            return immutability.protect(tenant, snapshot);
        } finally {
            guard.unlock();
        }
    }

    /**
     * Lifts the immutable attribute where no active lock needs it any more: from the snapshot files and
     * lock files of snapshots whose lock has expired (or was removed), and from every pack that no
     * snapshot with an active lock references. A snapshot whose lock file is unreadable counts as locked
     * forever; when a locked snapshot cannot be walked (damaged, or blobs missing from the index), no pack
     * of its tenant is released, since which packs it needs is unknown. Forget calls it before deleting.
     */
    public ReleaseReport releaseExpired() {
        guard.lock();
        try {
            return immutability.release();
        } finally {
            guard.unlock();
        }
    }
}
