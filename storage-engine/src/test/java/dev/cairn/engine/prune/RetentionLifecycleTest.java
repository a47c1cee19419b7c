package dev.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.forget.Forget;
import dev.cairn.engine.lock.Locks;
import dev.cairn.engine.lock.RetentionRepo;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.retention.KeepPolicy;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole life of a locked snapshot: while locked, neither forget nor prune can touch it or its packs
 * (which carry +i); once the lock has expired, forget deletes it, its expired lock file stays as the
 * record, and prune frees the packs only it used.
 */
class RetentionLifecycleTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    @Test
    void aSnapshotIsKeptWhileLockedAndItsDataFreedAfterTheLockExpiresAndItIsForgotten() throws Exception {
        Instant t0 = Instant.parse("2026-11-01T02:00:00Z");
        try (RetentionRepo rr = new RetentionRepo(HSM.token(), tmp, t0)) {
            Path src = rr.source("srv", 1);
            Snapshot old = rr.backupAt(src, t0);
            byte[] changed = new byte[300_000];
            new java.util.Random(2).nextBytes(changed);
            Files.write(src.resolve("sub/scan.bin"), changed); // the old scan is only in the old snapshot
            Snapshot recent = rr.backupAt(src, t0.plusSeconds(3600));
            Locks locks = new Locks(rr.repo());
            Instant until = Instant.parse("2026-12-01T00:00:00Z");
            locks.set(RetentionRepo.TENANT, old.id(), LockMode.COMPLIANCE, until, List.of());
            int packsBefore = rr.packFiles().size();
            long bytesBefore = bytes(rr.packFiles());
            KeepPolicy keepLast1 = KeepPolicy.builder().keepLast(1).build();

            // locked: forget keeps it, prune has nothing to free
            rr.setTime(Instant.parse("2026-11-15T00:00:00Z"));
            Forget.Result kept = new Forget(rr.repo()).execute(new Forget(rr.repo()).plan(RetentionRepo.TENANT, keepLast1));
            assertThat(kept.forgotten()).isEmpty();
            assertThat(prune(rr).packsDeleted()).isZero();
            assertThat(rr.packFiles()).hasSize(packsBefore);

            // expired: forget deletes it and lifts +i; the lock file stays; prune frees its packs
            rr.setTime(until.plusSeconds(1));
            Forget.Result gone = new Forget(rr.repo()).execute(new Forget(rr.repo()).plan(RetentionRepo.TENANT, keepLast1));
            assertThat(gone.forgotten()).containsExactly(old.id());
            assertThat(Files.exists(rr.lockFile(old.id()))).isTrue();
            for (Path p : rr.packFiles()) {
                assertThat(RetentionRepo.immutable(p)).as("no pack stays immutable").isFalse();
            }
            PruneExecutor.Result r = prune(rr);
            assertThat(r.packsDeleted()).isPositive();
            assertThat(bytes(rr.packFiles())).as("the old scan's 300 kB are freed").isLessThan(bytesBefore - 250_000);
            assertThat(rr.repo().snapshots().ids(RetentionRepo.TENANT)).containsExactly(recent.id());
        }
    }

    private static long bytes(List<Path> files) throws java.io.IOException {
        long n = 0;
        for (Path p : files) {
            n += Files.size(p);
        }
        return n;
    }

    private static PruneExecutor.Result prune(RetentionRepo rr) {
        rr.fx.repo.close();
        try (Repository ex = Repository.open(rr.fx.repoDir, rr.fx.vault, Repository.LockMode.EXCLUSIVE, rr.clock, new SecureRandom())) {
            PrunePlan plan = PrunePlanner.plan(PruneState.read(ex, null), PruneOptions.DEFAULT);
            assertThat(plan.problemLines()).isEmpty();
            return PruneExecutor.run(ex, plan, null);
        } finally {
            rr.fx.repo = Repository.open(rr.fx.repoDir, rr.fx.vault, Repository.LockMode.SHARED, rr.clock, new SecureRandom());
        }
    }
}
