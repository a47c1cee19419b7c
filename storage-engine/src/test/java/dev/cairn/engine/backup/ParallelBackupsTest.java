package dev.cairn.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.engine.testing.TreeListing;
import dev.cairn.engine.verify.Verify;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backups of different sources run in parallel on one open repository (the locking table in Repository). */
class ParallelBackupsTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    @Test
    void threeBackupsAtOnceEachRestoreExactlyAndTheRepositoryVerifiesClean() throws Exception {
        List<Path> sources = List.of(tmp.resolve("ehr"), tmp.resolve("pacs"), tmp.resolve("office"));
        Random r = new Random(11);
        byte[] shared = new byte[2 << 20];
        r.nextBytes(shared);
        for (Path s : sources) {
            Files.createDirectories(s.resolve("sub"));
            for (int i = 0; i < 20; i++) {
                byte[] b = new byte[r.nextInt(3 << 20)];
                r.nextBytes(b);
                Files.write(s.resolve("sub/f" + i), b);
            }
            Files.write(s.resolve("common.bin"), shared); // the same data in all three: stored once
        }
        try (EngineFixture fx = new EngineFixture(HSM.token(), tmp.resolve("repo"), "clinic-a")) {
            List<CompletableFuture<Snapshot>> running = sources.stream().map(s -> CompletableFuture.supplyAsync(() ->
                    Backup.run(fx.repo, new Backup.Options("clinic-a", List.of(s), Set.of(), "test", "auto", null)))).toList();
            List<Snapshot> snaps = running.stream().map(CompletableFuture::join).toList();
            assertThat(snaps).allSatisfy(s -> assertThat(s.summary().errors()).isZero());
            assertThat(Verify.run(fx.repo, Verify.Options.readAll()).findings()).isEmpty();
            for (int i = 0; i < sources.size(); i++) {
                Path target = tmp.resolve("restore-" + i);
                Restore.run(fx.repo, new Restore.Options("clinic-a", snaps.get(i).id(), target, List.of(), false, null));
                assertThat(TreeListing.of(target.resolve(sources.get(i).toString().substring(1))))
                        .containsExactlyElementsOf(TreeListing.of(sources.get(i)));
            }
        }
    }
}
