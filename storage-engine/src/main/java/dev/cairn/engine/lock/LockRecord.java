package dev.cairn.engine.lock;

import dev.cairn.engine.retention.LockChange;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.RetentionLock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One lock file, {@code locks/<tenant>/<snapshot id>.lock} (docs/formats/repository.md section 7): the
 * snapshot's current {@link RetentionLock} and the history of the changes that made it.
 *
 * @param snapshot the snapshot id (64 hex digits)
 * @param tenant   the tenant the snapshot belongs to
 * @param lock     the lock as it is now
 * @param history  every change since the lock was created, oldest first (copied; not empty)
 */
public record LockRecord(String snapshot, String tenant, RetentionLock lock, List<Change> history) {

    static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9a-f]{64}");

    public LockRecord {
        requireSnapshotId(snapshot);
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(lock, "lock");
        history = List.copyOf(history);
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a lock record has at least the change that created it");
        }
    }

    /** This record with {@code newLock} and the changes that led to it appended to the history. */
    public LockRecord next(RetentionLock newLock, List<Change> changes) {
        List<Change> h = new java.util.ArrayList<>(history);
        h.addAll(changes);
        return new LockRecord(snapshot, tenant, newLock, h);
    }

    static String requireSnapshotId(String id) {
        Objects.requireNonNull(id, "snapshot id");
        if (!SNAPSHOT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a snapshot id is 64 lowercase hex digits");
        }
        return id;
    }

    /**
     * One entry of the history: one {@link LockChange} and the lock as it was right after it.
     *
     * @param at          when the change was made (the engine's clock)
     * @param change      what changed
     * @param mode        the mode after the change
     * @param retainUntil {@code retainUntil} after the change
     * @param legalHold   the legal hold flag after the change
     * @param approval    the reference of the approval this change needed (for a signed approval record, its
     *                    id), or {@code null} when it needed none
     */
    public record Change(Instant at, LockChange change, LockMode mode, Instant retainUntil, boolean legalHold,
                         String approval) {

        public Change {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(change, "change");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(retainUntil, "retainUntil");
            if (approval != null) {
                Approval.requireReference(approval);
            }
        }

        /** The name in the file: {@code create}, {@code extend}, {@code set-legal-hold}, ... */
        public String changeName() {
            return name(change);
        }

        static String name(LockChange c) {
            return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static LockChange parse(String name) {
            for (LockChange c : LockChange.values()) {
                if (name(c).equals(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown change '" + name + "'");
        }
    }
}
