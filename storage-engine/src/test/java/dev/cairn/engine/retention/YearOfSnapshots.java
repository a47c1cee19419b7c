package dev.cairn.engine.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fixture of the table tests: one tenant and source, a year of snapshots.
 *
 * <ul>
 * <li>one snapshot a day at 02:00 UTC from 2025-11-30 (a Sunday) to 2026-11-29 (a Sunday): 365;</li>
 * <li>one more at 23:30 UTC on the last day of each month from 2025-11 to 2026-10 (12): in
 *     Europe/Berlin these are already on the 1st of the next month;</li>
 * <li>two more on Friday 2026-11-27, at 14:00 and 23:30 UTC.</li>
 * </ul>
 * 379 snapshots. Ids are the UTC time, {@code 2026-11-29T02:00}. Tags: 2026-03-15T02:00 {legal},
 * 2026-06-01T02:00 {audit, legal}, 2026-07-04T02:00 {manual}. {@link #NOW} is Monday 2026-11-30 06:00 UTC.
 */
final class YearOfSnapshots {

    static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
    static final String TENANT = "clinic-a";
    static final String SOURCE = "fileserver:/srv/data";
    static final int SIZE = 379;

    private static final Map<String, Set<String>> TAGS = Map.of(
            "2026-03-15T02:00", Set.of("legal"),
            "2026-06-01T02:00", Set.of("audit", "legal"),
            "2026-07-04T02:00", Set.of("manual"));

    private YearOfSnapshots() {
    }

    static List<SnapshotInfo> snapshots() {
        return snapshots(Map.of());
    }

    /** The fixture with the given locks set on the snapshots with those ids. */
    static List<SnapshotInfo> snapshots(Map<String, RetentionLock> locks) {
        List<SnapshotInfo> out = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2025, 11, 30); !d.isAfter(LocalDate.of(2026, 11, 29)); d = d.plusDays(1)) {
            out.add(at(d, 2, 0, locks));
            if (d.plusDays(1).getDayOfMonth() == 1 && d.isBefore(LocalDate.of(2026, 11, 1))) {
                out.add(at(d, 23, 30, locks));
            }
        }
        out.add(at(LocalDate.of(2026, 11, 27), 14, 0, locks));
        out.add(at(LocalDate.of(2026, 11, 27), 23, 30, locks));
        return out;
    }

    private static SnapshotInfo at(LocalDate d, int hour, int minute, Map<String, RetentionLock> locks) {
        Instant t = d.atTime(LocalTime.of(hour, minute)).toInstant(ZoneOffset.UTC);
        String id = t.toString().substring(0, 16);
        return new SnapshotInfo(id, TENANT, SOURCE, t, TAGS.getOrDefault(id, Set.of()), locks.get(id));
    }
}
