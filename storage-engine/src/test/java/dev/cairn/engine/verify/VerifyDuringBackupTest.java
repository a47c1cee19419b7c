package dev.cairn.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verify shares the repository with a backup running in another thread of the same process (locking table). */
class VerifyDuringBackupTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    @Test
    void verifyDuringABackupFindsNothing() throws Exception {
        try (SampleRepo sample = new SampleRepo(HSM.token(), tmp)) {
            Path other = tmp.resolve("other");
            for (int i = 0; i < 40; i++) {
                Files.createDirectories(other.resolve("d" + i % 4));
                Files.write(other.resolve("d" + i % 4).resolve("f" + i + ".bin"), SampleRepo.random(256 << 10, 100 + i));
            }
            int packsBefore = sample.packFiles().size();
            var thread = Executors.newSingleThreadExecutor();
            try {
                CompletableFuture<Snapshot> backup = CompletableFuture.supplyAsync(() -> Backup.run(sample.repo(),
                        new Backup.Options(SampleRepo.TENANT, List.of(other), Set.of(), "test", "auto", null)), thread);
                List<VerifyReport> during = new ArrayList<>();
                int overlapping = 0;
                do {
                    boolean running = !backup.isDone();
                    during.add(Verify.run(sample.repo(), Verify.Options.readAll()));
                    if (running && !backup.isDone()) {
                        overlapping++;
                    }
                } while (!backup.isDone());
                Snapshot s3 = backup.join();

                assertThat(overlapping).as("verifications that started and ended while the backup ran").isPositive();
                assertThat(during).allSatisfy(r -> assertThat(r.findings()).isEmpty());
                assertThat(sample.packFiles().size()).as("the backup wrote packs meanwhile").isGreaterThan(packsBefore + 5);
                VerifyReport after = Verify.run(sample.repo(), Verify.Options.readAll());
                assertThat(after.findings()).isEmpty();
                assertThat(after.counts().snapshots()).isEqualTo(3);
                assertThat(s3.summary().errors()).isZero();
            } finally {
                thread.shutdownNow();
            }
        }
    }
}
