package dev.cairn.engine.lock;

import dev.cairn.engine.retention.LockDecision;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of an allowed lock change.
 *
 * @param tenant    the snapshot's tenant
 * @param snapshot  the snapshot id
 * @param decision  what {@link dev.cairn.engine.retention.LockRules} allowed: before, after, the changes and the
 *                  approval actions used; {@link LockDecision#changed()} is false when nothing had to change
 * @param approvals approval action to the reference of the approval that granted it
 * @param record    the lock file as written, or {@code null} when the lock was removed (or there is none)
 * @param immutable what the immutable attribute achieved ({@link ImmutableReport#NONE} if the lock is not active)
 * @param released  when the change left the snapshot unprotected: what releasing its files did; else null
 */
public record LockResult(String tenant, String snapshot, LockDecision decision, SortedMap<String, String> approvals,
                         LockRecord record, ImmutableReport immutable, ReleaseReport released) {

    public LockResult {
        approvals = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(approvals));
    }

    static LockResult of(String tenant, String snapshot, LockDecision decision, Map<String, String> approvals,
                         LockRecord record, ImmutableReport immutable, ReleaseReport released) {
        return new LockResult(tenant, snapshot, decision, new TreeMap<>(approvals), record, immutable, released);
    }
}
