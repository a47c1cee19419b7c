package dev.cairn.engine.retention;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What retention needs to know about one snapshot: nothing of its content.
 *
 * @param id     the snapshot id, unique in the repository
 * @param tenant the clinic (tenant) the snapshot belongs to
 * @param source what was backed up, for example {@code fileserver:/srv/data,/etc}; snapshots of the
 *               same tenant and source form one retention group
 * @param time   when the snapshot was taken
 * @param tags   free-form tags (never null; copied)
 * @param lock   the snapshot's retention lock, or {@code null} if it has none
 */
public record SnapshotInfo(String id, String tenant, String source, Instant time, Set<String> tags, RetentionLock lock) {

    public SnapshotInfo {
        requireText(id, "id");
        requireText(tenant, "tenant");
        requireText(source, "source");
        Objects.requireNonNull(time, "time");
        tags = Set.copyOf(Objects.requireNonNull(tags, "tags"));
    }

    /** True if the snapshot has a lock and it is active at {@code now} ({@link RetentionLock#activeAt}). */
    public boolean lockedAt(Instant now) {
        return lock != null && lock.activeAt(now);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            // They end up in one-line dry-run output and audit records.
            throw new IllegalArgumentException(name + " must not contain control characters");
        }
    }
}
