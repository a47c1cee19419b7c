package dev.cairn.engine.forget;

import static dev.cairn.engine.lock.RetentionRepo.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.lock.LockRecord;
import dev.cairn.engine.lock.Locks;
import dev.cairn.engine.lock.RetentionRepo;
import dev.cairn.engine.retention.ForgetPlan;
import dev.cairn.engine.retention.KeepPolicy;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forget on a real repository with snapshots taken at chosen times: exactly the planned snapshot files go,
 * nothing under packs/ changes, and every lock (including one set after the plan) wins.
 */
class ForgetTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    static final Instant NOW = Instant.parse("2026-11-04T12:00:00Z");
    static final KeepPolicy DAILY_3 = KeepPolicy.builder().keepDaily(3).build();

    @TempDir
    Path tmp;
    RetentionRepo rr;
    Locks locks;
    Forget forget;
    /** label -> snapshot; the "srv" source twice a day for three days and once on the fourth, "etc" once. */
    Map<String, Snapshot> s = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        rr = new RetentionRepo(HSM.token(), tmp, Instant.parse("2026-11-01T00:00:00Z"));
        Path srv = rr.source("srv", 1);
        int n = 0;
        for (String at : List.of("11-01T02", "11-01T14", "11-02T02", "11-02T14", "11-03T02", "11-03T14", "11-04T02")) {
            Files.writeString(srv.resolve("a.txt"), "day letter " + n++ + "\n".repeat(n)); // new data each time
            s.put("srv " + at, rr.backupAt(srv, Instant.parse("2026-" + at + ":00:00Z")));
        }
        s.put("etc 11-01T03", rr.backupAt(rr.source("etc", 2), Instant.parse("2026-11-01T03:00:00Z")));
        rr.setTime(NOW);
        locks = new Locks(rr.repo());
        forget = new Forget(rr.repo());
    }

    @AfterEach
    void tearDown() throws Exception {
        rr.close();
    }

    String id(String label) {
        return s.get(label).id();
    }

    List<String> ids(String... labels) {
        return Stream.of(labels).map(this::id).toList();
    }

    List<String> snapshotFilesLeft() throws IOException {
        try (Stream<Path> f = Files.list(rr.repo().snapshots().dir(TENANT))) {
            return f.map(p -> p.getFileName().toString().replace(".snap", "")).sorted().toList();
        }
    }

    TreeMap<String, String> lockListing() throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        Path dir = tmp.resolve("repo/locks");
        try (Stream<Path> f = Files.walk(dir)) {
            for (Path p : f.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return m;
    }

    @Test
    void keepDailyRemovesExactlyThePlannedSnapshotFilesAndNothingInPacks() throws Exception {
        Forget.Plan plan = forget.plan(TENANT, DAILY_3);
        List<String> expected = ids("srv 11-03T02", "srv 11-02T02", "srv 11-01T14", "srv 11-01T02");
        assertThat(plan.plan().forget()).containsExactlyElementsOf(expected);
        assertThat(plan.plan().keep()).containsExactlyInAnyOrderElementsOf(
                ids("srv 11-04T02", "srv 11-03T14", "srv 11-02T14", "etc 11-01T03"));
        assertThat(plan.plan().groups()).extracting(ForgetPlan.Group::source)
                .allMatch(src -> src.startsWith(TENANT + ":")).hasSize(2);
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.plan().toText()).contains("keep    2026-11-04T02:00:00Z  " + id("srv 11-04T02"))
                .contains("forget  2026-11-01T02:00:00Z  " + id("srv 11-01T02"));
        // planning changed nothing
        assertThat(snapshotFilesLeft()).hasSize(8);

        TreeMap<String, String> packsBefore = rr.packListing();
        long blobsBefore = rr.repo().index().blobCount();
        Forget.Result r = forget.execute(plan);

        assertThat(r.forgotten()).containsExactlyElementsOf(expected);
        assertThat(r.skipped()).isEmpty();
        assertThat(r.failed()).isEmpty();
        assertThat(snapshotFilesLeft()).containsExactlyInAnyOrderElementsOf(
                ids("srv 11-04T02", "srv 11-03T14", "srv 11-02T14", "etc 11-01T03"));
        assertThat(rr.packListing()).isEqualTo(packsBefore);
        assertThat(rr.repo().index().blobCount()).isEqualTo(blobsBefore);
        // the same policy again has nothing left to forget
        assertThat(forget.plan(TENANT, DAILY_3).plan().forget()).isEmpty();
    }

    @Test
    void aLockedSnapshotSurvivesForget() throws Exception {
        locks.set(TENANT, id("srv 11-01T02"), LockMode.COMPLIANCE, Instant.parse("2027-01-01T00:00:00Z"), List.of());
        TreeMap<String, String> lockFiles = lockListing();
        Forget.Plan plan = forget.plan(TENANT, DAILY_3);
        assertThat(plan.plan().forget()).doesNotContain(id("srv 11-01T02"));
        ForgetPlan.Kept kept = plan.plan().groups().stream().flatMap(g -> g.keep().stream())
                .filter(k -> k.snapshot().id().equals(id("srv 11-01T02"))).findFirst().orElseThrow();
        assertThat(kept.reasons()).containsExactly("locked: compliance until 2027-01-01T00:00:00Z");

        Forget.Result r = forget.execute(plan);
        assertThat(r.forgotten()).containsExactlyElementsOf(ids("srv 11-03T02", "srv 11-02T02", "srv 11-01T14"));
        assertThat(snapshotFilesLeft()).contains(id("srv 11-01T02"));
        assertThat(lockListing()).as("forget never touches lock files").isEqualTo(lockFiles);
    }

    @Test
    void aLockSetBetweenPlanAndExecuteWins() throws Exception {
        Forget.Plan plan = forget.plan(TENANT, DAILY_3);
        assertThat(plan.plan().forget()).contains(id("srv 11-02T02"), id("srv 11-01T14"));
        locks.legalHold(TENANT, id("srv 11-02T02"), true, List.of());
        locks.set(TENANT, id("srv 11-01T14"), LockMode.GOVERNANCE, NOW.plus(Duration.ofDays(1)), List.of());

        Forget.Result r = forget.execute(plan);
        assertThat(r.forgotten()).containsExactlyElementsOf(ids("srv 11-03T02", "srv 11-01T02"));
        assertThat(r.skipped()).extracting(Forget.Skipped::snapshot)
                .containsExactly(id("srv 11-02T02"), id("srv 11-01T14"));
        assertThat(r.skipped()).allMatch(k -> k.reason().startsWith("locked since the plan was made"));
        assertThat(snapshotFilesLeft()).contains(id("srv 11-02T02"), id("srv 11-01T14"));
    }

    @Test
    void aLegalHoldBlocksForgetEvenAfterRetainUntilAndAnExpiredLockDoesNot() throws Exception {
        rr.setTime(Instant.parse("2026-11-01T12:00:00Z"));
        locks.set(TENANT, id("srv 11-01T02"), LockMode.GOVERNANCE, Instant.parse("2026-11-02T00:00:00Z"), List.of());
        locks.legalHold(TENANT, id("srv 11-01T02"), true, List.of());
        locks.set(TENANT, id("srv 11-01T14"), LockMode.COMPLIANCE, Instant.parse("2026-11-02T00:00:00Z"), List.of());
        rr.setTime(NOW);
        // the expired lock's file is still immutable until forget releases it
        assertThat(RetentionRepo.immutable(rr.snapshotFile(id("srv 11-01T14")))).isTrue();

        Forget.Plan plan = forget.plan(TENANT, DAILY_3);
        ForgetPlan.Kept held = plan.plan().groups().getLast().keep().stream()
                .filter(k -> k.snapshot().id().equals(id("srv 11-01T02"))).findFirst().orElseThrow();
        assertThat(held.reasons()).containsExactly("legal hold");
        assertThat(plan.plan().forget()).contains(id("srv 11-01T14"));

        Forget.Result r = forget.execute(plan);
        assertThat(r.released().snapshotFiles()).isGreaterThanOrEqualTo(1);
        assertThat(r.forgotten()).containsExactlyElementsOf(ids("srv 11-03T02", "srv 11-02T02", "srv 11-01T14"));
        assertThat(snapshotFilesLeft()).contains(id("srv 11-01T02")).doesNotContain(id("srv 11-01T14"));
        // the expired lock's file stays, as the record of that lock
        assertThat(locks.lock(TENANT, id("srv 11-01T14"))).map(LockRecord::snapshot).contains(id("srv 11-01T14"));
    }

    @Test
    void anEmptyPolicyIsRefusedAndDeletesNothing() throws Exception {
        assertThatThrownBy(() -> forget.plan(TENANT, KeepPolicy.builder().build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing an empty keep policy").hasMessageContaining("--keep-daily");
        assertThat(snapshotFilesLeft()).hasSize(8);
    }

    @Test
    void aGroupThatWouldLoseEverySnapshotIsAWarning() {
        Forget.Plan plan = forget.plan(null, KeepPolicy.builder().keepWithin(Duration.ofDays(1)).build());
        assertThat(plan.forgetsAGroupEntirely()).isTrue();
        assertThat(plan.warnings()).singleElement().asString()
                .contains("tenant " + TENANT).contains(s.get("etc 11-01T03").source()).contains("keeps none of its 1 snapshots");
        assertThat(plan.plan().keep()).containsExactlyElementsOf(ids("srv 11-04T02", "srv 11-03T14")); // 10 h and 22 h old
    }

    @Test
    void anUnreadableLockFileKeepsItsSnapshotAtPlanAndAtExecution() throws Exception {
        rr.setTime(Instant.parse("2026-11-01T12:00:00Z"));
        locks.set(TENANT, id("srv 11-01T02"), LockMode.GOVERNANCE, Instant.parse("2026-11-02T00:00:00Z"), List.of());
        locks.set(TENANT, id("srv 11-01T14"), LockMode.GOVERNANCE, Instant.parse("2026-11-02T00:00:00Z"), List.of());
        rr.setTime(NOW);
        corrupt(rr.lockFile(id("srv 11-01T02")));

        Forget.Plan plan = forget.plan(TENANT, DAILY_3);
        assertThat(plan.plan().forget()).doesNotContain(id("srv 11-01T02")).contains(id("srv 11-01T14"));
        assertThat(plan.warnings()).anyMatch(w -> w.contains(id("srv 11-01T02")) && w.contains("locked forever"));

        corrupt(rr.lockFile(id("srv 11-01T14"))); // damaged after the plan was made
        Forget.Result r = forget.execute(plan);
        assertThat(r.skipped()).singleElement().satisfies(k -> {
            assertThat(k.snapshot()).isEqualTo(id("srv 11-01T14"));
            assertThat(k.reason()).contains("cannot be read");
        });
        assertThat(snapshotFilesLeft()).contains(id("srv 11-01T02"), id("srv 11-01T14"));
    }

    @Test
    void anUnreadableSnapshotIsLeftOutAndKept() throws Exception {
        Path f = rr.snapshotFile(id("srv 11-01T02"));
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
        Forget.Plan plan = forget.plan(TENANT, DAILY_3);
        assertThat(plan.plan().forget()).doesNotContain(id("srv 11-01T02"));
        assertThat(plan.warnings()).singleElement().asString().contains(id("srv 11-01T02")).contains("kept");
        forget.execute(plan);
        assertThat(snapshotFilesLeft()).contains(id("srv 11-01T02"));
    }

    private static void corrupt(Path lockFile) throws Exception {
        new ProcessBuilder("chattr", "-i", lockFile.toString()).start().waitFor();
        Files.writeString(lockFile, "{\"version\":1}");
    }
}
