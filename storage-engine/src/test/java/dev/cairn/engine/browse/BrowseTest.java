package dev.cairn.engine.browse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.fs.Dir;
import dev.cairn.engine.fs.NativeName;
import dev.cairn.engine.fs.OpenFile;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.engine.tree.Node;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ls, diff and find against a real repository (SoftHSM2 token, RocksDB index, packs on disk): two backups
 * of a tree with a name that is not UTF-8, between which files are added, removed, rewritten, re-moded,
 * touched, given an xattr and turned from a file into a directory.
 */
class BrowseTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();
    static final String TENANT = "clinic-a";
    static final byte[] ODD = {'s', 'c', 'a', 'n', (byte) 0xff, '.', 'd', 'c', 'm'};
    static final int MANY_DIRS = 40;

    @TempDir
    static Path tmp;
    static EngineFixture fx;
    static Path src;
    static Snapshot first;
    static Snapshot second;

    @BeforeAll
    static void twoBackups() throws Exception {
        src = tmp.resolve("src");
        write(src.resolve("notes.txt"), "notes\n".getBytes());
        write(src.resolve("db/clinic.sql"), random(200_000, 1));
        write(src.resolve("db/old.sql"), random(1000, 2));
        write(src.resolve("gone/a.txt"), "a".getBytes());
        write(src.resolve("gone/deeper/b.txt"), "b".getBytes());
        write(src.resolve("mode.txt"), "m".getBytes());
        write(src.resolve("touched.txt"), "t".getBytes());
        write(src.resolve("xattr.txt"), "x".getBytes());
        write(src.resolve("becomes-dir"), "f".getBytes());
        write(src.resolve("same-size.bin"), random(4096, 3));
        for (int i = 0; i < MANY_DIRS; i++) {
            write(src.resolve("many/d" + i + "/f.sql"), ("row " + i).getBytes());
        }
        Files.createSymbolicLink(src.resolve("link"), Path.of("notes.txt"));
        try (Dir d = Dir.open(src); OpenFile f = d.create(NativeName.of(ODD), 0640)) {
            f.write(0, "dicom".getBytes(), 0, 5);
        }
        fx = new EngineFixture(HSM.token(), tmp.resolve("repo"), TENANT);
        first = backup();

        Files.writeString(src.resolve("new.txt"), "new");
        Files.delete(src.resolve("db/old.sql"));
        Files.walk(src.resolve("gone")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.setPosixFilePermissions(src.resolve("mode.txt"), PosixFilePermissions.fromString("rwx------"));
        Files.setLastModifiedTime(src.resolve("touched.txt"), FileTime.from(Instant.parse("2021-01-01T00:00:00Z")));
        run("setfattr", "-n", "user.clinic", "-v", "0x01", src.resolve("xattr.txt").toString());
        Files.delete(src.resolve("becomes-dir"));
        write(src.resolve("becomes-dir/inside.txt"), "i".getBytes());
        byte[] same = Files.readAllBytes(src.resolve("same-size.bin"));
        same[100] ^= 1;
        Files.write(src.resolve("same-size.bin"), same);
        Files.writeString(src.resolve("many/d7/f.sql"), "row 7 changed");
        second = backup();
    }

    @AfterAll
    static void close() {
        if (fx != null) {
            fx.close();
        }
    }

    static Snapshot backup() {
        return Backup.run(fx.repo, new Backup.Options(TENANT, List.of(src), Set.of(), "test", "auto", null));
    }

    static void write(Path p, byte[] data) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }

    /** The source directory's path inside a snapshot, as typed. */
    static String in(String rel) {
        return src + (rel.isEmpty() ? "" : "/" + rel);
    }

    // ------------------------------------------------------------------ ls

    @Test
    void lsOfTheRootShowsTheFirstDirectoryOfTheBackedUpPath() {
        List<Listing.Entry> root = Listing.list(fx.repo, TENANT, first, null, false);
        assertThat(root).extracting(Listing.Entry::displayPath).containsExactly("/" + src.getName(0));
        assertThat(root.getFirst().node().type()).isEqualTo(Node.Type.DIRECTORY);
    }

    @Test
    void lsOfADirectoryListsItsEntriesWithMetadataInNameByteOrder() throws Exception {
        List<Listing.Entry> top = Listing.list(fx.repo, TENANT, first, in(""), false);
        List<String> names = top.stream().map(e -> e.displayPath().substring(src.toString().length() + 1)).toList();
        assertThat(names).containsExactly("becomes-dir", "db", "gone", "link", "many", "mode.txt", "notes.txt", "same-size.bin",
                "scan\\xff.dcm", "touched.txt", "xattr.txt");
        Node notes = top.stream().filter(e -> e.displayPath().endsWith("/notes.txt")).findFirst().orElseThrow().node();
        assertThat(notes.type()).isEqualTo(Node.Type.FILE);
        assertThat(notes.size()).isEqualTo(6);
        assertThat(notes.mode()).isEqualTo(Files.getAttribute(src.resolve("notes.txt"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                instanceof Integer m ? m & 07777 : -1);
        assertThat(notes.uid()).isEqualTo(Files.getAttribute(src.resolve("notes.txt"), "unix:uid"));
        Node link = top.stream().filter(e -> e.displayPath().endsWith("/link")).findFirst().orElseThrow().node();
        assertThat(new String(link.linkTarget(), StandardCharsets.UTF_8)).isEqualTo("notes.txt");
    }

    @Test
    void lsRecursiveListsEverythingBelowDepthFirst() {
        List<String> all = Listing.list(fx.repo, TENANT, first, in("gone"), true).stream().map(Listing.Entry::displayPath).toList();
        assertThat(all).containsExactly(in("gone/a.txt"), in("gone/deeper"), in("gone/deeper/b.txt"));
        assertThat(Listing.list(fx.repo, TENANT, first, in("many"), true)).hasSize(MANY_DIRS * 2);
        long total = Listing.walk(fx.repo, TENANT, first, null, true, e -> { });
        assertThat(total).isGreaterThan(MANY_DIRS * 2 + 10);
    }

    @Test
    void lsOfAFileIsThatEntryAndANameThatIsNotUtf8IsReachedThroughItsEscapes() {
        assertThat(Listing.list(fx.repo, TENANT, first, in("db/clinic.sql"), true)).singleElement()
                .satisfies(e -> assertThat(e.node().size()).isEqualTo(200_000));
        Listing.Entry odd = Listing.list(fx.repo, TENANT, first, in("scan\\xff.dcm"), false).getFirst();
        assertThat(odd.node().name()).containsExactly(ODD);
        assertThat(odd.path().bytes()).endsWith(ODD);
        assertThat(odd.displayPath()).isEqualTo(in("scan\\xff.dcm"));
    }

    @Test
    void aMissingPathFailsWithoutNamingIt() {
        assertThatThrownBy(() -> Listing.list(fx.repo, TENANT, first, in("db/patient-smith.sql"), false))
                .isInstanceOf(PathNotFoundException.class)
                .hasMessageNotContaining("smith")
                .hasMessageContaining("component " + (src.getNameCount() + 2) + " of " + (src.getNameCount() + 2))
                .hasMessageContaining(first.shortId());
        assertThatThrownBy(() -> Listing.list(fx.repo, TENANT, first, in("notes.txt/x"), false))
                .isInstanceOf(PathNotFoundException.class).hasMessageContaining("is not a directory");
    }

    @Test
    void snapshotsAreListedOldestFirst() {
        assertThat(Listing.snapshots(fx.repo, TENANT)).extracting(Snapshot::id).containsExactly(first.id(), second.id());
    }

    // ------------------------------------------------------------------ diff

    @Test
    void diffSaysWhatWasAddedRemovedAndWhetherContentOrMetadataChanged() {
        Map<String, String> changes = new TreeMap<>();
        for (SnapshotDiff.Change c : SnapshotDiff.changes(fx.repo, TENANT, first, second)) {
            if (c.displayPath().startsWith(in("") + "/")) {
                String rel = c.displayPath().substring(in("").length() + 1);
                changes.put(rel, c.kind() + (c.kind() == SnapshotDiff.Kind.MODIFIED ? " content=" + c.content() + " " + c.metadata() : ""));
            }
        }
        assertThat(changes.keySet()).containsExactlyInAnyOrder("new.txt", "db", "db/old.sql", "gone", "gone/a.txt", "gone/deeper",
                "gone/deeper/b.txt", "mode.txt", "touched.txt", "xattr.txt", "becomes-dir", "becomes-dir/inside.txt",
                "same-size.bin", "many/d7/f.sql");
        assertThat(changes).containsEntry("new.txt", "ADDED").containsEntry("becomes-dir/inside.txt", "ADDED")
                .containsEntry("db/old.sql", "REMOVED").containsEntry("gone", "REMOVED").containsEntry("gone/deeper/b.txt", "REMOVED")
                .containsEntry("db", "MODIFIED content=false [mtime]")
                .containsEntry("mode.txt", "MODIFIED content=false [mode]")
                .containsEntry("touched.txt", "MODIFIED content=false [mtime]")
                .containsEntry("xattr.txt", "MODIFIED content=false [xattrs]");
        assertThat(changes.get("becomes-dir")).startsWith("MODIFIED content=true [type");
        assertThat(changes.get("same-size.bin")).startsWith("MODIFIED content=true");
        assertThat(changes.get("many/d7/f.sql")).startsWith("MODIFIED content=true");
        // "many" and "many/d7" did not change themselves (a rewrite in place keeps a directory's mtime), and
        // unchanged entries are not reported
    }

    @Test
    void diffReadsOnlyTheSubtreesThatDiffer() {
        SnapshotDiff.Stats stats = SnapshotDiff.run(fx.repo, TENANT, first, second, c -> { });
        // both sides read the chain from / to src, src itself, and below it only changed directories:
        // db, many, many/d7 (both sides), gone and gone/deeper (removed), becomes-dir (added). Not the
        // other MANY_DIRS - 1 directories under many/.
        int chain = src.getNameCount();
        long expected = 2L * (chain + 1) + 2 * 3 + 2 + 1;
        assertThat(stats.treesRead()).isEqualTo(expected);
        assertThat(stats.treesRead()).isLessThan(MANY_DIRS);
        assertThat(SnapshotDiff.run(fx.repo, TENANT, first, first, c -> { }))
                .isEqualTo(new SnapshotDiff.Stats(0, 0, 0, 0));
    }

    @Test
    void theReverseDiffSwapsAddedAndRemoved() {
        List<SnapshotDiff.Change> forward = SnapshotDiff.changes(fx.repo, TENANT, first, second);
        List<SnapshotDiff.Change> back = SnapshotDiff.changes(fx.repo, TENANT, second, first);
        assertThat(back).hasSameSizeAs(forward);
        Map<String, SnapshotDiff.Kind> f = forward.stream().collect(Collectors.toMap(SnapshotDiff.Change::displayPath, SnapshotDiff.Change::kind));
        for (SnapshotDiff.Change c : back) {
            SnapshotDiff.Kind expected = switch (f.get(c.displayPath())) {
                case ADDED -> SnapshotDiff.Kind.REMOVED;
                case REMOVED -> SnapshotDiff.Kind.ADDED;
                case MODIFIED -> SnapshotDiff.Kind.MODIFIED;
            };
            assertThat(c.kind()).as(c.displayPath()).isEqualTo(expected);
        }
    }

    // ------------------------------------------------------------------ find

    @Test
    void findANameGlobAcrossSnapshotsListsEachSnapshotsHits() {
        List<Find.Match> hits = Find.matches(fx.repo, TENANT, List.of(first, second), "*.sql");
        Map<String, List<String>> bySnapshot = new TreeMap<>();
        for (Find.Match m : hits) {
            bySnapshot.computeIfAbsent(m.snapshot().id(), k -> new ArrayList<>()).add(m.displayPath().substring(in("").length() + 1));
        }
        assertThat(bySnapshot.get(first.id())).hasSize(2 + MANY_DIRS).contains("db/clinic.sql", "db/old.sql", "many/d0/f.sql");
        assertThat(bySnapshot.get(second.id())).hasSize(1 + MANY_DIRS).contains("db/clinic.sql").doesNotContain("db/old.sql");
        Find.Match changed = hits.stream().filter(m -> m.snapshot() == second && m.displayPath().endsWith("/many/d7/f.sql"))
                .findFirst().orElseThrow();
        assertThat(changed.node().size()).isEqualTo("row 7 changed".length());
        assertThat(hits.getFirst().snapshot().id()).as("oldest snapshot first").isEqualTo(first.id());
    }

    @Test
    void findRemembersSearchedSubtreesSoUnchangedDirectoriesAreReadOnce() {
        long once = Find.run(fx.repo, TENANT, List.of(first), "*.sql", m -> { });
        long twice = Find.run(fx.repo, TENANT, List.of(first, first), "*.sql", m -> { });
        assertThat(twice).isEqualTo(once);
        long both = Find.run(fx.repo, TENANT, List.of(first, second), "*.sql", m -> { });
        assertThat(both).isLessThan(2 * once);
    }

    @Test
    void findAPathWithGlobComponentsAndANameThatIsNotUtf8() {
        List<Find.Match> hits = Find.matches(fx.repo, TENANT, List.of(first, second), in("many/d1*/f.sql"));
        assertThat(hits).hasSize(2 * 11); // d1, d10..d19 in both snapshots
        List<Find.Match> odd = Find.matches(fx.repo, TENANT, List.of(first, second), "scan\\xff.*");
        assertThat(odd).hasSize(2).allSatisfy(m -> assertThat(m.node().name()).containsExactly(ODD));
        assertThat(Find.matches(fx.repo, TENANT, List.of(first, second), "?ew.txt")).singleElement()
                .satisfies(m -> assertThat(m.snapshot().id()).isEqualTo(second.id()));
        assertThat(Find.matches(fx.repo, TENANT, List.of(first, second), in("nothing/here"))).isEmpty();
        assertThat(HexFormat.of().formatHex(odd.getFirst().path().name())).isEqualTo(HexFormat.of().formatHex(ODD));
    }
}
