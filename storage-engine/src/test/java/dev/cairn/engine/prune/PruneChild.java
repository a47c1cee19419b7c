package dev.cairn.engine.prune;

import dev.cairn.engine.repo.Repository;
import dev.cairn.hsm.Pkcs11KeyVault;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * A prune in a process of its own, for {@link PruneKillTest}: {@code PruneChild HSM_CONF REPO}. Prints
 * {@code ready} once the repository is open (exclusively), {@code planned} when the executor starts, then
 * {@code done} when the prune completed; each
 * step it reaches goes to stderr with the milliseconds since {@code ready}, so a test can say where a kill landed.
 */
public final class PruneChild {
    private PruneChild() {
    }

    public static void main(String[] args) {
        try (Pkcs11KeyVault vault = Pkcs11KeyVault.open(Path.of(args[0]));
             Repository repo = Repository.open(Path.of(args[1]), vault, Repository.LockMode.EXCLUSIVE, Clock.systemUTC(),
                     new SecureRandom())) {
            System.out.println("ready");
            System.out.flush();
            long start = System.nanoTime();
            PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            System.err.println("planned at " + (System.nanoTime() - start) / 1_000_000 + " ms");
            System.out.println("planned");
            System.out.flush();
            PruneExecutor.Result r = PruneExecutor.run(repo, plan, (step, done, total, bytes) ->
                    System.err.println(step + " " + done + "/" + total + " at " + (System.nanoTime() - start) / 1_000_000 + " ms"));
            System.out.println("done " + r.packsDeleted() + " packs deleted, " + r.packsRepacked() + " repacked");
            System.out.flush();
        }
        System.exit(0);
    }
}
