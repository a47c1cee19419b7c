package dev.cairn.engine.retention;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A write-once retention lock on one snapshot (IMM-1). Which changes are allowed is decided by
 * {@link LockRules}; this record only holds the state.
 *
 * <p>A lock is <b>active</b> at {@code now} when it is under legal hold or its retention period has
 * not ended ({@code now < retainUntil}). An active lock keeps its snapshot whatever the
 * {@link KeepPolicy} says; an inactive (expired) lock protects nothing.
 *
 * @param mode        {@link LockMode#COMPLIANCE} or {@link LockMode#GOVERNANCE}
 * @param retainUntil end of the retention period (exclusive: at this instant the period is over)
 * @param legalHold   a legal hold keeps the lock active regardless of {@code retainUntil}
 * @param createdAt   when the lock was first set; never changes while the lock exists
 */
public record RetentionLock(LockMode mode, Instant retainUntil, boolean legalHold, Instant createdAt) {

    public RetentionLock {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(retainUntil, "retainUntil");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** {@code legalHold || now < retainUntil}. */
    public boolean activeAt(Instant now) {
        Objects.requireNonNull(now, "now");
        return legalHold || now.isBefore(retainUntil);
    }

    /** This lock with another end of its retention period. */
    public RetentionLock withRetainUntil(Instant newRetainUntil) {
        return new RetentionLock(mode, newRetainUntil, legalHold, createdAt);
    }

    /** This lock with another mode. */
    public RetentionLock withMode(LockMode newMode) {
        return new RetentionLock(newMode, retainUntil, legalHold, createdAt);
    }

    /** This lock with the legal hold switched on or off. */
    public RetentionLock withLegalHold(boolean hold) {
        return new RetentionLock(mode, retainUntil, hold, createdAt);
    }

    /** For messages: {@code compliance lock until 2027-01-01T00:00:00Z}, plus {@code  with legal hold}. */
    public String describe() {
        return mode.name().toLowerCase(Locale.ROOT) + " lock until " + retainUntil
                + (legalHold ? " with legal hold" : "");
    }
}
