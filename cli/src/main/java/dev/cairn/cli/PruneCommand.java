package dev.cairn.cli;

import dev.cairn.engine.prune.PruneExecutor;
import dev.cairn.engine.prune.PruneOptions;
import dev.cairn.engine.prune.PrunePlan;
import dev.cairn.engine.prune.PrunePlanner;
import dev.cairn.engine.prune.PruneState;
import dev.cairn.engine.repo.Repository;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn prune --repo R --hsm H [--dry-run] [--max-unused PERCENT] [--json]}: garbage collection
 * (docs/cli-prune.md). Opens the repository exclusively (backups, restores and verify wait), reads what
 * every snapshot uses, prints the plan, and carries it out unless {@code --dry-run}. Exit codes: 0 done (or
 * nothing to do), 1 the plan was refused (unreadable snapshots; the problems are printed) or some pack
 * files could not be deleted, 2 bad usage.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Delete packs no snapshot uses and repack sparse ones; prints the plan first.")
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Option(names = "--dry-run", description = "print the plan, pack by pack, and change nothing")
    boolean dryRun;

    @Option(names = "--max-unused", paramLabel = "PERCENT", defaultValue = "" + PruneOptions.DEFAULT_MAX_UNUSED,
            description = "repack a pack when more than PERCENT of its bytes are unused, 0 to 100 (default: ${DEFAULT-VALUE})")
    int maxUnused;

    @Override
    public Integer call() {
        if (maxUnused < 0 || maxUnused > 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-unused is a percentage, 0 to 100 (100 repacks nothing)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RepoOptions.Opened opened = options.open(Repository.LockMode.EXCLUSIVE)) {
            Repository repo = opened.repo();
            PrunePlan plan;
            try (ProgressMeter m = ProgressMeter.forTerminal(err, "prune: reading snapshots, trees read:", options.json)) {
                plan = PrunePlanner.plan(PruneState.read(repo, (snapshots, trees) -> m.update(trees, 0, -1)),
                        new PruneOptions(maxUnused));
            }
            if (plan.refused() || dryRun || plan.isEmpty()) {
                print(out, plan, null);
                return plan.refused() ? 1 : 0;
            }
            if (!options.json) {
                plan.summaryLines().forEach(out::println);
                out.flush();
            }
            PruneExecutor.Result r;
            try (ProgressMeter m = ProgressMeter.forTerminal(err, "prune: packs", options.json)) {
                r = PruneExecutor.run(repo, plan, (step, done, total, bytes) -> m.update(done, bytes, -1));
            }
            print(out, plan, r);
            return r.notDeleted().isEmpty() ? 0 : 1;
        }
    }

    private void print(PrintWriter out, PrunePlan plan, PruneExecutor.Result r) {
        if (options.json) {
            out.println(Json.write(Json.object("dryRun", dryRun, "plan", plan.toJson(), "result", r == null ? null : resultJson(r))));
            return;
        }
        if (r == null) {
            (dryRun ? plan.lines() : plan.summaryLines()).forEach(out::println);
            if (dryRun && !plan.refused() && !plan.isEmpty()) {
                out.println("dry run: nothing was changed");
            }
            return;
        }
        out.println("pruned: " + r.packsDeleted() + " pack(s) deleted (" + r.packsRepacked() + " of them repacked, "
                + r.blobsCopied() + " blob(s) copied into new packs); " + ProgressMeter.size(r.bytesDeleted()) + " deleted, "
                + ProgressMeter.size(r.bytesWritten()) + " written");
        if (!r.notDeleted().isEmpty()) {
            out.println(r.notDeleted().size() + " pack file(s) are out of the index but could not be deleted; "
                    + "the next prune tries again:");
            r.notDeleted().forEach(l -> out.println("  " + l));
        }
    }

    private static Map<String, Object> resultJson(PruneExecutor.Result r) {
        return Json.object("packsDeleted", r.packsDeleted(), "packsRepacked", r.packsRepacked(), "blobsCopied", r.blobsCopied(),
                "bytesDeleted", r.bytesDeleted(), "bytesWritten", r.bytesWritten(), "notDeleted", r.notDeleted());
    }
}
