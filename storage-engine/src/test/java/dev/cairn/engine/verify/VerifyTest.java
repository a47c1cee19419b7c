package dev.cairn.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.PackEntry;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.verify.VerifyReport.Finding;
import dev.cairn.engine.verify.VerifyReport.Hit;
import dev.cairn.engine.verify.VerifyReport.Kind;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Verification of a real repository, clean and with each kind of damage (issue 3, "Faults: each is a test"). */
class VerifyTest {
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

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    VerifyReport structure() {
        return Verify.run(sample.repo(), Verify.Options.structure());
    }

    VerifyReport readData() {
        return Verify.run(sample.repo(), Verify.Options.readAll());
    }

    long packBytesUnchecked() {
        try {
            return packBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    long packBytes() throws IOException {
        long total = 0;
        for (byte[] id : sample.packFiles()) {
            total += Files.size(sample.packFile(id));
        }
        return total;
    }

    @Test
    void aCleanRepositoryIsCleanAndEverythingIsCounted() throws IOException {
        int tenantNo = sample.repo().tenantNo(SampleRepo.TENANT);
        AtomicLong indexedTrees = new AtomicLong();
        AtomicLong indexedBlobs = new AtomicLong();
        sample.repo().index().forEachBlob(tenantNo, l -> {
            indexedBlobs.incrementAndGet();
            if (l.type() == BlobType.TREE) {
                indexedTrees.incrementAndGet();
            }
        });
        List<Long> progress = new ArrayList<>();

        VerifyReport s = structure();
        VerifyReport d = Verify.run(sample.repo(), new Verify.Options(true, null, null, (packs, bytes, total) -> {
            if (total >= 0) { // read-data; the structure part reports footers with an unknown total
                synchronized (progress) {
                    progress.add(bytes);
                    assertThat(total).isEqualTo(packBytesUnchecked());
                }
            }
        }));

        assertThat(s.findings()).isEmpty();
        assertThat(s.clean()).isTrue();
        assertThat(d.findings()).isEmpty();
        // nothing was forgotten, so every indexed blob is referenced by one of the two snapshots
        VerifyReport.Counts expected = new VerifyReport.Counts(2, indexedTrees.get(), indexedBlobs.get(), sample.packFiles().size(),
                0, 0);
        assertThat(s.counts()).isEqualTo(expected);
        assertThat(d.counts()).isEqualTo(new VerifyReport.Counts(2, indexedTrees.get(), indexedBlobs.get(), sample.packFiles().size(),
                sample.packFiles().size(), packBytes()));
        assertThat(progress).hasSize(sample.packFiles().size());
        assertThat(progress.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(packBytes());
    }

    @Test
    void aFlippedBitInOneBlobIsNamedWithItsPackSnapshotsAndFilesAndOnlyTheHitFilesAreLost() throws IOException {
        byte[] blob = sample.content(sample.s2, "dir/c.bin").get(3); // in c.bin, its copy e.bin and its hard link, in both snapshots
        RepoIndex.Location where = sample.locate(BlobType.DATA, blob);
        sample.flipBitIn(where);
        sample.reopen();

        VerifyReport s = structure();
        assertThat(s.findings()).as("the footer is intact; structure does not read data").isEmpty();
        assertThat(s.counts().bytesRead()).isZero();
        assertThat(s.counts().packsRead()).isZero();

        VerifyReport d = readData();
        List<String> hit = List.of(sample.shown("dir/c.bin"), sample.shown("dir/e.bin"), sample.shown("dir/hard.bin"));
        assertThat(d.findings()).containsExactly(new Finding(Kind.BLOB_CORRUPT, SampleRepo.TENANT, hex(where.packId()), hex(blob), "DATA",
                "blob " + where.index() + " does not authenticate (GCM tag)",
                List.of(new Hit(sample.s1.id(), hit, 0), new Hit(sample.s2.id(), hit, 0))));
        assertThat(d.clean()).isFalse();

        Path target = tmp.resolve("restore");
        Restore.Result r = sample.restore(sample.s2, target);
        assertThat(r.damaged()).isTrue();
        assertThat(r.skipped()).containsExactlyInAnyOrder(
                sample.shown("dir/c.bin") + " (damaged: blob " + hex(blob) + ")",
                sample.shown("dir/e.bin") + " (damaged: blob " + hex(blob) + ")",
                sample.shown("dir/hard.bin") + " (damaged: blob " + hex(blob) + ")");
        assertThat(sample.restoredListing(target)).containsExactlyElementsOf(
                sample.sourceListingWithout("dir/c.bin", "dir/e.bin", "dir/hard.bin"));
    }

    @Test
    void aTruncatedPackNamesExactlyTheBlobsPastTheCutAndTheRestStillRestores() throws IOException {
        byte[] pack = sample.dataOnlyPack();
        List<PackEntry> footer = sample.footer(pack);
        PackEntry first = footer.get(footer.size() / 2);
        long cut = first.offset() + 10;
        Set<String> lost = new HashSet<>();
        footer.stream().filter(e -> e.offset() + e.storedLength() > cut).forEach(e -> lost.add(hex(e.id())));
        try (FileChannel ch = FileChannel.open(sample.packFile(pack), StandardOpenOption.WRITE)) {
            ch.truncate(cut);
        }
        sample.reopen();

        for (VerifyReport report : List.of(structure(), readData())) {
            assertThat(report.of(Kind.PACK_TRUNCATED)).singleElement().satisfies(f -> {
                assertThat(f.pack()).isEqualTo(hex(pack));
                assertThat(f.blob()).isNull();
            });
            List<Finding> out = report.of(Kind.BLOB_OUT_OF_RANGE);
            assertThat(out).extracting(Finding::blob).containsExactlyInAnyOrderElementsOf(lost);
            assertThat(out).allSatisfy(f -> {
                assertThat(f.pack()).isEqualTo(hex(pack));
                assertThat(f.hits()).isNotEmpty();
            });
            assertThat(report.findings()).hasSize(1 + lost.size());
        }

        // restore loses exactly the files verify names for the snapshot, and nothing else
        VerifyReport report = structure();
        Set<String> namedForS2 = new HashSet<>();
        report.of(Kind.BLOB_OUT_OF_RANGE).forEach(f -> f.hits().stream().filter(h -> h.snapshot().equals(sample.s2.id()))
                .forEach(h -> namedForS2.addAll(h.paths())));
        assertThat(namedForS2).isNotEmpty();
        Path target = tmp.resolve("restore");
        Restore.Result r = sample.restore(sample.s2, target);
        assertThat(r.skipped()).allSatisfy(e -> assertThat(e).contains(Restore.DAMAGED));
        assertThat(r.skipped().stream().map(e -> e.substring(0, e.indexOf(Restore.DAMAGED)))).containsExactlyInAnyOrderElementsOf(namedForS2);
        String srcPrefix = sample.shown("") + "/";
        assertThat(sample.restoredListing(target)).containsExactlyElementsOf(sample.sourceListingWithout(
                namedForS2.stream().map(p -> p.substring(srcPrefix.length())).toArray(String[]::new)));
    }

    @Test
    void aMissingPackIsNamedWithEveryBlobItHeld() throws IOException {
        byte[] pack = sample.dataOnlyPack();
        List<PackEntry> footer = sample.footer(pack);
        Files.delete(sample.packFile(pack));
        sample.reopen();

        for (VerifyReport report : List.of(structure(), readData())) {
            List<Finding> missing = report.of(Kind.PACK_MISSING);
            assertThat(missing).filteredOn(f -> f.blob() == null).singleElement().satisfies(f -> assertThat(f.pack()).isEqualTo(hex(pack)));
            assertThat(missing).filteredOn(f -> f.blob() != null).extracting(Finding::blob)
                    .containsExactlyInAnyOrderElementsOf(footer.stream().map(e -> hex(e.id())).toList());
            assertThat(missing).filteredOn(f -> f.blob() != null).allSatisfy(f -> assertThat(f.hits()).isNotEmpty());
            assertThat(report.findings()).hasSize(1 + footer.size());
        }
        assertThat(readData().counts().packsRead()).isEqualTo(sample.packFiles().size());
    }

    @Test
    void aGarbledSnapshotIsNamedAndADeletedOneIsSimplyGone() throws IOException {
        Path file = sample.repo().snapshots().file(SampleRepo.TENANT, sample.s1.id());
        SampleRepo.flipBit(file, Files.size(file) - 20);

        VerifyReport report = readData();
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.SNAPSHOT_UNREADABLE);
            assertThat(f.tenant()).isEqualTo(SampleRepo.TENANT);
            assertThat(f.hits()).containsExactly(new Hit(sample.s1.id(), List.of(), 0));
        });
        assertThat(report.counts().snapshots()).isEqualTo(1);

        Files.delete(file);
        VerifyReport after = readData();
        assertThat(after.findings()).as("a deleted snapshot file leaves no trace to check; its data is unreferenced").isEmpty();
        assertThat(after.counts().snapshots()).isEqualTo(1);
    }

    @Test
    void aFlippedBitInATreeNamesTheDirectoryInEverySnapshotAndRestoreSkipsIt() throws IOException {
        byte[] tree = sample.treeOf(sample.s2, "dir");
        RepoIndex.Location where = sample.locate(BlobType.TREE, tree);
        sample.flipBitIn(where);
        sample.reopen();

        for (VerifyReport report : List.of(structure(), readData())) {
            assertThat(report.findings()).singleElement().satisfies(f -> {
                assertThat(f.kind()).isEqualTo(Kind.TREE_UNREADABLE);
                assertThat(f.blob()).isEqualTo(hex(tree));
                assertThat(f.blobType()).isEqualTo("TREE");
                assertThat(f.pack()).isEqualTo(hex(where.packId()));
                assertThat(f.hits()).containsExactly(new Hit(sample.s1.id(), List.of(sample.shown("dir")), 0),
                        new Hit(sample.s2.id(), List.of(sample.shown("dir")), 0));
            });
        }

        Path target = tmp.resolve("restore");
        Restore.Result r = sample.restore(sample.s2, target);
        assertThat(r.skipped()).containsExactly(sample.shown("dir") + " (damaged: tree " + hex(tree) + ")");
        assertThat(sample.restoredListing(target)).containsExactlyElementsOf(sample.sourceListingWithout("dir"));
    }

    @Test
    void aDeletedIndexOpensEmptyAndVerifyNamesWhatIsUnreachable() throws IOException {
        sample.repo().close();
        deleteTree(sample.fx.repoDir.resolve("index"));
        sample.fx.repo = sample.fx.open();
        for (int open = 0; open < 2; open++) { // the second open does not fill it silently either
            List<RepoIndex.Pack> indexed = new ArrayList<>();
            sample.repo().index().forEachPack(indexed::add);
            assertThat(indexed).isEmpty();
            assertThat(sample.repo().indexIncomplete()).isTrue();

            VerifyReport report = structure();
            assertThat(report.of(Kind.INDEX_INCOMPLETE)).hasSize(1);
            assertThat(report.of(Kind.PACK_NOT_INDEXED)).extracting(Finding::pack)
                    .containsExactlyInAnyOrderElementsOf(sample.packFiles().stream().map(VerifyTest::hex).toList());
            assertThat(report.of(Kind.BLOB_NOT_IN_INDEX)).extracting(Finding::blob)
                    .containsExactlyInAnyOrder(hex(sample.s1.tree()), hex(sample.s2.tree()));
            assertThat(report.of(Kind.BLOB_NOT_IN_INDEX)).extracting(Finding::hits).containsExactlyInAnyOrder(
                    List.of(new Hit(sample.s1.id(), List.of("/"), 0)), List.of(new Hit(sample.s2.id(), List.of("/"), 0)));
            assertThat(report.findings()).hasSize(1 + sample.packFiles().size() + 2);
            sample.reopen();
        }
    }

    @Test
    void verificationNeverWritesToTheRepository() throws IOException {
        sample.flipBitIn(sample.locate(BlobType.DATA, sample.content(sample.s1, "a.bin").get(2)));
        Files.delete(sample.packFile(sample.dataOnlyPack()));
        sample.reopen();
        List<String> before = listing(sample.fx.repoDir);

        assertThat(structure().clean()).isFalse();
        assertThat(readData().clean()).isFalse();

        assertThat(listing(sample.fx.repoDir)).containsExactlyElementsOf(before);
    }

    @Test
    void subsetsPartitionThePacks() throws IOException {
        byte[] blob = sample.content(sample.s1, "notes.txt").getFirst();
        RepoIndex.Location where = sample.locate(BlobType.DATA, blob);
        sample.flipBitIn(where);
        sample.reopen();

        long packs = 0;
        long bytes = 0;
        int reported = 0;
        for (int n = 1; n <= 3; n++) {
            Subset subset = new Subset(n, 3);
            VerifyReport r = Verify.run(sample.repo(), new Verify.Options(true, subset, null, null));
            long expected = sample.packFiles().stream().filter(id -> ((id[0] & 0xff) << 8 | (id[1] & 0xff)) % 3 == subset.n() - 1).count();
            assertThat(r.counts().packsRead()).as("subset %s", subset).isEqualTo(expected);
            packs += r.counts().packsRead();
            bytes += r.counts().bytesRead();
            if (subset.contains(where.packId())) {
                assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.blob()).isEqualTo(hex(blob)));
                reported++;
            } else {
                assertThat(r.findings()).as("subset %s does not read the damaged pack", subset).isEmpty();
            }
        }
        assertThat(reported).isEqualTo(1);
        assertThat(packs).isEqualTo(sample.packFiles().size());
        assertThat(bytes).isEqualTo(packBytes());
    }

    @Test
    void subsetsAreParsedAndChecked() {
        assertThat(Subset.parse("2/7")).isEqualTo(new Subset(2, 7));
        assertThat(new Subset(1, 1).contains(new byte[] {(byte) 0xff, (byte) 0xff})).isTrue();
        assertThat(new Subset(65536, 65536).contains(new byte[] {(byte) 0xff, (byte) 0xff})).isTrue();
        assertThat(new Subset(1, 65536).contains(new byte[] {0, 0})).isTrue();
        assertThat(new Subset(2, 65536).contains(new byte[] {0, 0})).isFalse();
        for (String bad : List.of("0/3", "4/3", "1/0", "1/65537", "1", "a/b", "-1/3")) {
            assertThatThrownBy(() -> Subset.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anUnknownTenantIsRefused() {
        assertThatThrownBy(() -> Verify.run(sample.repo(), new Verify.Options(false, null, "clinic-zz", null)))
                .hasMessageContaining("clinic-zz");
        assertThat(Verify.run(sample.repo(), new Verify.Options(true, null, SampleRepo.TENANT, null)).clean()).isTrue();
    }

    /** Every file and directory under {@code dir}: path, size, mtime in ns. */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<String> out = new ArrayList<>();
            for (Path p : s.sorted().toList()) {
                var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                out.add(dir.relativize(p) + " " + (attrs.isDirectory() ? "dir" : attrs.size()) + " "
                        + attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS));
            }
            return out;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
