package dev.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.repo.AtomicFiles;
import dev.cairn.engine.repo.RepoConfig;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.engine.testing.TreeListing;
import dev.cairn.hsm.testing.SoftHsm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real repository (SoftHSM token, RocksDB index) with 1 MiB packs, a source tree that changes between
 * backups, and the listing of the source at every snapshot, so a test can check that every remaining
 * snapshot still restores byte- and metadata-identical.
 *
 * <p>Source files are 64 KiB of seeded random data (incompressible, one chunk each), so a pack holds
 * about fifteen of them and a generation of thirty files fills two packs or more.
 */
final class PruneFixture implements AutoCloseable {
    static final String TENANT = "clinic-a";
    static final int FILE_SIZE = 64 * 1024;

    final EngineFixture fx;
    final Path tmp;
    final Path src;
    /** Listing of the source at each snapshot, by snapshot id (in backup order). */
    final Map<String, List<String>> listings = new LinkedHashMap<>();
    private int restores;

    PruneFixture(SoftHsm token, Path tmp) {
        this.tmp = tmp;
        this.src = tmp.resolve("src");
        this.fx = new EngineFixture(token, tmp.resolve("repo"), TENANT);
        smallPacks(fx.repoDir);
        fx.reopen();
    }

    /** Rewrites config.json with the smallest pack target (1 MiB) so a few MiB of data make several packs. */
    static void smallPacks(Path repoDir) {
        try {
            Path file = repoDir.resolve("config.json");
            RepoConfig c = RepoConfig.decode(Files.readAllBytes(file), file);
            RepoConfig small = new RepoConfig(c.version(), c.id(), c.created(), 1 << 20, c.compressionLevel(), c.defaultChunking(),
                    c.fineChunking(), c.fineFor(), c.tenants());
            AtomicFiles.write(repoDir.resolve("tmp"), file, small.encode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Repository repo() {
        return fx.repo;
    }

    /** Closes the fixture's repository and opens it with the exclusive lock, as prune needs. */
    Repository reopenExclusive() {
        fx.repo.close();
        fx.repo = openExclusive(fx);
        return fx.repo;
    }

    static Repository openExclusive(EngineFixture fx) {
        return Repository.open(fx.repoDir, fx.vault, Repository.LockMode.EXCLUSIVE, Clock.systemUTC(), new SecureRandom());
    }

    /** Writes {@code count} files {@code prefix000...} of 64 KiB, each seeded by its name. */
    void addFiles(String prefix, int count) {
        for (int i = 0; i < count; i++) {
            String name = String.format("%s%03d.bin", prefix, i);
            byte[] b = new byte[FILE_SIZE];
            new Random(name.hashCode() * 31L + 7).nextBytes(b);
            write(src.resolve(name), b);
        }
    }

    /** Deletes the files {@code prefix<i>} for which {@code keep(i)} is false. */
    void deleteFiles(String prefix, int count, java.util.function.IntPredicate keep) {
        for (int i = 0; i < count; i++) {
            if (!keep.test(i)) {
                try {
                    Files.delete(src.resolve(String.format("%s%03d.bin", prefix, i)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    static void write(Path p, byte[] data) {
        try {
            Files.createDirectories(p.getParent());
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Backs up the source and records its listing. */
    Snapshot backup() {
        Snapshot s = Backup.run(fx.repo, new Backup.Options(TENANT, List.of(src), Set.of(), "test", "auto", null));
        assertThat(s.summary().errors()).isZero();
        listings.put(s.id(), TreeListing.of(src));
        return s;
    }

    /** Forget as the engine does it: the snapshot file goes, nothing else. */
    void forget(String snapshotId) {
        fx.repo.snapshots().delete(TENANT, snapshotId);
        listings.remove(snapshotId);
    }

    /** A retention lock file (docs/formats/repository.md section 7) for the snapshot. */
    static void lock(Path repoDir, String snapshotId) {
        String json = "{\"version\": 1, \"snapshot\": \"" + snapshotId + "\", \"tenant\": \"" + TENANT + "\", \"mode\": \"compliance\","
                + " \"retainUntil\": \"2099-01-01T00:00:00Z\", \"legalHold\": false, \"createdAt\": \"2026-01-01T00:00:00Z\","
                + " \"history\": []}";
        AtomicFiles.write(repoDir.resolve("tmp"), repoDir.resolve("locks").resolve(TENANT).resolve(snapshotId + ".lock"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The standard history: s1 = 30 files "a"; s2 = the a files gone, 30 files "b"; s3 = a third of the b
     * files kept, 30 files "c". Returns the three snapshots.
     */
    List<Snapshot> standardHistory() {
        List<Snapshot> out = new ArrayList<>();
        addFiles("a", 30);
        out.add(backup());
        deleteFiles("a", 30, i -> false);
        addFiles("b", 30);
        out.add(backup());
        deleteFiles("b", 30, i -> i % 3 == 0);
        addFiles("c", 30);
        out.add(backup());
        return out;
    }

    /** Restores every snapshot still recorded in {@link #listings} and compares it with the source at that time. */
    void checkEveryRemainingSnapshotRestores(Repository repo) {
        assertThat(new HashSet<>(repo.snapshots().ids(TENANT))).isEqualTo(listings.keySet());
        for (Map.Entry<String, List<String>> e : listings.entrySet()) {
            Path target = tmp.resolve("restore-" + (++restores));
            Restore.Result r = Restore.run(repo, new Restore.Options(TENANT, e.getKey(), target, List.of(), false, null));
            assertThat(r.skipped()).as("snapshot %s", e.getKey()).isEmpty();
            assertThat(TreeListing.of(target.resolve(src.toString().substring(1)))).as("snapshot %s", e.getKey())
                    .containsExactlyElementsOf(e.getValue());
            deleteTree(target);
        }
    }

    /** Pack ids in the index. */
    static Set<String> indexedPacks(Repository repo) {
        Set<String> out = new HashSet<>();
        repo.index().forEachPack(p -> out.add(HexFormat.of().formatHex(p.id())));
        return out;
    }

    /** Pack ids of the files in packs/. */
    static Set<String> packFiles(Repository repo) {
        Set<String> out = new HashSet<>();
        repo.packFiles().forEach(id -> out.add(HexFormat.of().formatHex(id)));
        return out;
    }

    /** Total bytes of the pack files. */
    static long packBytes(Path repoDir) {
        try (Stream<Path> s = Files.walk(repoDir.resolve("packs"))) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the state, plans with the defaults and executes under the exclusive lock the repository must hold. */
    static PruneExecutor.Result prune(Repository repo) {
        PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
        assertThat(plan.refused()).as(plan.toString()).isFalse();
        return PruneExecutor.run(repo, plan, null);
    }

    /**
     * After a complete prune: a new plan has nothing to do, the index lists exactly the pack files on disk
     * (nothing deleted from the index lingers on disk), and every remaining snapshot restores.
     */
    void checkPruneComplete(Repository repo) {
        PrunePlan again = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
        assertThat(again.refused()).as(again.toString()).isFalse();
        assertThat(again.delete()).as(again.toString()).isEmpty();
        assertThat(again.repack()).as(again.toString()).isEmpty();
        assertThat(again.strays()).as(again.toString()).isEmpty();
        assertThat(packFiles(repo)).isEqualTo(indexedPacks(repo));
        checkEveryRemainingSnapshotRestores(repo);
    }

    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        fx.close();
    }
}
