package dev.cairn.engine.retention;

import static dev.cairn.engine.retention.YearOfSnapshots.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner against {@link YearOfSnapshots}: every case pins the exact kept snapshots, newest
 * first, with their reasons; everything else must be forgotten.
 */
class RetentionPlannerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static final String GFS_UTC = """
            2026-11-29T02:00  daily 2026-11-29; weekly 2026-W48; monthly 2026-11; yearly 2026
            2026-11-28T02:00  daily 2026-11-28
            2026-11-27T23:30  daily 2026-11-27
            2026-11-26T02:00  daily 2026-11-26
            2026-11-25T02:00  daily 2026-11-25
            2026-11-24T02:00  daily 2026-11-24
            2026-11-23T02:00  daily 2026-11-23
            2026-11-22T02:00  weekly 2026-W47
            2026-11-15T02:00  weekly 2026-W46
            2026-11-08T02:00  weekly 2026-W45
            2026-10-31T23:30  monthly 2026-10
            2026-09-30T23:30  monthly 2026-09
            2026-08-31T23:30  monthly 2026-08
            2026-07-31T23:30  monthly 2026-07
            2026-06-30T23:30  monthly 2026-06
            2026-05-31T23:30  monthly 2026-05
            2026-04-30T23:30  monthly 2026-04
            2026-03-31T23:30  monthly 2026-03
            2026-02-28T23:30  monthly 2026-02
            2026-01-31T23:30  monthly 2026-01
            2025-12-31T23:30  monthly 2025-12; yearly 2025
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("GFS daily 7, weekly 4, monthly 12, yearly 3 (UTC); only two years exist, so yearly keeps two",
                        gfs().build(), GFS_UTC),
                Arguments.of("GFS in Europe/Berlin: 23:30 UTC is the next day there, so other snapshots win the buckets",
                        gfs().zone(BERLIN).build(), """
                        2026-11-29T02:00  daily 2026-11-29; weekly 2026-W48; monthly 2026-11; yearly 2026
                        2026-11-28T02:00  daily 2026-11-28
                        2026-11-27T14:00  daily 2026-11-27
                        2026-11-26T02:00  daily 2026-11-26
                        2026-11-25T02:00  daily 2026-11-25
                        2026-11-24T02:00  daily 2026-11-24
                        2026-11-23T02:00  daily 2026-11-23
                        2026-11-22T02:00  weekly 2026-W47
                        2026-11-15T02:00  weekly 2026-W46
                        2026-11-08T02:00  weekly 2026-W45
                        2026-10-31T02:00  monthly 2026-10
                        2026-09-30T02:00  monthly 2026-09
                        2026-08-31T02:00  monthly 2026-08
                        2026-07-31T02:00  monthly 2026-07
                        2026-06-30T02:00  monthly 2026-06
                        2026-05-31T02:00  monthly 2026-05
                        2026-04-30T02:00  monthly 2026-04
                        2026-03-31T02:00  monthly 2026-03
                        2026-02-28T02:00  monthly 2026-02
                        2026-01-31T02:00  monthly 2026-01
                        2025-12-31T02:00  monthly 2025-12; yearly 2025
                        """),
                Arguments.of("keep-last 3", KeepPolicy.builder().keepLast(3).build(), """
                        2026-11-29T02:00  last 1
                        2026-11-28T02:00  last 2
                        2026-11-27T23:30  last 3
                        """),
                Arguments.of("keep-last 2 and keep-daily 3: reasons add up",
                        KeepPolicy.builder().keepLast(2).keepDaily(3).build(), """
                        2026-11-29T02:00  last 1; daily 2026-11-29
                        2026-11-28T02:00  last 2; daily 2026-11-28
                        2026-11-27T23:30  daily 2026-11-27
                        """),
                Arguments.of("keep-hourly 3 (UTC)", KeepPolicy.builder().keepHourly(3).build(), """
                        2026-11-29T02:00  hourly 2026-11-29T02
                        2026-11-28T02:00  hourly 2026-11-28T02
                        2026-11-27T23:30  hourly 2026-11-27T23
                        """),
                Arguments.of("keep-hourly 3 in Europe/Berlin: labels are local hours",
                        KeepPolicy.builder().keepHourly(3).zone(BERLIN).build(), """
                        2026-11-29T02:00  hourly 2026-11-29T03
                        2026-11-28T02:00  hourly 2026-11-28T03
                        2026-11-27T23:30  hourly 2026-11-28T00
                        """),
                Arguments.of("keep-within 3d: newer than now - 3d = 2026-11-27T06:00Z",
                        KeepPolicy.builder().keepWithin(Duration.ofDays(3)).build(), """
                        2026-11-29T02:00  within 3d
                        2026-11-28T02:00  within 3d
                        2026-11-27T23:30  within 3d
                        2026-11-27T14:00  within 3d
                        """),
                Arguments.of("keep-within 2d16h: now - 2d16h is exactly 2026-11-27T14:00Z, which is not newer",
                        KeepPolicy.builder().keepWithin(KeepPolicy.parseDuration("2d16h")).build(), """
                        2026-11-29T02:00  within 2d16h
                        2026-11-28T02:00  within 2d16h
                        2026-11-27T23:30  within 2d16h
                        """),
                Arguments.of("keep-tag legal", KeepPolicy.builder().keepTag("legal").build(), """
                        2026-06-01T02:00  tag:legal
                        2026-03-15T02:00  tag:legal
                        """),
                Arguments.of("keep-tag legal and audit with keep-last 1: tag reasons sorted",
                        KeepPolicy.builder().keepLast(1).keepTag("legal", "audit").build(), """
                        2026-11-29T02:00  last 1
                        2026-06-01T02:00  tag:audit; tag:legal
                        2026-03-15T02:00  tag:legal
                        """),
                Arguments.of("keep-yearly 3 with two years of data keeps two",
                        KeepPolicy.builder().keepYearly(3).build(), """
                        2026-11-29T02:00  yearly 2026
                        2025-12-31T23:30  yearly 2025
                        """),
                Arguments.of("keep-monthly unlimited: every month that has a snapshot, 13",
                        KeepPolicy.builder().keepMonthly(KeepPolicy.UNLIMITED).build(), """
                        2026-11-29T02:00  monthly 2026-11
                        2026-10-31T23:30  monthly 2026-10
                        2026-09-30T23:30  monthly 2026-09
                        2026-08-31T23:30  monthly 2026-08
                        2026-07-31T23:30  monthly 2026-07
                        2026-06-30T23:30  monthly 2026-06
                        2026-05-31T23:30  monthly 2026-05
                        2026-04-30T23:30  monthly 2026-04
                        2026-03-31T23:30  monthly 2026-03
                        2026-02-28T23:30  monthly 2026-02
                        2026-01-31T23:30  monthly 2026-01
                        2025-12-31T23:30  monthly 2025-12
                        2025-11-30T23:30  monthly 2025-11
                        """),
                Arguments.of("ISO weeks across the year boundary: 2025-12-29 to 2026-01-04 is 2026-W01",
                        KeepPolicy.builder().keepWeekly(KeepPolicy.UNLIMITED).build(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void keepsExactlyThePinnedSnapshots(String name, KeepPolicy policy, String expected) {
        ForgetPlan plan = RetentionPlanner.plan(YearOfSnapshots.snapshots(), policy, NOW);

        assertThat(plan.groups()).hasSize(1);
        if (expected != null) {
            assertThat(keptWithReasons(plan)).containsExactlyEntriesOf(parse(expected));
        }
        assertThat(plan.keep().size() + plan.forget().size()).isEqualTo(YearOfSnapshots.SIZE);
        assertThat(plan.forget()).doesNotContainAnyElementsOf(plan.keep()).isNotEmpty();
    }

    @Test
    void weeklyUnlimitedKeepsTheNewestOfEachOfThe53IsoWeeks() {
        ForgetPlan plan = RetentionPlanner.plan(YearOfSnapshots.snapshots(),
                KeepPolicy.builder().keepWeekly(KeepPolicy.UNLIMITED).build(), NOW);

        Map<String, List<String>> kept = keptWithReasons(plan);
        // 2025-W48 (Sunday 2025-11-30 only), 2025-W49 to W52, 2026-W01 to W48.
        assertThat(kept).hasSize(53);
        assertThat(kept.get("2026-01-04T02:00")).containsExactly("weekly 2026-W01");
        assertThat(kept.get("2025-12-28T02:00")).containsExactly("weekly 2025-W52");
        // 2025-12-31 belongs to 2026-W01 but is older than Sunday 2026-01-04.
        assertThat(kept).doesNotContainKeys("2025-12-31T23:30", "2025-12-31T02:00");
        assertThat(kept.get("2025-11-30T23:30")).containsExactly("weekly 2025-W48");
        assertThat(kept.get("2026-05-31T23:30")).as("a Sunday that ends a month").containsExactly("weekly 2026-W22");
    }

    @Test
    void unlimitedLastAndDailyKeepEverythingOrOnePerDay() {
        ForgetPlan all = RetentionPlanner.plan(YearOfSnapshots.snapshots(),
                KeepPolicy.builder().keepLast(KeepPolicy.UNLIMITED).build(), NOW);
        assertThat(all.forget()).isEmpty();
        assertThat(all.groups().getFirst().keep().getLast().reasons()).containsExactly("last 379");

        ForgetPlan daily = RetentionPlanner.plan(YearOfSnapshots.snapshots(),
                KeepPolicy.builder().keepDaily(KeepPolicy.UNLIMITED).build(), NOW);
        assertThat(daily.keep()).hasSize(365);
        assertThat(daily.forget()).containsExactlyInAnyOrder(
                "2026-11-27T14:00", "2026-11-27T02:00",
                "2025-11-30T02:00", "2025-12-31T02:00", "2026-01-31T02:00", "2026-02-28T02:00",
                "2026-03-31T02:00", "2026-04-30T02:00", "2026-05-31T02:00", "2026-06-30T02:00",
                "2026-07-31T02:00", "2026-08-31T02:00", "2026-09-30T02:00", "2026-10-31T02:00");
    }

    @Test
    void zoneDecidesTheDayOfA2330UtcSnapshot() {
        KeepPolicy utc = KeepPolicy.builder().keepDaily(3).build();
        KeepPolicy berlin = KeepPolicy.builder().keepDaily(3).zone(BERLIN).build();

        assertThat(RetentionPlanner.plan(YearOfSnapshots.snapshots(), utc, NOW).keep()).contains("2026-11-27T23:30");
        assertThat(RetentionPlanner.plan(YearOfSnapshots.snapshots(), berlin, NOW).forget()).contains("2026-11-27T23:30");
    }

    @Test
    void inputOrderDoesNotMatter() {
        List<SnapshotInfo> shuffled = new ArrayList<>(YearOfSnapshots.snapshots());
        Collections.shuffle(shuffled, new Random(42));

        assertThat(RetentionPlanner.plan(shuffled, gfs().build(), NOW))
                .isEqualTo(RetentionPlanner.plan(YearOfSnapshots.snapshots(), gfs().build(), NOW));
    }

    // ---- locks (IMM-1) ----

    private static final Instant CREATED = Instant.parse("2026-05-15T02:00:00Z");

    @Test
    void activeComplianceLockKeepsWhatThePolicyWouldForget() {
        RetentionLock lock = new RetentionLock(LockMode.COMPLIANCE, Instant.parse("2027-01-01T00:00:00Z"), false, CREATED);
        ForgetPlan plan = RetentionPlanner.plan(YearOfSnapshots.snapshots(Map.of("2026-05-15T02:00", lock)), gfs().build(), NOW);

        Map<String, List<String>> expected = parse(GFS_UTC);
        expected.put("2026-05-15T02:00", List.of("locked: compliance until 2027-01-01T00:00:00Z"));
        assertThat(keptWithReasons(plan)).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void activeGovernanceLockKeepsToo() {
        RetentionLock lock = new RetentionLock(LockMode.GOVERNANCE, Instant.parse("2026-12-01T00:00:00Z"), false, CREATED);
        ForgetPlan plan = RetentionPlanner.plan(YearOfSnapshots.snapshots(Map.of("2026-05-15T02:00", lock)), gfs().build(), NOW);

        assertThat(keptWithReasons(plan).get("2026-05-15T02:00")).containsExactly("locked: governance until 2026-12-01T00:00:00Z");
    }

    @Test
    void expiredLockDoesNotKeep() {
        RetentionLock expired = new RetentionLock(LockMode.COMPLIANCE, Instant.parse("2026-11-01T00:00:00Z"), false, CREATED);
        RetentionLock endsNow = new RetentionLock(LockMode.COMPLIANCE, NOW, false, CREATED);
        ForgetPlan plan = RetentionPlanner.plan(YearOfSnapshots.snapshots(Map.of(
                "2026-05-15T02:00", expired, "2026-05-16T02:00", endsNow)), gfs().build(), NOW);

        assertThat(keptWithReasons(plan)).containsExactlyEntriesOf(parse(GFS_UTC));
        assertThat(plan.forget()).contains("2026-05-15T02:00", "2026-05-16T02:00");
    }

    @Test
    void legalHoldKeepsPastRetainUntil() {
        RetentionLock held = new RetentionLock(LockMode.GOVERNANCE, Instant.parse("2026-06-01T00:00:00Z"), true, CREATED);
        RetentionLock heldAndRunning = new RetentionLock(LockMode.COMPLIANCE, Instant.parse("2027-06-01T00:00:00Z"), true, CREATED);
        ForgetPlan plan = RetentionPlanner.plan(YearOfSnapshots.snapshots(Map.of(
                "2026-05-15T02:00", held, "2026-05-16T02:00", heldAndRunning)), gfs().build(), NOW);

        Map<String, List<String>> kept = keptWithReasons(plan);
        assertThat(kept.get("2026-05-15T02:00")).containsExactly("legal hold");
        assertThat(kept.get("2026-05-16T02:00")).containsExactly("locked: compliance until 2027-06-01T00:00:00Z", "legal hold");
    }

    @Test
    void aLockedSnapshotStillCountsForTheBucketsSoLocksNeverShiftOthers() {
        RetentionLock lock = new RetentionLock(LockMode.COMPLIANCE, Instant.parse("2027-01-01T00:00:00Z"), false, CREATED);
        ForgetPlan plan = RetentionPlanner.plan(YearOfSnapshots.snapshots(Map.of("2026-11-29T02:00", lock)), gfs().build(), NOW);

        Map<String, List<String>> expected = parse(GFS_UTC);
        expected.put("2026-11-29T02:00", List.of("locked: compliance until 2027-01-01T00:00:00Z",
                "daily 2026-11-29", "weekly 2026-W48", "monthly 2026-11", "yearly 2026"));
        assertThat(keptWithReasons(plan)).containsExactlyEntriesOf(expected);
    }

    // ---- groups ----

    @Test
    void groupsNeverMix() {
        Instant t = Instant.parse("2026-11-29T02:00:00Z");
        List<SnapshotInfo> snapshots = List.of(
                snap("a-fs-1", "clinic-a", "fs:/srv", t),
                snap("a-fs-2", "clinic-a", "fs:/srv", t.minus(Duration.ofDays(1))),
                snap("a-db-1", "clinic-a", "db:/var/lib/pg", t.minus(Duration.ofHours(1))),
                snap("a-db-2", "clinic-a", "db:/var/lib/pg", t.minus(Duration.ofHours(2))),
                snap("b-fs-1", "clinic-b", "fs:/srv", t.minus(Duration.ofDays(300))),
                snap("b-fs-2", "clinic-b", "fs:/srv", t.minus(Duration.ofDays(301))),
                snap("b-db-1", "clinic-b", "db:/var/lib/pg", t.plus(Duration.ofMinutes(5))));

        ForgetPlan plan = RetentionPlanner.plan(snapshots, KeepPolicy.builder().keepLast(1).build(), NOW);

        assertThat(plan.groups()).extracting(g -> g.tenant() + " " + g.source()).containsExactly(
                "clinic-a db:/var/lib/pg", "clinic-a fs:/srv", "clinic-b db:/var/lib/pg", "clinic-b fs:/srv");
        assertThat(plan.keep()).containsExactly("a-db-1", "a-fs-1", "b-db-1", "b-fs-1");
        assertThat(plan.forget()).containsExactly("a-db-2", "a-fs-2", "b-fs-2");
        for (ForgetPlan.Group g : plan.groups()) {
            assertThat(g.keep()).allSatisfy(k -> assertThat(k.snapshot().tenant() + k.snapshot().source())
                    .isEqualTo(g.tenant() + g.source()));
            assertThat(g.forget()).allSatisfy(s -> assertThat(s.tenant() + s.source()).isEqualTo(g.tenant() + g.source()));
        }
    }

    @Test
    void groupThatFallsOutsideKeepWithinIsFlagged() {
        Instant old = NOW.minus(Duration.ofDays(40));
        ForgetPlan plan = RetentionPlanner.plan(List.of(snap("x", "clinic-a", "fs:/srv", old)),
                KeepPolicy.builder().keepWithin(Duration.ofDays(30)).build(), NOW);

        assertThat(plan.forget()).containsExactly("x");
        assertThat(plan.groups().getFirst().forgetsEverything()).isTrue();
    }

    // ---- refusals ----

    @Test
    void emptyPolicyIsRefusedEvenWithoutSnapshots() {
        KeepPolicy empty = KeepPolicy.builder().build();
        assertThat(empty.isEmpty()).isTrue();

        assertThatThrownBy(() -> RetentionPlanner.plan(YearOfSnapshots.snapshots(), empty, NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("refusing an empty keep policy: it would forget every unlocked snapshot;")
                .hasMessageContaining("--keep-last");
        assertThatThrownBy(() -> RetentionPlanner.plan(List.of(), empty, NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void duplicateIdsAreRefused() {
        SnapshotInfo a = snap("same", "clinic-a", "fs:/srv", NOW);
        SnapshotInfo b = snap("same", "clinic-b", "fs:/srv", NOW);

        assertThatThrownBy(() -> RetentionPlanner.plan(List.of(a, b), KeepPolicy.builder().keepLast(1).build(), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("snapshot id same appears twice");
    }

    @Test
    void noSnapshotsMakeAnEmptyPlan() {
        ForgetPlan plan = RetentionPlanner.plan(List.of(), KeepPolicy.builder().keepLast(1).build(), NOW);

        assertThat(plan.groups()).isEmpty();
        assertThat(plan.toText()).isEmpty();
    }

    // ---- helpers ----

    static KeepPolicy.Builder gfs() {
        return KeepPolicy.builder().keepDaily(7).keepWeekly(4).keepMonthly(12).keepYearly(3);
    }

    static SnapshotInfo snap(String id, String tenant, String source, Instant time) {
        return new SnapshotInfo(id, tenant, source, time, Set.of(), null);
    }

    /** Kept ids, newest first, with their reasons. */
    static Map<String, List<String>> keptWithReasons(ForgetPlan plan) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        plan.groups().forEach(g -> g.keep().forEach(k -> out.put(k.snapshot().id(), k.reasons())));
        return out;
    }

    /** {@code id  reason; reason} per line. */
    static Map<String, List<String>> parse(String table) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        table.lines().filter(l -> !l.isBlank()).forEach(l -> {
            String[] parts = l.strip().split(" {2}", 2);
            out.put(parts[0], List.of(parts[1].split("; ")));
        });
        return out;
    }
}
