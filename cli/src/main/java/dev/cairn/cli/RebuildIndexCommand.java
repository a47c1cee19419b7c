package dev.cairn.cli;

import dev.cairn.engine.rebuild.IndexRebuild;
import dev.cairn.engine.repo.Repository;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cairn repo rebuild-index}: throws the index away and rebuilds it from the pack footers
 * (docs/cli-verify.md). Takes the repository exclusively: it waits for running backups, restores and
 * verifications, and they wait for it. Exit 0 when every pack was indexed, 1 when some could not be (they
 * are named and left in place).
 */
@Command(name = "rebuild-index", mixinStandardHelpOptions = true,
        description = "Rebuild the index from the packs alone (after the index was lost or damaged).")
final class RebuildIndexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IndexRebuild.Result r;
        try (RepoOptions.Opened opened = options.open(Repository.LockMode.EXCLUSIVE)) {
            try (ProgressMeter meter = ProgressMeter.forTerminal(err, "rebuild-index", options.json)) {
                r = IndexRebuild.run(opened.repo(), (done, total) -> meter.update(done, 0, -1));
            }
        }
        if (options.json) {
            List<Object> skipped = new ArrayList<>();
            r.skipped().forEach(s -> skipped.add(Json.object("pack", s.pack(), "reason", s.reason())));
            out.println(Json.write(Json.object("complete", r.complete(), "packsIndexed", r.packsIndexed(), "blobs", r.blobs(),
                    "skipped", skipped)));
        } else {
            out.println("indexed " + r.packsIndexed() + " packs (" + r.blobs() + " blobs)");
            for (IndexRebuild.Skipped s : r.skipped()) {
                out.println("not indexed: pack " + s.pack() + ": " + s.reason());
            }
            if (!r.complete()) {
                boolean one = r.skipped().size() == 1;
                out.println(r.skipped().size() + (one ? " pack could not be read and was" : " packs could not be read and were")
                        + " left in place; `cairn verify --read-data` names the files " + (one ? "it holds" : "they hold"));
            }
        }
        return r.complete() ? 0 : 1;
    }
}
