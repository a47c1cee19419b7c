package dev.cairn.engine.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.PackEntry;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.verify.SampleRepo;
import dev.cairn.engine.verify.Verify;
import dev.cairn.engine.verify.VerifyReport;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** rebuild-index on a real repository: after a deleted index, and with a pack whose footer is damaged. */
class IndexRebuildTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    SampleRepo sample;

    @BeforeEach
    void backUpTwice() throws IOException {
        sample = new SampleRepo(HSM.token(), tmp);
    }

    @AfterEach
    void close() {
        sample.close();
    }

    Repository openExclusive() {
        sample.repo().close();
        sample.fx.repo = Repository.open(sample.fx.repoDir, sample.fx.vault, Repository.LockMode.EXCLUSIVE, Clock.systemUTC(),
                new SecureRandom());
        return sample.fx.repo;
    }

    long footerEntries(List<byte[]> packs) {
        return packs.stream().mapToLong(id -> sample.footer(id).size()).sum();
    }

    List<String> indexedBlobs() {
        List<String> out = new ArrayList<>();
        sample.repo().index().forEachBlob(sample.repo().tenantNo(SampleRepo.TENANT), l -> out.add(l.type() + " " +
                HexFormat.of().formatHex(l.id()) + " " + HexFormat.of().formatHex(l.packId()) + " " + l.offset() + " " + l.index()));
        return out;
    }

    @Test
    void aDeletedIndexIsRebuiltFromThePacksAndEverythingVerifiesAndRestores() throws IOException {
        List<String> before = indexedBlobs();
        long blobs = footerEntries(sample.packFiles());
        sample.repo().close();
        try (Stream<Path> s = Files.walk(sample.fx.repoDir.resolve("index"))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        sample.fx.repo = sample.fx.open();
        assertThat(Verify.run(sample.repo(), Verify.Options.structure()).clean()).isFalse();

        List<Long> progress = new ArrayList<>();
        IndexRebuild.Result r = IndexRebuild.run(openExclusive(), (done, total) -> progress.add(done * 1000 + total));

        int packs = sample.packFiles().size();
        assertThat(r).isEqualTo(new IndexRebuild.Result(packs, blobs, List.of()));
        assertThat(r.complete()).isTrue();
        assertThat(progress).hasSize(packs).last().isEqualTo(packs * 1000L + packs);
        assertThat(sample.repo().indexIncomplete()).isFalse();
        assertThat(Files.exists(sample.fx.repoDir.resolve(Repository.INDEX_INCOMPLETE))).isFalse();
        assertThat(indexedBlobs()).containsExactlyInAnyOrderElementsOf(before);

        sample.reopen();
        VerifyReport report = Verify.run(sample.repo(), Verify.Options.readAll());
        assertThat(report.findings()).isEmpty();
        assertThat(report.counts().packsRead()).isEqualTo(packs);
        Path target = tmp.resolve("restore");
        Restore.Result restored = sample.restore(sample.s2, target);
        assertThat(restored.skipped()).isEmpty();
        assertThat(sample.restoredListing(target)).containsExactlyElementsOf(sample.sourceListingWithout());
    }

    @Test
    void aPackWhoseFooterCannotBeReadIsReportedAndLeftInPlace() throws IOException {
        byte[] bad = sample.dataOnlyPack();
        List<PackEntry> lost = sample.footer(bad);
        Path badFile = sample.packFile(bad);
        long size = Files.size(badFile);
        SampleRepo.flipBit(badFile, size - 12 - 20); // inside the sealed footer
        List<byte[]> good = sample.packFiles().stream().filter(id -> !java.util.Arrays.equals(id, bad)).toList();

        IndexRebuild.Result r = IndexRebuild.run(openExclusive(), null);

        assertThat(r.packsIndexed()).isEqualTo(good.size());
        assertThat(r.blobs()).isEqualTo(footerEntries(good));
        assertThat(r.skipped()).singleElement().satisfies(s -> {
            assertThat(s.pack()).isEqualTo(HexFormat.of().formatHex(bad));
            assertThat(s.reason()).contains("footer does not authenticate");
        });
        assertThat(r.complete()).isFalse();
        assertThat(badFile).exists().hasSize(size);
        RepoIndex index = sample.repo().index();
        assertThat(index.pack(bad)).isNull();

        // verify names the pack and every blob of it that the snapshots lose
        sample.reopen();
        VerifyReport report = Verify.run(sample.repo(), Verify.Options.readAll());
        assertThat(report.of(VerifyReport.Kind.PACK_NOT_INDEXED)).singleElement()
                .satisfies(f -> assertThat(f.pack()).isEqualTo(HexFormat.of().formatHex(bad)));
        assertThat(report.of(VerifyReport.Kind.BLOB_NOT_IN_INDEX)).extracting(VerifyReport.Finding::blob)
                .containsExactlyInAnyOrderElementsOf(lost.stream().map(e -> HexFormat.of().formatHex(e.id())).toList());
        assertThat(report.findings()).hasSize(1 + lost.size());
    }
}
