package dev.cairn.engine.prune;

import java.util.Objects;

/**
 * A snapshot whose data prune cannot enumerate, so prune deletes nothing (fail closed). The reason comes
 * from the engine's own errors: it names blobs, packs and snapshot ids, never a file name or file data.
 *
 * @param locked the snapshot has a retention lock file: it cannot be forgotten, only repaired
 */
public record SnapshotProblem(String tenant, String snapshot, boolean locked, String reason) {
    public SnapshotProblem {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(reason, "reason");
    }

    /** One line for the operator: which snapshot, what is wrong, what to do. */
    public String describe() {
        return (locked ? "locked snapshot " : "snapshot ") + snapshot + " of tenant " + tenant + ": " + reason + " -- "
                + (locked ? "it cannot be forgotten while locked; repair it (`cairn verify` names the damage, "
                        + "`cairn repo rebuild-index` recovers a lost index)"
                        : "repair it (`cairn verify` names the damage) or forget it");
    }
}
