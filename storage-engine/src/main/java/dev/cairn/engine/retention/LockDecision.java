package dev.cairn.engine.retention;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An allowed change to a retention lock, as returned by {@link LockRules}: what changes, and which
 * approvals it used. The engine stores {@link #after()} and writes the decision to the audit log.
 *
 * @param before    the lock before the change, or {@code null} if there was none
 * @param after     the lock after the change, or {@code null} if it is removed
 * @param changes   the changes, in {@link LockChange} order; empty if nothing changes
 * @param approvals the approval actions ({@link LockRules#APPROVAL_SHORTEN}, {@link LockRules#APPROVAL_REMOVE})
 *                  this change needed and was allowed on; empty if it needed none
 */
public record LockDecision(RetentionLock before, RetentionLock after, List<LockChange> changes, SortedSet<String> approvals) {

    public LockDecision {
        changes = List.copyOf(changes);
        approvals = Collections.unmodifiableSortedSet(new TreeSet<>(approvals));
    }

    /** True if the lock changes at all. */
    public boolean changed() {
        return !changes.isEmpty();
    }

    /** True if this change needed an approval. */
    public boolean neededApproval() {
        return !approvals.isEmpty();
    }

    static LockDecision of(RetentionLock before, RetentionLock after, List<LockChange> changes, Set<String> approvals) {
        return new LockDecision(before, after, changes, new TreeSet<>(approvals));
    }
}
