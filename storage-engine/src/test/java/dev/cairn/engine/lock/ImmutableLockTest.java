package dev.cairn.engine.lock;

import static dev.cairn.engine.lock.RetentionRepo.TENANT;
import static dev.cairn.engine.lock.RetentionRepo.immutable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.LockRules;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The immutable attribute on a real ext4 repository: set on the snapshot file, the lock file and every
 * pack of a locked snapshot (checked with lsattr and with writes and unlinks the kernel refuses), and
 * lifted only once no active lock needs it. Runs as root (CAP_LINUX_IMMUTABLE).
 */
class ImmutableLockTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    static final Instant T0 = Instant.parse("2026-11-01T02:00:00Z");

    @TempDir
    Path tmp;
    RetentionRepo rr;
    Locks locks;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for CAP_LINUX_IMMUTABLE");
        rr = new RetentionRepo(HSM.token(), tmp, T0);
        locks = new Locks(rr.repo());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (rr != null) {
            rr.close();
        }
    }

    @Test
    void anActiveLockMakesItsFilesImmutableAndExpiryLiftsIt() throws Exception {
        Snapshot s = rr.backupAt(rr.source("srv", 1), T0);
        List<Path> packs = rr.packFiles();
        assertThat(packs).isNotEmpty();
        Instant until = T0.plus(Duration.ofDays(7));

        LockResult r = locks.set(TENANT, s.id(), LockMode.COMPLIANCE, until, List.of());
        assertThat(r.immutable().complete()).as(r.immutable().describe()).isTrue();
        assertThat(r.immutable().files()).isEqualTo(packs.size() + 2);
        assertThat(immutable(rr.snapshotFile(s.id()))).isTrue();
        assertThat(immutable(rr.lockFile(s.id()))).isTrue();
        for (Path p : packs) {
            assertThat(immutable(p)).as(p.getFileName().toString()).isTrue();
        }
        // root cannot write or delete them now
        assertThat(catchThrowable(() -> Files.write(packs.getFirst(), new byte[] {1})))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("Operation not permitted");
        assertThat(catchThrowable(() -> Files.delete(rr.snapshotFile(s.id()))))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("Operation not permitted");
        assertThat(catchThrowable(() -> Files.delete(rr.lockFile(s.id()))))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("Operation not permitted");
        assertThat(rr.repo().snapshots().read(TENANT, s.id(), rr.repo().keys(TENANT)).id()).isEqualTo(s.id());

        // extending rewrites the lock file (lifting +i from the old one first) and protects the new one
        String before = Files.readString(rr.lockFile(s.id()));
        Instant later = until.plus(Duration.ofDays(7));
        locks.retainUntil(TENANT, s.id(), later, List.of());
        assertThat(Files.readString(rr.lockFile(s.id()))).isNotEqualTo(before).contains(later.toString());
        assertThat(immutable(rr.lockFile(s.id()))).isTrue();

        // still active: release changes nothing
        rr.setTime(until);
        ReleaseReport kept = locks.releaseExpired();
        assertThat(kept.activeLocks()).isEqualTo(1);
        assertThat(kept.packs() + kept.snapshotFiles() + kept.lockFiles()).isZero();
        assertThat(immutable(rr.snapshotFile(s.id()))).isTrue();

        // expired: everything lifted, and deletable again
        rr.setTime(later);
        ReleaseReport released = locks.releaseExpired();
        assertThat(released.problems()).isEmpty();
        assertThat(released.snapshotFiles()).isEqualTo(1);
        assertThat(released.lockFiles()).isEqualTo(1);
        assertThat(released.packs()).isEqualTo(packs.size());
        assertThat(immutable(rr.snapshotFile(s.id()))).isFalse();
        assertThat(immutable(rr.lockFile(s.id()))).isFalse();
        for (Path p : packs) {
            assertThat(immutable(p)).isFalse();
        }
        Files.delete(rr.lockFile(s.id()));
    }

    @Test
    void aPackStaysImmutableWhileAnyActiveLockReferencesIt() throws Exception {
        Path src = rr.source("srv", 1);
        Snapshot a = rr.backupAt(src, T0);
        List<Path> shared = rr.packFiles();
        Snapshot b = rr.backupAt(src, T0.plus(Duration.ofDays(1))); // unchanged tree: the same packs
        assertThat(rr.packFiles()).isEqualTo(shared);
        Snapshot c = rr.backupAt(rr.source("other", 2), T0.plus(Duration.ofDays(1)));
        List<Path> cOnly = new ArrayList<>(rr.packFiles());
        cOnly.removeAll(shared);
        assertThat(cOnly).isNotEmpty();

        Instant aUntil = T0.plus(Duration.ofDays(10));
        Instant bUntil = T0.plus(Duration.ofDays(20));
        locks.set(TENANT, a.id(), LockMode.COMPLIANCE, aUntil, List.of());
        locks.set(TENANT, b.id(), LockMode.GOVERNANCE, bUntil, List.of());
        for (Path p : cOnly) {
            assertThat(immutable(p)).as("unlocked snapshot's pack").isFalse();
        }
        assertThat(immutable(rr.snapshotFile(c.id()))).isFalse();

        rr.setTime(aUntil);
        ReleaseReport first = locks.releaseExpired();
        assertThat(first.snapshotFiles()).isEqualTo(1);
        assertThat(first.packs()).isZero();
        assertThat(immutable(rr.snapshotFile(a.id()))).isFalse();
        assertThat(immutable(rr.lockFile(a.id()))).isFalse();
        assertThat(immutable(rr.snapshotFile(b.id()))).isTrue();
        for (Path p : shared) {
            assertThat(immutable(p)).as("still referenced by b").isTrue();
        }

        rr.setTime(bUntil);
        ReleaseReport second = locks.releaseExpired();
        assertThat(second.packs()).isEqualTo(shared.size());
        for (Path p : rr.packFiles()) {
            assertThat(immutable(p)).isFalse();
        }
    }

    @Test
    void aLegalHoldKeepsTheFilesImmutableAfterRetainUntil() throws Exception {
        Snapshot s = rr.backupAt(rr.source("srv", 1), T0);
        Instant until = T0.plus(Duration.ofDays(1));
        locks.set(TENANT, s.id(), LockMode.GOVERNANCE, until, List.of());
        locks.legalHold(TENANT, s.id(), true, List.of());
        rr.setTime(until.plus(Duration.ofDays(30)));
        assertThat(locks.releaseExpired().activeLocks()).isEqualTo(1);
        assertThat(immutable(rr.snapshotFile(s.id()))).isTrue();
        for (Path p : rr.packFiles()) {
            assertThat(immutable(p)).isTrue();
        }
        // releasing the hold (approved) leaves an expired lock: lifted at once
        LockResult r = locks.legalHold(TENANT, s.id(), false,
                List.of(rr.approval(LockRules.APPROVAL_REMOVE, "snapshot:" + s.id())));
        assertThat(r.released()).isNotNull();
        assertThat(immutable(rr.snapshotFile(s.id()))).isFalse();
        assertThat(immutable(rr.lockFile(s.id()))).isFalse();
        for (Path p : rr.packFiles()) {
            assertThat(immutable(p)).isFalse();
        }
    }

    @Test
    void removingAGovernanceLockWithApprovalLiftsAtOnce() throws Exception {
        Snapshot s = rr.backupAt(rr.source("srv", 1), T0);
        locks.set(TENANT, s.id(), LockMode.GOVERNANCE, T0.plus(Duration.ofDays(30)), List.of());
        assertThat(immutable(rr.snapshotFile(s.id()))).isTrue();
        LockResult r = locks.remove(TENANT, s.id(), List.of(rr.approval(LockRules.APPROVAL_REMOVE, "snapshot:" + s.id())));
        assertThat(r.released().snapshotFiles()).isEqualTo(1);
        assertThat(immutable(rr.snapshotFile(s.id()))).isFalse();
        assertThat(Files.exists(rr.lockFile(s.id()))).isFalse();
        for (Path p : rr.packFiles()) {
            assertThat(immutable(p)).isFalse();
        }
    }

    @Test
    void anUnreadableLockFileKeepsEverythingImmutable() throws Exception {
        Snapshot s = rr.backupAt(rr.source("srv", 1), T0);
        locks.set(TENANT, s.id(), LockMode.GOVERNANCE, T0.plus(Duration.ofDays(1)), List.of());
        RetentionRepo.run("chattr", "-i", rr.lockFile(s.id()).toString());
        Files.writeString(rr.lockFile(s.id()), "garbage");
        rr.setTime(T0.plus(Duration.ofDays(400)));
        ReleaseReport r = locks.releaseExpired();
        assertThat(r.activeLocks()).isEqualTo(1);
        assertThat(r.problems()).anyMatch(p -> p.contains(s.id().substring(0, 8)) && p.contains("locked forever"));
        assertThat(immutable(rr.snapshotFile(s.id()))).isTrue();
        for (Path p : rr.packFiles()) {
            assertThat(immutable(p)).isTrue();
        }
        // protect() re-applies it on the (fail-closed) locked snapshot, including the lock file
        assertThat(locks.protect(TENANT, s.id()).complete()).isTrue();
        assertThat(immutable(rr.lockFile(s.id()))).isTrue();
    }
}
