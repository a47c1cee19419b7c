package dev.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.pack.PackInfo;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.TreeListing;
import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Prune end to end on real repositories: what goes, what stays, and what makes it refuse. */
class PruneExecutorTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    static List<String> ids(List<PrunePlan.PackChange> changes) {
        return changes.stream().map(PrunePlan.PackChange::pack).toList();
    }

    static List<String> repackIds(PrunePlan plan) {
        return plan.repack().stream().map(r -> r.pack().pack()).toList();
    }

    @Test
    void unusedPacksGoSparseOnesAreRepackedAndEveryRemainingSnapshotRestores() throws Exception {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            // a second tenant with the very same files: its packs must not be touched by tenant a's garbage
            String other = "clinic-b";
            f.fx.vault.createKek(other, KeyVault.DEFAULT_ROTATION_PERIOD);
            f.repo().addTenant(other);
            Path otherSrc = tmp.resolve("src-b");
            for (int i = 0; i < 20; i++) {
                byte[] b = new byte[PruneFixture.FILE_SIZE];
                new Random(i).nextBytes(b);
                PruneFixture.write(otherSrc.resolve("f" + i), b);
            }
            Snapshot otherSnap = Backup.run(f.repo(), new Backup.Options(other, List.of(otherSrc), Set.of(), "test", "auto", null));
            List<String> otherListing = TreeListing.of(otherSrc);

            List<Snapshot> s = f.standardHistory();
            f.forget(s.get(0).id());
            f.forget(s.get(1).id());
            Repository repo = f.reopenExclusive();
            Set<String> packsBefore = PruneFixture.indexedPacks(repo);
            long bytesBefore = PruneFixture.packBytes(f.fx.repoDir);

            PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(plan.refused()).as(plan.toString()).isFalse();
            // the a files (s1 only) fill at least two packs with nothing used; the b packs are a third used
            assertThat(plan.delete()).as(plan.toString()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(plan.repack()).as(plan.toString()).isNotEmpty();
            assertThat(plan.delete()).extracting(PrunePlan.PackChange::tenant).containsOnly(PruneFixture.TENANT);
            assertThat(plan.tenants()).extracting(PrunePlan.TenantSummary::tenant).containsExactly(PruneFixture.TENANT, other);
            PrunePlan.TenantSummary b = plan.tenants().get(1);
            assertThat(b.delete() + b.repack()).isZero();
            assertThat(b.keep()).isEqualTo(b.packs()).isPositive();

            PruneExecutor.Result r = PruneExecutor.run(repo, plan, null);

            assertThat(r.notDeleted()).isEmpty();
            assertThat(r.packsDeleted()).isEqualTo(plan.delete().size() + plan.repack().size());
            assertThat(r.packsRepacked()).isEqualTo(plan.repack().size());
            assertThat(r.blobsCopied()).isEqualTo(plan.blobsToCopy()).isPositive();
            Set<String> packsAfter = PruneFixture.indexedPacks(repo);
            for (String gone : ids(plan.delete())) {
                assertThat(packsAfter).doesNotContain(gone);
                assertThat(Files.exists(repo.packPath(HexFormat.of().parseHex(gone)))).isFalse();
            }
            for (String gone : repackIds(plan)) {
                assertThat(packsAfter).doesNotContain(gone);
                assertThat(Files.exists(repo.packPath(HexFormat.of().parseHex(gone)))).isFalse();
            }
            assertThat(packsAfter).as("the repack wrote new packs").isNotEmpty().isNotEqualTo(packsBefore);
            long bytesAfter = PruneFixture.packBytes(f.fx.repoDir);
            assertThat(bytesAfter).isLessThan(bytesBefore);
            long newPackBytes = 0;
            long newBlobBytes = 0;
            for (String id : packsAfter) {
                if (!packsBefore.contains(id)) {
                    var p = repo.index().pack(HexFormat.of().parseHex(id));
                    newPackBytes += p.size();
                    newBlobBytes += PrunePlanner.blobBytes(new PruneState.IndexedPack(id, PruneFixture.TENANT, p.size(), p.blobCount()));
                }
            }
            assertThat(bytesBefore - bytesAfter).isEqualTo(r.bytesDeleted() - newPackBytes);
            // the copies are the same stored bytes (same zstd level, same GCM overhead) as the originals
            assertThat(newBlobBytes).isEqualTo(plan.bytesRewritten());

            f.checkPruneComplete(repo);
            Path target = tmp.resolve("restore-b");
            Restore.run(repo, new Restore.Options(other, otherSnap.id(), target, List.of(), false, null));
            assertThat(TreeListing.of(target.resolve(otherSrc.toString().substring(1)))).containsExactlyElementsOf(otherListing);
        }
    }

    @Test
    void packsOfALockedSnapshotAreNeverTouchedThoughMostlyUnused() throws Exception {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            f.addFiles("a", 30);
            Snapshot s1 = f.backup();
            f.deleteFiles("a", 30, i -> i % 3 == 0);
            f.addFiles("b", 30);
            Snapshot s2 = f.backup();
            f.forget(s1.id());
            Repository repo = f.reopenExclusive();

            PrunePlan unlocked = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(unlocked.repack()).as("without the lock the a packs are a third used: repacked").isNotEmpty();
            assertThat(unlocked.tenants().getFirst().locked()).isZero();

            PruneFixture.lock(f.fx.repoDir, s2.id());
            PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(plan.fingerprint()).as("a lock changes the state").isNotEqualTo(unlocked.fingerprint());
            assertThat(plan.repack()).as(plan.toString()).isEmpty();
            assertThat(plan.tenants().getFirst().lockedSnapshots()).isEqualTo(1);
            Set<String> locked = new java.util.HashSet<>(repackIds(unlocked));
            assertThat(plan.tenants().getFirst().locked()).isGreaterThanOrEqualTo(locked.size());
            Map<String, String> hashes = new HashMap<>();
            for (String id : locked) {
                hashes.put(id, sha256(repo.packPath(HexFormat.of().parseHex(id))));
            }

            PruneExecutor.run(repo, plan, null);
            for (String id : locked) {
                assertThat(sha256(repo.packPath(HexFormat.of().parseHex(id)))).isEqualTo(hashes.get(id));
                assertThat(repo.index().pack(HexFormat.of().parseHex(id))).isNotNull();
            }
            f.checkPruneComplete(repo);
        }
    }

    @Test
    void pruneRefusesToRunWithoutTheExclusiveLock() {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            List<Snapshot> s = f.standardHistory();
            f.forget(s.get(0).id());
            Repository shared = f.repo();
            assertThat(shared.lockMode()).isEqualTo(Repository.LockMode.SHARED);
            PrunePlan plan = PrunePlanner.plan(PruneState.read(shared, null), PruneOptions.DEFAULT);
            assertThat(plan.delete()).isNotEmpty();
            Set<String> files = PruneFixture.packFiles(shared);

            assertThatThrownBy(() -> PruneExecutor.run(shared, plan, null)).isInstanceOf(RepoException.class)
                    .hasMessageContaining("exclusive lock").hasMessageContaining("nothing was changed");
            assertThat(PruneFixture.packFiles(shared)).isEqualTo(files);
            assertThat(PruneFixture.indexedPacks(shared)).isEqualTo(files);

            Repository exclusive = f.reopenExclusive();
            assertThat(exclusive.lockMode()).isEqualTo(Repository.LockMode.EXCLUSIVE);
            PruneExecutor.run(exclusive, plan, null);
            f.checkPruneComplete(exclusive);
        }
    }

    @Test
    void aPlanMadeBeforeTheRepositoryChangedIsRefused() {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            List<Snapshot> s = f.standardHistory();
            f.forget(s.get(0).id());
            Repository repo = f.reopenExclusive();
            PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            // a backup that stores nothing new still adds a snapshot that may use what the plan deletes
            Snapshot again = f.backup();
            assertThat(again.summary().newBlobs()).isLessThanOrEqualTo(2);
            Set<String> files = PruneFixture.packFiles(repo);

            assertThatThrownBy(() -> PruneExecutor.run(repo, plan, null)).isInstanceOf(RepoException.class)
                    .hasMessageContaining("changed since").hasMessageContaining("plan again");
            assertThat(PruneFixture.packFiles(repo)).containsAll(files);

            // a forget alone changes it too
            PrunePlan fresh = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            f.forget(s.get(1).id());
            assertThatThrownBy(() -> PruneExecutor.run(repo, fresh, null)).hasMessageContaining("changed since");
            PruneFixture.prune(repo);
            f.checkPruneComplete(repo);
        }
    }

    @Test
    void aDamagedSnapshotOrALockedOneWithoutItsFileStopsPruneAndIsNamed() throws Exception {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            List<Snapshot> s = f.standardHistory();
            f.forget(s.get(0).id());
            Repository repo = f.reopenExclusive();
            Set<String> files = PruneFixture.packFiles(repo);
            Path snap = repo.snapshots().file(PruneFixture.TENANT, s.get(1).id());
            byte[] good = Files.readAllBytes(snap);
            byte[] bad = good.clone();
            bad[bad.length - 5] ^= 0x10;
            Files.write(snap, bad);

            PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(plan.refused()).isTrue();
            assertThat(plan.delete()).isEmpty();
            assertThat(plan.repack()).isEmpty();
            assertThat(plan.snapshotProblems()).singleElement().satisfies(p -> {
                assertThat(p.snapshot()).isEqualTo(s.get(1).id());
                assertThat(p.locked()).isFalse();
            });
            assertThat(plan.toString()).contains("REFUSED").contains(s.get(1).id()).contains("repair it").contains("or forget it");
            assertThatThrownBy(() -> PruneExecutor.run(repo, plan, null)).isInstanceOf(RepoException.class)
                    .hasMessageContaining("refused").hasMessageContaining(s.get(1).id());
            Files.write(snap, good);

            // a tree blob that is gone from the index: the snapshot reaching it is named
            String missingLock = "ee".repeat(32);
            PruneFixture.lock(f.fx.repoDir, missingLock);
            PrunePlan locked = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(locked.refused()).isTrue();
            assertThat(locked.snapshotProblems()).singleElement().satisfies(p -> {
                assertThat(p.snapshot()).isEqualTo(missingLock);
                assertThat(p.locked()).isTrue();
            });
            assertThat(locked.problemLines()).singleElement().asString().contains("cannot be forgotten while locked");
            Files.delete(f.fx.repoDir.resolve("locks").resolve(PruneFixture.TENANT).resolve(missingLock + ".lock"));

            assertThat(PruneFixture.packFiles(repo)).isEqualTo(files);
            PruneFixture.prune(repo);
            f.checkPruneComplete(repo);
        }
    }

    @Test
    void aMissingTreeIsReportedForEverySnapshotThatReachesIt() throws Exception {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            f.addFiles("a", 5);
            Snapshot s1 = f.backup();
            Snapshot s2 = f.backup(); // nothing changed below src: the same src tree
            Repository repo = f.reopenExclusive();
            // drop the pack that holds the src directory's tree from the index: both snapshots lose it
            byte[] srcTree = HexFormat.of().parseHex(subtree(repo, s1, f.src));
            var loc = repo.index().find(repo.tenantNo(PruneFixture.TENANT), dev.cairn.engine.pack.BlobType.TREE, srcTree);
            repo.index().removePacks(List.of(loc.packId()));

            PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(plan.refused()).isTrue();
            assertThat(plan.delete()).isEmpty();
            assertThat(plan.snapshotProblems()).extracting(SnapshotProblem::snapshot).contains(s1.id(), s2.id());
            assertThat(plan.snapshotProblems()).allSatisfy(p -> assertThat(p.reason()).contains("not in the index")
                    .doesNotContain(f.src.getFileName().toString()));
        }
    }

    /** The TREE blob id of the directory at absolute path {@code p} inside snapshot {@code s}. */
    static String subtree(Repository repo, Snapshot s, Path p) {
        byte[] id = s.tree();
        for (Path part : p) {
            id = repo.readTree(PruneFixture.TENANT, id).find(part.toString().getBytes()).subtree();
        }
        return HexFormat.of().formatHex(id);
    }

    @Test
    void packFilesInNoIndexAreReportedAndNeverDeleted() throws Exception {
        try (PruneFixture f = new PruneFixture(HSM.token(), tmp)) {
            List<Snapshot> s = f.standardHistory();
            f.forget(s.get(0).id());
            // garbage with a pack's name, and a real pack's copy with a damaged footer under another name
            byte[] junkId = new byte[32];
            new Random(5).nextBytes(junkId);
            Path junk = f.fx.repoDir.resolve(PackInfo.relativePath(junkId));
            PruneFixture.write(junk, "not a pack at all".getBytes());
            String anyPack = PruneFixture.indexedPacks(f.repo()).iterator().next();
            byte[] copy = Files.readAllBytes(f.repo().packPath(HexFormat.of().parseHex(anyPack)));
            copy[copy.length - 20] ^= 1;
            byte[] damagedId = new byte[32];
            new Random(6).nextBytes(damagedId);
            Path damaged = f.fx.repoDir.resolve(PackInfo.relativePath(damagedId));
            PruneFixture.write(damaged, copy);

            Repository repo = f.reopenExclusive();
            PrunePlan plan = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(plan.refused()).isFalse();
            assertThat(plan.strays()).extracting(PrunePlan.Stray::file)
                    .containsExactlyInAnyOrder(PackInfo.relativePath(junkId), PackInfo.relativePath(damagedId));
            assertThat(plan.strays()).allSatisfy(st -> assertThat(st.reason()).isNotBlank());
            assertThat(plan.lines()).filteredOn(l -> l.startsWith("stray")).hasSize(2).allMatch(l -> l.contains("never deleted"));
            assertThat(plan.delete()).isNotEmpty();

            PruneExecutor.run(repo, plan, null);
            assertThat(Files.readAllBytes(junk)).isEqualTo("not a pack at all".getBytes());
            assertThat(Files.readAllBytes(damaged)).isEqualTo(copy);
            PrunePlan again = PrunePlanner.plan(PruneState.read(repo, null), PruneOptions.DEFAULT);
            assertThat(again.strays()).hasSize(2);
            assertThat(again.isEmpty()).isTrue();
            f.checkEveryRemainingSnapshotRestores(repo);
        }
    }

    static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
