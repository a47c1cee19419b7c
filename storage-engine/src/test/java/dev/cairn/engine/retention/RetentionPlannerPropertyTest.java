package dev.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random snapshot sets and policies, seeded (the seed is in the test name: rerun one by its seed).
 * Invariants: keep and forget partition the input; an active lock is never forgotten; every kept
 * snapshot has a reason; the plan does not depend on input order; and the daily rule agrees with a
 * second, naive implementation.
 */
class RetentionPlannerPropertyTest {

    private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
    private static final List<String> TENANTS = List.of("clinic-a", "clinic-b");
    private static final List<String> SOURCES = List.of("fs:/srv", "db:/var/lib/pg");
    private static final List<String> TAGS = List.of("legal", "audit", "manual");
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("Pacific/Chatham"));
    private static final int[] COUNTS = {-1, 0, 0, 0, 1, 2, 3, 7};

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void invariants(long seed) {
        Random random = new Random(seed);
        List<SnapshotInfo> snapshots = randomSnapshots(random);
        KeepPolicy policy = randomPolicy(random);

        ForgetPlan plan = RetentionPlanner.plan(snapshots, policy, NOW);

        Set<String> all = new HashSet<>();
        snapshots.forEach(s -> all.add(s.id()));
        List<String> keep = plan.keep();
        List<String> forget = plan.forget();
        assertThat(keep).doesNotHaveDuplicates();
        assertThat(forget).doesNotHaveDuplicates();
        Set<String> both = new HashSet<>(keep);
        both.retainAll(forget);
        assertThat(both).as("kept and forgotten").isEmpty();
        Set<String> union = new HashSet<>(keep);
        union.addAll(forget);
        assertThat(union).isEqualTo(all);

        for (SnapshotInfo s : snapshots) {
            if (s.lockedAt(NOW)) {
                assertThat(forget).as("locked %s forgotten", s.id()).doesNotContain(s.id());
            }
        }
        for (ForgetPlan.Group g : plan.groups()) {
            for (ForgetPlan.Kept k : g.keep()) {
                assertThat(k.reasons()).isNotEmpty();
                boolean lockReason = k.reasons().stream().anyMatch(r -> r.startsWith("locked: ") || r.equals("legal hold"));
                assertThat(lockReason).isEqualTo(k.snapshot().lockedAt(NOW));
                assertThat(k.snapshot().tenant()).isEqualTo(g.tenant());
                assertThat(k.snapshot().source()).isEqualTo(g.source());
            }
            g.forget().forEach(s -> assertThat(s.tenant() + s.source()).isEqualTo(g.tenant() + g.source()));
            assertCountsRespected(g, policy);
            assertDailyMatchesNaiveImplementation(g, policy);
        }

        List<SnapshotInfo> shuffled = new ArrayList<>(snapshots);
        Collections.shuffle(shuffled, random);
        assertThat(RetentionPlanner.plan(shuffled, policy, NOW)).isEqualTo(plan);
    }

    /** No bucket rule keeps more buckets than its count; keepLast keeps exactly the newest N. */
    private static void assertCountsRespected(ForgetPlan.Group g, KeepPolicy policy) {
        Map<String, Integer> limits = Map.of("last ", policy.keepLast(), "hourly ", policy.keepHourly(),
                "daily ", policy.keepDaily(), "weekly ", policy.keepWeekly(), "monthly ", policy.keepMonthly(),
                "yearly ", policy.keepYearly());
        limits.forEach((prefix, limit) -> {
            Set<String> labels = new HashSet<>();
            g.keep().forEach(k -> k.reasons().stream().filter(r -> r.startsWith(prefix)).forEach(labels::add));
            if (limit >= 0) {
                assertThat(labels).as(prefix).hasSizeLessThanOrEqualTo(limit);
            }
        });
        List<SnapshotInfo> newestFirst = new ArrayList<>();
        g.keep().forEach(k -> newestFirst.add(k.snapshot()));
        newestFirst.addAll(g.forget());
        newestFirst.sort(ForgetPlan.NEWEST_FIRST);
        int n = policy.keepLast() == KeepPolicy.UNLIMITED ? newestFirst.size() : Math.min(policy.keepLast(), newestFirst.size());
        Set<String> kept = new HashSet<>();
        g.keep().forEach(k -> kept.add(k.snapshot().id()));
        newestFirst.subList(0, n).forEach(s -> assertThat(kept).contains(s.id()));
    }

    /** The daily rule, written the obvious way: the newest snapshot of each of the newest N local dates. */
    private static void assertDailyMatchesNaiveImplementation(ForgetPlan.Group g, KeepPolicy policy) {
        if (policy.keepDaily() == 0) {
            return;
        }
        List<SnapshotInfo> members = new ArrayList<>(g.forget());
        g.keep().forEach(k -> members.add(k.snapshot()));
        Map<LocalDate, SnapshotInfo> newestPerDay = new LinkedHashMap<>();
        for (SnapshotInfo s : members) {
            LocalDate day = s.time().atZone(policy.zone()).toLocalDate();
            SnapshotInfo best = newestPerDay.get(day);
            if (best == null || ForgetPlan.NEWEST_FIRST.compare(s, best) < 0) {
                newestPerDay.put(day, s);
            }
        }
        List<LocalDate> days = new ArrayList<>(new TreeSet<>(newestPerDay.keySet()).descendingSet());
        if (policy.keepDaily() != KeepPolicy.UNLIMITED && days.size() > policy.keepDaily()) {
            days = days.subList(0, policy.keepDaily());
        }
        Map<String, String> expected = new LinkedHashMap<>();
        days.forEach(d -> expected.put(newestPerDay.get(d).id(), "daily " + d));
        Map<String, String> actual = new LinkedHashMap<>();
        g.keep().forEach(k -> k.reasons().stream().filter(r -> r.startsWith("daily ")).forEach(r -> actual.put(k.snapshot().id(), r)));
        assertThat(actual).isEqualTo(expected);
    }

    private static List<SnapshotInfo> randomSnapshots(Random random) {
        int n = random.nextInt(80);
        List<SnapshotInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Mostly the last two years, some bunched within hours, a few in the future (clock skew).
            long seconds = switch (random.nextInt(4)) {
                case 0 -> random.nextLong(2 * 366 * 86400L);
                case 1 -> random.nextLong(3 * 86400L);
                case 2 -> random.nextLong(40 * 86400L);
                default -> random.nextInt(10) == 0 ? -random.nextLong(86400L) : random.nextLong(400 * 86400L);
            };
            Instant time = NOW.minusSeconds(seconds);
            Set<String> tags = new HashSet<>();
            for (String tag : TAGS) {
                if (random.nextInt(8) == 0) {
                    tags.add(tag);
                }
            }
            out.add(new SnapshotInfo("s" + i, TENANTS.get(random.nextInt(2)), SOURCES.get(random.nextInt(2)),
                    time, tags, randomLock(random, time)));
        }
        return out;
    }

    private static RetentionLock randomLock(Random random, Instant created) {
        if (random.nextInt(3) != 0) {
            return null;
        }
        LockMode mode = random.nextBoolean() ? LockMode.COMPLIANCE : LockMode.GOVERNANCE;
        Instant until = NOW.plusSeconds(random.nextLong(-400 * 86400L, 400 * 86400L));
        if (random.nextInt(5) == 0) {
            until = NOW; // expires exactly now
        }
        return new RetentionLock(mode, until, random.nextInt(5) == 0, created);
    }

    private static KeepPolicy randomPolicy(Random random) {
        while (true) {
            KeepPolicy.Builder b = KeepPolicy.builder()
                    .keepLast(COUNTS[random.nextInt(COUNTS.length)])
                    .keepHourly(COUNTS[random.nextInt(COUNTS.length)])
                    .keepDaily(COUNTS[random.nextInt(COUNTS.length)])
                    .keepWeekly(COUNTS[random.nextInt(COUNTS.length)])
                    .keepMonthly(COUNTS[random.nextInt(COUNTS.length)])
                    .keepYearly(COUNTS[random.nextInt(COUNTS.length)])
                    .keepWithin(List.of(Duration.ZERO, Duration.ZERO, Duration.ofDays(1), Duration.ofDays(30))
                            .get(random.nextInt(4)))
                    .zone(ZONES.get(random.nextInt(ZONES.size())));
            if (random.nextInt(3) == 0) {
                b.keepTag(TAGS.get(random.nextInt(TAGS.size())));
            }
            KeepPolicy p = b.build();
            if (!p.isEmpty()) {
                return p;
            }
        }
    }
}
