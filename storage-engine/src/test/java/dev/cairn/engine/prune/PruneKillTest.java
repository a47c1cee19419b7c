package dev.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kill -9: prune runs in a child JVM and is killed at a random moment, five times, each time with
 * new garbage (one more snapshot forgotten). After each kill the repository opens and every remaining
 * snapshot restores byte-identical; at the end one prune finishes the job and leaves no unused pack.
 *
 * <p>The reading and planning phase only reads, so the kills aim at the execution: once the child says it
 * has planned, the moment is uniform over the time executing the same plan took in a child (measured
 * just before, on a copy of the repository), drawn from a seed printed in the test output (system property
 * {@code cairn.test.seed} replays it). Where each kill lands depends on the machine, so the test prints
 * it (the child reports every step on stderr) but does not assert it.
 */
class PruneKillTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    @Test
    void pruneKilledAtRandomMomentsNeverLosesASnapshotAndTheNextPruneFinishes() throws Exception {
        long seed = Long.getLong("cairn.test.seed", new Random().nextLong());
        System.out.println("PruneKillTest seed " + seed);
        Random random = new Random(seed);
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            // six generations: each adds 30 files and keeps a third of the previous generation's
            List<Snapshot> snaps = new ArrayList<>();
            String[] gens = {"a", "b", "c", "d", "e", "f"};
            for (int g = 0; g < gens.length; g++) {
                if (g > 0) {
                    f.deleteFiles(gens[g - 1], 30, i -> i % 3 == 0);
                }
                f.addFiles(gens[g], 30);
                snaps.add(f.backup());
            }
            f.fx.repo.close();
            f.fx.repo = null;
            Path hsmConf = HSM.token().hsmConfForNewProcess();

            int landed = 0;
            for (int round = 0; round < 5; round++) {
                try (Repository repo = PruneFixture.openExclusive(f.fx)) {
                    f.fx.repo = repo;
                    f.forget(snaps.get(round).id());
                } finally {
                    f.fx.repo = null;
                }
                long span = timeOneCompletePrune(hsmConf, f.fx.repoDir);
                Process child = start(hsmConf, f.fx.repoDir, tmp.resolve("child-" + round + ".err"));
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                    CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readLine(out));
                    String first = ready.get(120, TimeUnit.SECONDS);
                    assertThat(first).as("child output; stderr in %s", tmp.resolve("child-" + round + ".err")).isEqualTo("ready");
                    assertThat(CompletableFuture.supplyAsync(() -> readLine(out)).get(300, TimeUnit.SECONDS)).isEqualTo("planned");
                    CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> readLine(out));
                    Thread.sleep(random.nextLong(span + 1));
                    child.destroyForcibly(); // SIGKILL on Linux
                    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    String last = rest.get(60, TimeUnit.SECONDS);
                    List<String> steps = Files.readAllLines(tmp.resolve("child-" + round + ".err"));
                    System.out.println("PruneKillTest round " + round + ": executing takes " + span + " ms; killed after "
                            + (steps.isEmpty() ? "(nothing)" : steps.getLast()));
                    if (last == null) {
                        landed++;
                    } else {
                        assertThat(last).as("stderr: %s", Files.readString(tmp.resolve("child-" + round + ".err"))).startsWith("done");
                    }
                } finally {
                    child.destroyForcibly(); // never leave a child behind when an assertion failed
                }
                try (Repository repo = f.fx.open()) {
                    f.checkEveryRemainingSnapshotRestores(repo);
                    assertThat(PruneFixture.packFiles(repo)).isEqualTo(PruneFixture.indexedPacks(repo));
                }
            }
            System.out.println("PruneKillTest: " + landed + " of 5 kills landed before the prune completed");
            try (Repository repo = PruneFixture.openExclusive(f.fx)) {
                PruneFixture.prune(repo);
                f.checkPruneComplete(repo);
                assertThat(repo.snapshots().ids(PruneFixture.TENANT)).containsExactly(snaps.getLast().id());
            }
        }
    }

    /** On a copy of the repository: milliseconds from the child's "planned" to its "done", so the kills can cover the whole execution. */
    private long timeOneCompletePrune(Path hsmConf, Path repoDir) throws Exception {
        Path copy = tmp.resolve("calibration");
        PruneFixture.copyTree(repoDir, copy);
        Process child = start(hsmConf, copy, tmp.resolve("calibration.err"));
        try {
            return timeToDone(child, copy);
        } finally {
            child.destroyForcibly();
        }
    }

    private long timeToDone(Process child, Path copy) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(CompletableFuture.supplyAsync(() -> readLine(out)).get(120, TimeUnit.SECONDS)).isEqualTo("ready");
        assertThat(CompletableFuture.supplyAsync(() -> readLine(out)).get(300, TimeUnit.SECONDS)).isEqualTo("planned");
        long start = System.nanoTime();
        String done = CompletableFuture.supplyAsync(() -> readLine(out)).get(300, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(done).as("stderr: %s", Files.readString(tmp.resolve("calibration.err"))).startsWith("done");
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        PruneFixture.deleteTree(copy);
        return ms;
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The JDK running this test, this test's class path, {@link PruneChild}. */
    private static Process start(Path hsmConf, Path repo, Path err) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), PruneChild.class.getName(), hsmConf.toString(), repo.toString());
        pb.redirectError(err.toFile());
        return pb.start();
    }
}
