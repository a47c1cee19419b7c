package dev.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ForgetPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");

    private static List<SnapshotInfo> small() {
        RetentionLock hold = new RetentionLock(LockMode.GOVERNANCE, Instant.parse("2026-01-01T00:00:00Z"), true,
                Instant.parse("2025-12-01T00:00:00Z"));
        return List.of(
                new SnapshotInfo("b1", "clinic-b", "fs:/srv", Instant.parse("2026-11-29T02:00:00Z"), Set.of(), null),
                new SnapshotInfo("a3", "clinic-a", "fs:/srv", Instant.parse("2026-11-27T23:30:00Z"), Set.of(), null),
                new SnapshotInfo("a1", "clinic-a", "fs:/srv", Instant.parse("2026-11-29T02:00:00Z"), Set.of(), null),
                new SnapshotInfo("a2", "clinic-a", "fs:/srv", Instant.parse("2026-11-28T02:00:00Z"), Set.of(), null),
                new SnapshotInfo("a0", "clinic-a", "fs:/srv", Instant.parse("2025-11-30T02:00:00Z"), Set.of("legal"), hold),
                new SnapshotInfo("b2", "clinic-b", "fs:/srv", Instant.parse("2026-11-28T02:00:00Z"), Set.of(), null));
    }

    /** The --dry-run output is pinned: scripts and auditors read it. */
    @Test
    void toTextIsOneLinePerSnapshotNewestFirstPerGroup() {
        ForgetPlan plan = RetentionPlanner.plan(small(), KeepPolicy.builder().keepLast(1).keepTag("legal")
                .zone(ZoneId.of("Europe/Berlin")).build(), NOW);

        assertThat(plan.toText()).isEqualTo("""
                keep    2026-11-29T03:00:00+01:00  a1  clinic-a  fs:/srv  [last 1]
                forget  2026-11-28T03:00:00+01:00  a2  clinic-a  fs:/srv
                forget  2026-11-28T00:30:00+01:00  a3  clinic-a  fs:/srv
                keep    2025-11-30T03:00:00+01:00  a0  clinic-a  fs:/srv  [legal hold, tag:legal]
                keep    2026-11-29T03:00:00+01:00  b1  clinic-b  fs:/srv  [last 1]
                forget  2026-11-28T03:00:00+01:00  b2  clinic-b  fs:/srv
                """);
        assertThat(plan.forget()).containsExactly("a2", "a3", "b2");
        assertThat(plan.keep()).containsExactly("a1", "a0", "b1");
    }

    /** The example of docs/retention.md, section 3: if this changes, change the document too. */
    @Test
    void documentedExample() {
        List<SnapshotInfo> snaps = new ArrayList<>();
        for (String t : List.of("2026-11-29T02:00", "2026-11-28T02:00", "2026-11-27T23:30", "2026-11-27T14:00",
                "2026-11-27T02:00", "2026-11-26T02:00", "2026-11-22T02:00", "2026-11-20T02:00", "2026-11-15T02:00",
                "2026-10-31T23:30", "2026-10-31T02:00", "2026-09-30T23:30", "2025-12-31T23:30")) {
            snaps.add(new SnapshotInfo(t, "clinic-a", "fileserver:/srv", Instant.parse(t + ":00Z"), Set.of(), null));
        }
        KeepPolicy.Builder policy = KeepPolicy.builder().keepLast(2).keepDaily(3).keepWeekly(3).keepMonthly(3).keepYearly(2);

        assertThat(RetentionPlanner.plan(snaps, policy.build(), NOW).toText()).isEqualTo("""
                keep    2026-11-29T02:00:00Z  2026-11-29T02:00  clinic-a  fileserver:/srv  [last 1, daily 2026-11-29, weekly 2026-W48, monthly 2026-11, yearly 2026]
                keep    2026-11-28T02:00:00Z  2026-11-28T02:00  clinic-a  fileserver:/srv  [last 2, daily 2026-11-28]
                keep    2026-11-27T23:30:00Z  2026-11-27T23:30  clinic-a  fileserver:/srv  [daily 2026-11-27]
                forget  2026-11-27T14:00:00Z  2026-11-27T14:00  clinic-a  fileserver:/srv
                forget  2026-11-27T02:00:00Z  2026-11-27T02:00  clinic-a  fileserver:/srv
                forget  2026-11-26T02:00:00Z  2026-11-26T02:00  clinic-a  fileserver:/srv
                keep    2026-11-22T02:00:00Z  2026-11-22T02:00  clinic-a  fileserver:/srv  [weekly 2026-W47]
                forget  2026-11-20T02:00:00Z  2026-11-20T02:00  clinic-a  fileserver:/srv
                keep    2026-11-15T02:00:00Z  2026-11-15T02:00  clinic-a  fileserver:/srv  [weekly 2026-W46]
                keep    2026-10-31T23:30:00Z  2026-10-31T23:30  clinic-a  fileserver:/srv  [monthly 2026-10]
                forget  2026-10-31T02:00:00Z  2026-10-31T02:00  clinic-a  fileserver:/srv
                keep    2026-09-30T23:30:00Z  2026-09-30T23:30  clinic-a  fileserver:/srv  [monthly 2026-09]
                keep    2025-12-31T23:30:00Z  2025-12-31T23:30  clinic-a  fileserver:/srv  [yearly 2025]
                """);
        assertThat(RetentionPlanner.plan(snaps, policy.zone(ZoneId.of("Europe/Berlin")).build(), NOW).toText()).isEqualTo("""
                keep    2026-11-29T03:00:00+01:00  2026-11-29T02:00  clinic-a  fileserver:/srv  [last 1, daily 2026-11-29, weekly 2026-W48, monthly 2026-11, yearly 2026]
                keep    2026-11-28T03:00:00+01:00  2026-11-28T02:00  clinic-a  fileserver:/srv  [last 2, daily 2026-11-28]
                forget  2026-11-28T00:30:00+01:00  2026-11-27T23:30  clinic-a  fileserver:/srv
                keep    2026-11-27T15:00:00+01:00  2026-11-27T14:00  clinic-a  fileserver:/srv  [daily 2026-11-27]
                forget  2026-11-27T03:00:00+01:00  2026-11-27T02:00  clinic-a  fileserver:/srv
                forget  2026-11-26T03:00:00+01:00  2026-11-26T02:00  clinic-a  fileserver:/srv
                keep    2026-11-22T03:00:00+01:00  2026-11-22T02:00  clinic-a  fileserver:/srv  [weekly 2026-W47]
                forget  2026-11-20T03:00:00+01:00  2026-11-20T02:00  clinic-a  fileserver:/srv
                keep    2026-11-15T03:00:00+01:00  2026-11-15T02:00  clinic-a  fileserver:/srv  [weekly 2026-W46]
                forget  2026-11-01T00:30:00+01:00  2026-10-31T23:30  clinic-a  fileserver:/srv
                keep    2026-10-31T03:00:00+01:00  2026-10-31T02:00  clinic-a  fileserver:/srv  [monthly 2026-10]
                forget  2026-10-01T01:30:00+02:00  2026-09-30T23:30  clinic-a  fileserver:/srv
                keep    2026-01-01T00:30:00+01:00  2025-12-31T23:30  clinic-a  fileserver:/srv  [monthly 2026-01]
                """);
    }

    @Test
    void toTextInUtc() {
        ForgetPlan plan = RetentionPlanner.plan(small().subList(0, 1), KeepPolicy.builder().keepLast(1).build(), NOW);

        assertThat(plan.toText()).isEqualTo("keep    2026-11-29T02:00:00Z  b1  clinic-b  fs:/srv  [last 1]\n");
    }

    @Test
    void planIsImmutable() {
        ForgetPlan plan = RetentionPlanner.plan(small(), KeepPolicy.builder().keepLast(1).build(), NOW);

        assertThatThrownBy(() -> plan.groups().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.groups().getFirst().keep().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.groups().getFirst().forget().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.groups().getFirst().keep().getFirst().reasons().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> plan.forget().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void listsPassedInAreCopied() {
        SnapshotInfo s = small().getFirst();
        List<String> reasons = new ArrayList<>(List.of("last 1"));
        ForgetPlan.Kept kept = new ForgetPlan.Kept(s, reasons);
        reasons.clear();

        assertThat(kept.reasons()).containsExactly("last 1");
        assertThatThrownBy(() -> new ForgetPlan.Kept(s, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a kept snapshot needs a reason: b1");
    }

    @Test
    void snapshotFieldsThatWouldBreakALineAreRefused() {
        Instant t = NOW;
        assertThatThrownBy(() -> new SnapshotInfo("x\ny", "clinic-a", "fs", t, Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("id must not contain control characters");
        assertThatThrownBy(() -> new SnapshotInfo("x", " ", "fs", t, Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tenant must not be blank");
        assertThatThrownBy(() -> new SnapshotInfo("x", "clinic-a", "fs", null, Set.of(), null))
                .isInstanceOf(NullPointerException.class);
    }
}
