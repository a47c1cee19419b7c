package dev.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prune stopped at every step boundary of the executor (fault injection through its package-private hook):
 * the repository opens, every remaining snapshot restores byte-identical, and the next prune finishes the
 * job and leaves no unused pack, in the index or on disk.
 */
class PruneCrashTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    static final class InjectedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedCrash(PruneExecutor.Step step) {
            super("injected crash at " + step);
        }
    }

    @Test
    void aCrashAfterAnyStepLeavesARepositoryThatRestoresAndTheNextPruneFinishes() {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            List<Snapshot> s = f.standardHistory();
            f.forget(s.get(0).id());
            f.forget(s.get(1).id());
            f.fx.repo.close();
            f.fx.repo = null;
            Path base = f.fx.repoDir;

            // a clean run on a copy lists the step boundaries
            List<PruneExecutor.Step> steps = new ArrayList<>();
            Set<String> doomed = new HashSet<>();
            try (Repository repo = open(f.fx, copy(base, "count"), Repository.LockMode.EXCLUSIVE)) {
                PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
                plan.delete().forEach(c -> doomed.add(c.pack()));
                plan.repack().forEach(r -> doomed.add(r.pack().pack()));
                PruneExecutor.run(repo, plan, null, steps::add);
            }
            assertThat(doomed).hasSizeGreaterThanOrEqualTo(3);
            assertThat(steps.getFirst()).isEqualTo(PruneExecutor.Step.VALIDATED);
            assertThat(steps.getLast()).isEqualTo(PruneExecutor.Step.DONE);
            assertThat(steps).contains(PruneExecutor.Step.PACK_COPIED, PruneExecutor.Step.REPACKED,
                    PruneExecutor.Step.INDEX_UPDATED, PruneExecutor.Step.PACK_FILE_DELETED);
            assertThat(steps.stream().filter(x -> x == PruneExecutor.Step.PACK_FILE_DELETED).count()).isGreaterThanOrEqualTo(3);

            for (int k = 0; k < steps.size(); k++) {
                int stopAt = k;
                Path dir = copy(base, "crash-" + k);
                try (Repository repo = open(f.fx, dir, Repository.LockMode.EXCLUSIVE)) {
                    PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
                    int[] calls = {0};
                    assertThatThrownBy(() -> PruneExecutor.run(repo, plan, null, step -> {
                        if (calls[0]++ == stopAt) {
                            throw new InjectedCrash(step);
                        }
                    })).as("step %d", k).isInstanceOf(InjectedCrash.class);
                }
                // as a new process would: open, every snapshot restores
                try (Repository repo = open(f.fx, dir, Repository.LockMode.SHARED)) {
                    f.checkEveryRemainingSnapshotRestores(repo);
                    // the index names no pack whose file is gone (and a file prune took out of the index is back in it)
                    assertThat(PruneFixture.packFiles(repo)).as("step %d", k).isEqualTo(PruneFixture.indexedPacks(repo));
                }
                try (Repository repo = open(f.fx, dir, Repository.LockMode.EXCLUSIVE)) {
                    PruneFixture.prune(repo);
                    f.checkPruneComplete(repo);
                    assertThat(PruneFixture.packFiles(repo)).as("step %d: the packs the plan deletes or repacks are gone", k)
                            .doesNotContainAnyElementsOf(doomed);
                }
                PruneFixture.deleteTree(dir);
            }
        }
    }

    private Path copy(Path base, String name) {
        Path dir = tmp.resolve(name);
        PruneFixture.copyTree(base, dir);
        return dir;
    }

    static Repository open(EngineFixture fx, Path dir, Repository.LockMode mode) {
        return Repository.open(dir, fx.vault, mode, Clock.systemUTC(), new SecureRandom());
    }
}
