package dev.cairn.engine.prune;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the snapshots of a repository use, per tenant: the result of {@link ReachabilityScan}, an input
 * of {@link PrunePlanner}. Every snapshot file present is live (forget deletes snapshot files, and never
 * those of locked snapshots); a snapshot with a lock file in {@code locks/<tenant>/} is locked.
 *
 * <p>The sets are not copied: nobody may change them once the reachability is built.
 *
 * @param tenants  by tenant id: every tenant of the repository, with or without snapshots (the planner refuses
 *                 to touch packs of a tenant that is not here: nobody looked at its snapshots)
 * @param problems snapshots that could not be read completely; when there is any, prune deletes nothing
 */
public record Reachability(Map<String, TenantUse> tenants, List<SnapshotProblem> problems) {
    public Reachability {
        tenants = java.util.Collections.unmodifiableMap(new TreeMap<>(tenants));
        problems = List.copyOf(problems);
    }

    /**
     * One tenant's use.
     *
     * @param snapshots       snapshot files present
     * @param lockedSnapshots snapshots with a lock file (their snapshot file may be missing: then there is a problem)
     * @param used            every blob (TREE and DATA) a live or locked snapshot references
     * @param locked          every blob a locked snapshot references (a subset of {@code used})
     */
    public record TenantUse(int snapshots, int lockedSnapshots, BlobIdSet used, BlobIdSet locked) {
        public TenantUse {
            Objects.requireNonNull(used, "used");
            Objects.requireNonNull(locked, "locked");
        }

        /** A tenant without snapshots. */
        public static TenantUse none() {
            return new TenantUse(0, 0, new BlobIdSet(), new BlobIdSet());
        }
    }
}
