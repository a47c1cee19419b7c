package dev.cairn.engine.retention;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Applies a {@link KeepPolicy} to snapshots: pure policy, no I/O and no clock (docs/retention.md).
 *
 * <p>Rules, for each group of snapshots with the same tenant and source, ordered newest first
 * (ties by id), so the plan does not depend on the order of the input:
 * <ol>
 * <li>A snapshot whose lock is active at {@code now} is kept, whatever the policy (IMM-1). An expired
 *     lock is ignored.</li>
 * <li>{@code keepLast N}: the newest N snapshots ({@code last 1} is the newest).</li>
 * <li>Buckets (hourly, daily, weekly by ISO week, monthly, yearly, in the policy's zone): walking
 *     from the newest snapshot, the first snapshot seen in a bucket (the newest of that bucket) is
 *     kept, until N buckets have been kept. Buckets without snapshots do not count.</li>
 * <li>{@code keepWithin D}: every snapshot with {@code time > now - D} (also one dated in the future).</li>
 * <li>{@code keepTags}: every snapshot with at least one of the tags.</li>
 * </ol>
 * A snapshot is kept if any rule keeps it; all rules see all snapshots of the group (a snapshot kept
 * for its lock still counts for the buckets, so locks never change what happens to the others).
 *
 * <p>Adapted from the semantics of restic's {@code forget} ({@code internal/restic/snapshot_policy.go});
 * the differences are listed in docs/retention.md.
 */
public final class RetentionPlanner {

    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu-MM");

    private RetentionPlanner() {
    }

    /**
     * Plans which snapshots to keep and which to forget.
     *
     * @param snapshots all snapshots to consider, in any order; ids must be unique
     * @param policy    the policy; must not be {@linkplain KeepPolicy#isEmpty() empty}
     * @param now       the current time, from the engine's trusted clock
     * @throws IllegalArgumentException if the policy is empty or two snapshots share an id
     */
    public static ForgetPlan plan(List<SnapshotInfo> snapshots, KeepPolicy policy, Instant now) {
        Objects.requireNonNull(snapshots, "snapshots");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        if (policy.isEmpty()) {
            throw new IllegalArgumentException("refusing an empty keep policy: it would forget every unlocked snapshot;"
                    + " give at least one of --keep-last, --keep-hourly, --keep-daily, --keep-weekly,"
                    + " --keep-monthly, --keep-yearly, --keep-within, --keep-tag");
        }

        Map<GroupKey, List<SnapshotInfo>> groups = new TreeMap<>();
        Set<String> ids = new HashSet<>();
        for (SnapshotInfo s : snapshots) {
            Objects.requireNonNull(s, "snapshot");
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("snapshot id " + s.id() + " appears twice");
            }
            groups.computeIfAbsent(new GroupKey(s.tenant(), s.source()), k -> new ArrayList<>()).add(s);
        }

        List<ForgetPlan.Group> planned = new ArrayList<>();
        for (Map.Entry<GroupKey, List<SnapshotInfo>> e : groups.entrySet()) {
            List<SnapshotInfo> group = new ArrayList<>(e.getValue());
            group.sort(ForgetPlan.NEWEST_FIRST);
            planned.add(planGroup(e.getKey(), group, policy, now));
        }
        return new ForgetPlan(now, policy, planned);
    }

    private static ForgetPlan.Group planGroup(GroupKey key, List<SnapshotInfo> newestFirst, KeepPolicy policy, Instant now) {
        // Rules append in a fixed order, so every snapshot's reasons come out in that order.
        Map<SnapshotInfo, List<String>> reasons = new IdentityHashMap<>();
        for (SnapshotInfo s : newestFirst) {
            reasons.put(s, new ArrayList<>());
        }

        for (SnapshotInfo s : newestFirst) {
            RetentionLock lock = s.lock();
            if (lock != null && now.isBefore(lock.retainUntil())) {
                reasons.get(s).add("locked: " + lock.mode().name().toLowerCase(Locale.ROOT)
                        + " until " + lock.retainUntil());
            }
            if (lock != null && lock.legalHold()) {
                reasons.get(s).add("legal hold");
            }
        }

        ZoneId zone = policy.zone();
        buckets(newestFirst, reasons, policy.keepLast(), (s, rank) -> "last " + rank);
        buckets(newestFirst, reasons, policy.keepHourly(), (s, rank) -> "hourly " + HOUR.format(s.time().atZone(zone)));
        buckets(newestFirst, reasons, policy.keepDaily(), (s, rank) -> "daily " + DAY.format(s.time().atZone(zone)));
        buckets(newestFirst, reasons, policy.keepWeekly(), (s, rank) -> "weekly " + isoWeek(s.time().atZone(zone)));
        buckets(newestFirst, reasons, policy.keepMonthly(), (s, rank) -> "monthly " + MONTH.format(s.time().atZone(zone)));
        buckets(newestFirst, reasons, policy.keepYearly(), (s, rank) -> "yearly " + s.time().atZone(zone).getYear());

        if (!policy.keepWithin().isZero()) {
            Instant after = now.minus(policy.keepWithin());
            String reason = "within " + KeepPolicy.formatDuration(policy.keepWithin());
            for (SnapshotInfo s : newestFirst) {
                if (s.time().isAfter(after)) {
                    reasons.get(s).add(reason);
                }
            }
        }

        Set<String> tags = new TreeSet<>(policy.keepTags());
        for (SnapshotInfo s : newestFirst) {
            for (String tag : tags) {
                if (s.tags().contains(tag)) {
                    reasons.get(s).add("tag:" + tag);
                }
            }
        }

        List<ForgetPlan.Kept> keep = new ArrayList<>();
        List<SnapshotInfo> forget = new ArrayList<>();
        for (SnapshotInfo s : newestFirst) {
            List<String> why = reasons.get(s);
            if (why.isEmpty()) {
                forget.add(s);
            } else {
                keep.add(new ForgetPlan.Kept(s, why));
            }
        }
        return new ForgetPlan.Group(key.tenant(), key.source(), keep, forget);
    }

    /** The label of a snapshot's bucket; it is also the reason text, so equal labels mean the same bucket. */
    private interface Bucketer {
        String label(SnapshotInfo s, int rank);
    }

    /**
     * Keeps the newest snapshot of each of the newest {@code count} buckets ({@code -1}: all buckets).
     * The list is newest first, so the first snapshot met in a bucket is that bucket's newest.
     */
    private static void buckets(List<SnapshotInfo> newestFirst, Map<SnapshotInfo, List<String>> reasons,
                                int count, Bucketer bucketer) {
        if (count == 0) {
            return;
        }
        Set<String> seen = new HashSet<>();
        int rank = 0;
        for (SnapshotInfo s : newestFirst) {
            rank++;
            String label = bucketer.label(s, rank);
            if (seen.contains(label)) {
                continue;
            }
            if (count != KeepPolicy.UNLIMITED && seen.size() == count) {
                return;
            }
            seen.add(label);
            reasons.get(s).add(label);
        }
    }

    /** {@code 2026-W48}: ISO week-based year and week (a week starts on Monday; 2025-12-29 is in 2026-W01). */
    private static String isoWeek(ZonedDateTime t) {
        return String.format(Locale.ROOT, "%d-W%02d",
                t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private record GroupKey(String tenant, String source) implements Comparable<GroupKey> {
        @Override
        public int compareTo(GroupKey o) {
            int c = tenant.compareTo(o.tenant);
            return c != 0 ? c : source.compareTo(o.source);
        }
    }
}
