package dev.cairn.engine.retention;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which changes to a {@link RetentionLock} are allowed (IMM-1). Pure: no I/O, no clock; {@code now}
 * comes from the engine's trusted clock.
 *
 * <p>"Active" means {@link RetentionLock#activeAt(Instant) activeAt(now)}: under legal hold, or the
 * retention period has not ended. The matrix (docs/retention.md, "Lock changes"):
 *
 * <table>
 * <caption>who may change an existing lock</caption>
 * <tr><th>change</th><th>compliance, active</th><th>governance, active</th><th>expired (either mode)</th></tr>
 * <tr><td>extend</td><td>anyone</td><td>anyone</td><td>anyone</td></tr>
 * <tr><td>shorten</td><td>nobody</td><td>approval {@value #APPROVAL_SHORTEN}</td><td>anyone</td></tr>
 * <tr><td>remove</td><td>nobody</td><td>approval {@value #APPROVAL_REMOVE}</td><td>anyone</td></tr>
 * <tr><td>governance to compliance</td><td>(n/a)</td><td>anyone</td><td>anyone</td></tr>
 * <tr><td>compliance to governance</td><td>nobody</td><td>(n/a)</td><td>anyone</td></tr>
 * <tr><td>set legal hold</td><td>anyone</td><td>anyone</td><td>anyone</td></tr>
 * <tr><td>release legal hold</td><td>approval {@value #APPROVAL_REMOVE}</td><td>approval {@value #APPROVAL_REMOVE}</td><td>(n/a: a held lock is active)</td></tr>
 * </table>
 *
 * <p>Creating a lock where there is none, or where the old one has expired, is allowed to anyone in
 * either mode. A changed {@code createdAt} is treated as removing the old lock and creating a new one.
 *
 * <p><b>How the engine uses this.</b> It calls a method with {@code approved = false}. If that throws
 * {@link LockViolation} of kind {@link LockViolation.Kind#APPROVAL_REQUIRED}, it checks the caller's
 * {@code Authorization} (hsm-bridge) for every action in {@link LockViolation#approvalActions()} on
 * the target {@link #approvalTarget(String) snapshot:&lt;id&gt;}, and only if all pass calls again
 * with {@code approved = true}. {@code approved} never turns a {@link LockViolation.Kind#FORBIDDEN}
 * change into an allowed one.
 */
public final class LockRules {

    /**
     * Approval action for shortening an active governance lock. The same string as
     * {@code dev.cairn.hsm.approval.ApprovalActions.RETENTION_SHORTEN} (frozen there: it is inside
     * signed approval records). Not referenced directly so that the retention policy stays free of
     * the key plane; {@code LockRulesTest} pins that both are equal.
     */
    public static final String APPROVAL_SHORTEN = "retention.shorten";

    /**
     * Approval action for removing an active governance lock and for releasing a legal hold (in
     * either mode): both take away all protection. The same string as
     * {@code dev.cairn.hsm.approval.ApprovalActions.RETENTION_REMOVE}.
     */
    public static final String APPROVAL_REMOVE = "retention.remove";

    /** The approval target alphabet of docs/formats/approval-record.md. */
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9:._-]{1,128}");

    private LockRules() {
    }

    /**
     * The approval target for a lock change on one snapshot: {@code snapshot:<id>}, as for
     * {@code snapshot.delete}.
     *
     * @throws IllegalArgumentException if the id has characters outside {@code [A-Za-z0-9:._-]} or
     *                                  the target would be longer than 128 characters
     */
    public static String approvalTarget(String snapshotId) {
        Objects.requireNonNull(snapshotId, "snapshotId");
        String target = "snapshot:" + snapshotId;
        if (snapshotId.isEmpty() || !TARGET.matcher(target).matches()) {
            throw new IllegalArgumentException("snapshot id cannot be an approval target: it must be [A-Za-z0-9:._-],"
                    + " at most 119 characters");
        }
        return target;
    }

    /**
     * Checks any change from {@code before} to {@code after}: the single enforcement point. The
     * methods below build {@code after} for the common operations and call this.
     *
     * @param before   the current lock, or {@code null}
     * @param after    the lock the caller wants, or {@code null} to remove it
     * @param now      the current time
     * @param approved true only if the engine has verified an approval for every action this change needs
     * @return the allowed change, with the approval actions it used
     * @throws LockViolation if the change is forbidden, or needs an approval and {@code approved} is false
     */
    public static LockDecision check(RetentionLock before, RetentionLock after, Instant now, boolean approved) {
        Objects.requireNonNull(now, "now");
        List<LockChange> changes = classify(before, after);
        Set<String> approvals = new TreeSet<>();
        List<LockChange> needing = new ArrayList<>();
        for (LockChange change : changes) {
            String approval = rule(change, before, now);
            if (approval != null) {
                approvals.add(approval);
                needing.add(change);
            }
        }
        if (!approvals.isEmpty() && !approved) {
            String what = needing.size() == 1
                    ? gerund(needing.getFirst()) + " the " + before.describe()
                    : "changing the " + before.describe() + " (" + String.join(", ",
                            needing.stream().map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', ' ')).toList()) + ")";
            throw new LockViolation(LockViolation.Kind.APPROVAL_REQUIRED, needing.getFirst(), List.copyOf(approvals),
                    what + " needs a multi-party approval for " + String.join(" and ", approvals)
                            + "; get it for this snapshot and retry");
        }
        return LockDecision.of(before, after, changes, approvals);
    }

    /**
     * Sets a new lock. Allowed to anyone if the snapshot has no lock or only an expired one.
     *
     * @throws LockViolation (FORBIDDEN) if {@code current} is active: change that lock instead
     */
    public static LockDecision create(RetentionLock current, RetentionLock proposed, Instant now) {
        Objects.requireNonNull(proposed, "proposed");
        Objects.requireNonNull(now, "now");
        if (current != null && current.activeAt(now)) {
            throw new LockViolation(LockViolation.Kind.FORBIDDEN, LockChange.CREATE, List.of(),
                    "the snapshot already has an active " + current.describe()
                            + "; extend it or set a legal hold instead of creating a new lock");
        }
        return check(current, proposed, now, false);
    }

    /** Moves {@code retainUntil}: later is always allowed; earlier follows the matrix ({@value #APPROVAL_SHORTEN}). */
    public static LockDecision changeRetainUntil(RetentionLock current, Instant newRetainUntil, Instant now, boolean approved) {
        return check(requireLock(current), current.withRetainUntil(newRetainUntil), now, approved);
    }

    /** Switches the mode: to compliance is always allowed; to governance only once the lock has expired. */
    public static LockDecision changeMode(RetentionLock current, LockMode mode, Instant now, boolean approved) {
        return check(requireLock(current), current.withMode(Objects.requireNonNull(mode, "mode")), now, approved);
    }

    /**
     * Sets a legal hold; allowed to anyone. On a snapshot without a lock this creates a governance
     * lock with {@code retainUntil = createdAt = now} and the hold, so only the hold protects it.
     */
    public static LockDecision setLegalHold(RetentionLock current, Instant now) {
        Objects.requireNonNull(now, "now");
        RetentionLock after = current == null
                ? new RetentionLock(LockMode.GOVERNANCE, now, true, now)
                : current.withLegalHold(true);
        return check(current, after, now, false);
    }

    /** Releases a legal hold; needs an approval for {@value #APPROVAL_REMOVE} in either mode. */
    public static LockDecision releaseLegalHold(RetentionLock current, Instant now, boolean approved) {
        return check(requireLock(current), current.withLegalHold(false), now, approved);
    }

    /** Removes the lock: anyone once expired; while active, governance needs {@value #APPROVAL_REMOVE}, compliance nobody. */
    public static LockDecision remove(RetentionLock current, Instant now, boolean approved) {
        return check(requireLock(current), null, now, approved);
    }

    private static RetentionLock requireLock(RetentionLock current) {
        return Objects.requireNonNull(current, "current lock (the snapshot has none)");
    }

    private static List<LockChange> classify(RetentionLock before, RetentionLock after) {
        List<LockChange> changes = new ArrayList<>();
        if (before == null && after == null) {
            return changes;
        }
        if (before == null) {
            changes.add(LockChange.CREATE);
            if (after.legalHold()) {
                changes.add(LockChange.SET_LEGAL_HOLD);
            }
            return changes;
        }
        if (after == null) {
            changes.add(LockChange.REMOVE);
            return changes;
        }
        if (!before.createdAt().equals(after.createdAt())) {
            changes.add(LockChange.CREATE);
            changes.add(LockChange.REMOVE);
            return changes;
        }
        int until = after.retainUntil().compareTo(before.retainUntil());
        if (until > 0) {
            changes.add(LockChange.EXTEND);
        } else if (until < 0) {
            changes.add(LockChange.SHORTEN);
        }
        if (before.mode() != after.mode()) {
            changes.add(after.mode() == LockMode.COMPLIANCE ? LockChange.TO_COMPLIANCE : LockChange.TO_GOVERNANCE);
        }
        if (!before.legalHold() && after.legalHold()) {
            changes.add(LockChange.SET_LEGAL_HOLD);
        } else if (before.legalHold() && !after.legalHold()) {
            changes.add(LockChange.RELEASE_LEGAL_HOLD);
        }
        return changes;
    }

    /**
     * The rule for one change of {@code before}: returns the approval action it needs, {@code null}
     * if it needs none, or throws if nobody may make it.
     */
    private static String rule(LockChange change, RetentionLock before, Instant now) {
        return switch (change) {
            case CREATE, EXTEND, TO_COMPLIANCE, SET_LEGAL_HOLD -> null;
            case RELEASE_LEGAL_HOLD -> APPROVAL_REMOVE;
            case SHORTEN, REMOVE, TO_GOVERNANCE -> {
                if (!before.activeAt(now)) {
                    yield null; // an expired lock protects nothing
                }
                if (before.mode() == LockMode.COMPLIANCE) {
                    throw forbidden(change, before, now);
                }
                yield change == LockChange.SHORTEN ? APPROVAL_SHORTEN : APPROVAL_REMOVE;
            }
        };
    }

    private static LockViolation forbidden(LockChange change, RetentionLock before, Instant now) {
        String what = switch (change) {
            case SHORTEN -> "shorten the " + before.describe();
            case REMOVE -> "remove the " + before.describe();
            case TO_GOVERNANCE -> "switch the " + before.describe() + " to governance";
            default -> throw new IllegalStateException(change.name());
        };
        String rule = switch (change) {
            case SHORTEN -> "shorten an active compliance lock";
            case REMOVE -> "remove an active compliance lock";
            default -> "switch an active compliance lock to governance";
        };
        boolean running = now.isBefore(before.retainUntil());
        String next;
        if (before.legalHold() && running) {
            next = "this becomes possible once the retention period has ended (" + before.retainUntil()
                    + ") and the legal hold has been released (which needs an approval for " + APPROVAL_REMOVE + ")";
        } else if (before.legalHold()) {
            next = "this becomes possible once the legal hold has been released (which needs an approval for "
                    + APPROVAL_REMOVE + ")";
        } else {
            next = "wait until it expires at " + before.retainUntil() + "; until then it can only be extended";
        }
        return new LockViolation(LockViolation.Kind.FORBIDDEN, change, List.of(),
                "cannot " + what + ": it is active, and nobody, root included, can " + rule + " (IMM-1); " + next);
    }

    private static String gerund(LockChange change) {
        return switch (change) {
            case SHORTEN -> "shortening";
            case REMOVE -> "removing";
            case RELEASE_LEGAL_HOLD -> "releasing the legal hold of";
            default -> "changing";
        };
    }
}
