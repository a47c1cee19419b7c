package dev.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.pack.BlobType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The planner on hand-built states: every rule, the refusals, determinism. No repository involved. */
class PrunePlannerTest {
    static final String T = "clinic-a";
    static final int STORED = 1000;

    /** A hand-built state: packs of four 1000-byte blobs; which are used and locked is chosen per test. */
    static final class Builder {
        final Random random = new Random(42);
        final List<PruneState.IndexedPack> packs = new ArrayList<>();
        final List<PruneState.IndexedBlob> blobs = new ArrayList<>();
        final BlobIdSet used = new BlobIdSet();
        final BlobIdSet locked = new BlobIdSet();
        final List<SnapshotProblem> problems = new ArrayList<>();
        final List<String> indexProblems = new ArrayList<>();
        int snapshots = 2;
        int lockedSnapshots;

        /** A pack whose blob i is used when {@code use[i]} is 'u', used by a locked snapshot when 'l', unused when '-'. */
        String pack(String use) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            String hex = HexFormat.of().formatHex(id);
            packs.add(new PruneState.IndexedPack(hex, T, 55 + T.length() + 4 + 16 + 12 + 50L * use.length() + (long) STORED * use.length(),
                    use.length()));
            for (char c : use.toCharArray()) {
                byte[] blob = new byte[32];
                random.nextBytes(blob);
                BlobType type = random.nextBoolean() ? BlobType.DATA : BlobType.TREE;
                blobs.add(new PruneState.IndexedBlob(T, type, blob, hex, STORED));
                if (c != '-') {
                    used.add(type, blob);
                }
                if (c == 'l') {
                    locked.add(type, blob);
                }
            }
            return hex;
        }

        PruneState state() {
            return state(blobs);
        }

        PruneState state(List<PruneState.IndexedBlob> blobList) {
            Reachability r = new Reachability(Map.of(T, new Reachability.TenantUse(snapshots, lockedSnapshots, used, locked)), problems);
            return new PruneState(packs, PruneState.BlobSource.of(blobList), r, List.of(), indexProblems, "f".repeat(64));
        }
    }

    static List<String> ids(List<PrunePlan.PackChange> changes) {
        return changes.stream().map(PrunePlan.PackChange::pack).toList();
    }

    static List<String> repackIds(PrunePlan plan) {
        return plan.repack().stream().map(r -> r.pack().pack()).toList();
    }

    @Test
    void anUnusedPackIsDeletedASparseOneRepackedAWellUsedOneKept() {
        Builder b = new Builder();
        String unused = b.pack("----");
        String sparse = b.pack("u---");
        String half = b.pack("uu--");
        String full = b.pack("uuuu");
        PrunePlan plan = PrunePlanner.plan(b.state(), PruneOptions.DEFAULT);

        assertThat(plan.refused()).isFalse();
        assertThat(ids(plan.delete())).containsExactly(unused);
        assertThat(repackIds(plan)).containsExactly(sparse);
        assertThat(plan.repack().getFirst().blobs()).hasSize(1);
        assertThat(plan.repack().getFirst().pack().usedBytes()).isEqualTo(STORED);
        // exactly half unused is not "more than 50%": kept, like the full pack
        assertThat(ids(plan.delete())).doesNotContain(half, full);
        assertThat(repackIds(plan)).doesNotContain(half, full);
        PrunePlan.TenantSummary t = plan.tenants().getFirst();
        assertThat(t).extracting(PrunePlan.TenantSummary::packs, PrunePlan.TenantSummary::delete, PrunePlan.TenantSummary::repack,
                PrunePlan.TenantSummary::keep, PrunePlan.TenantSummary::locked).containsExactly(4, 1, 1, 2, 0);
        long unusedSize = b.packs.get(0).size();
        long sparseSize = b.packs.get(1).size();
        assertThat(plan.bytesFreed()).isEqualTo(unusedSize + sparseSize - STORED);
        assertThat(plan.bytesRewritten()).isEqualTo(STORED);
    }

    @Test
    void theRepackCopiesExactlyTheUsedBlobsOfTheSparsePack() {
        Builder b = new Builder();
        String sparse = b.pack("-u---u--");
        PrunePlan plan = PrunePlanner.plan(b.state(), PruneOptions.DEFAULT);
        assertThat(repackIds(plan)).containsExactly(sparse);
        List<String> expected = new ArrayList<>();
        for (int i : new int[] {1, 5}) {
            expected.add(HexFormat.of().formatHex(b.blobs.get(i).id()));
        }
        assertThat(plan.repack().getFirst().blobs()).extracting(PrunePlan.BlobRef::id).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(plan.blobsToCopy()).isEqualTo(2);
    }

    @Test
    void aPackWithABlobOfALockedSnapshotIsNeverTouchedHoweverEmpty() {
        Builder b = new Builder();
        b.lockedSnapshots = 1;
        String locked = b.pack("l-------");
        String lockedAndUsed = b.pack("lu------");
        PrunePlan plan = PrunePlanner.plan(b.state(), new PruneOptions(0));
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.repack()).isEmpty();
        assertThat(plan.tenants().getFirst().locked()).isEqualTo(2);
        assertThat(plan.lines()).noneMatch(l -> l.contains(locked) || l.contains(lockedAndUsed));
    }

    @Test
    void theUnusedShareIsAnOption() {
        Builder b = new Builder();
        String quarter = b.pack("u---");
        String threeQuarters = b.pack("uuu-");
        assertThat(repackIds(PrunePlanner.plan(b.state(), new PruneOptions(100)))).isEmpty();
        assertThat(repackIds(PrunePlanner.plan(b.state(), new PruneOptions(50)))).containsExactly(quarter);
        assertThat(repackIds(PrunePlanner.plan(b.state(), new PruneOptions(0)))).containsExactlyInAnyOrder(quarter, threeQuarters);
        assertThatThrownBy(() -> new PruneOptions(101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PruneOptions(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSamePlanWhateverTheOrderOfTheInput() {
        Builder b = new Builder();
        for (String use : List.of("----", "u---", "uuuu", "-u--", "----", "uu-u", "--u-")) {
            b.pack(use);
        }
        PrunePlan first = PrunePlanner.plan(b.state(), PruneOptions.DEFAULT);
        List<PruneState.IndexedBlob> shuffledBlobs = new ArrayList<>(b.blobs);
        Collections.shuffle(shuffledBlobs, new Random(7));
        Collections.shuffle(b.packs, new Random(8));
        PrunePlan second = PrunePlanner.plan(b.state(shuffledBlobs), PruneOptions.DEFAULT);

        assertThat(second).isEqualTo(first);
        assertThat(second.lines()).isEqualTo(first.lines());
        assertThat(second.toJson()).isEqualTo(first.toJson());
        assertThat(first.delete()).hasSize(2);
        assertThat(first.repack()).hasSize(3);
        assertThat(ids(first.delete())).isSorted();
        assertThat(repackIds(first)).isSorted();
    }

    @Test
    void anUnreadableSnapshotMakesThePlanRefuseEverythingAndNameIt() {
        Builder b = new Builder();
        b.pack("----");
        b.pack("u---");
        String bad = "ab".repeat(32);
        b.problems.add(new SnapshotProblem(T, bad, false, "tree 0123456789abcdef cannot be read: damaged"));
        PrunePlan plan = PrunePlanner.plan(b.state(), PruneOptions.DEFAULT);

        assertThat(plan.refused()).isTrue();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.repack()).isEmpty();
        assertThat(plan.tenants().getFirst().keep()).isEqualTo(2);
        assertThat(plan.toString()).contains("REFUSED").contains(bad).contains("forget it");
        assertThat(plan.toJson()).containsEntry("refused", true);
        assertThatThrownBy(() -> new PrunePlan(plan.fingerprint(), plan.options(), plan.snapshotProblems(), List.of(), plan.tenants(),
                List.of(new PrunePlan.PackChange(b.packs.getFirst().id(), T, 1, 0, 0)), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLockedSnapshotWithoutItsFileIsNamedAsOneThatCannotBeForgotten() {
        Builder b = new Builder();
        b.pack("----");
        b.problems.add(new SnapshotProblem(T, "cd".repeat(32), true, "its lock file exists but its snapshot file is missing"));
        PrunePlan plan = PrunePlanner.plan(b.state(), PruneOptions.DEFAULT);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.problemLines()).singleElement().asString().contains("locked snapshot " + "cd".repeat(32))
                .contains("cannot be forgotten");
    }

    @Test
    void aUsedBlobMissingFromTheIndexMakesThePlanRefuse() {
        Builder b = new Builder();
        b.pack("----");
        byte[] lost = new byte[32];
        b.random.nextBytes(lost);
        b.used.add(BlobType.DATA, lost);
        PrunePlan plan = PrunePlanner.plan(b.state(), PruneOptions.DEFAULT);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.indexProblems()).singleElement().asString().contains("1 blob(s)").contains("rebuild-index");
    }

    @Test
    void packsOfATenantWhoseSnapshotsWereNotScannedAreNotTouched() {
        Builder b = new Builder();
        b.pack("----");
        PruneState s = b.state();
        PruneState unscanned = new PruneState(s.packs(), s.blobs(), new Reachability(Map.of(), List.of()), List.of(), List.of(),
                s.fingerprint());
        PrunePlan plan = PrunePlanner.plan(unscanned, PruneOptions.DEFAULT);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.indexProblems()).anyMatch(p -> p.contains("not scanned"));
    }

    @Test
    void aBlobEntryPointingAtAPackTheIndexDoesNotListMakesThePlanRefuse() {
        Builder b = new Builder();
        b.pack("----");
        List<PruneState.IndexedBlob> blobs = new ArrayList<>(b.blobs);
        blobs.add(new PruneState.IndexedBlob(T, BlobType.DATA, new byte[32], "00".repeat(32), 10));
        PrunePlan plan = PrunePlanner.plan(b.state(blobs), PruneOptions.DEFAULT);
        assertThat(plan.refused()).isTrue();
        assertThat(plan.indexProblems()).anyMatch(p -> p.contains("packs it does not list"));
    }

    @Test
    void theListingAndTheJsonSayWhatHappensToEachPack() {
        Builder b = new Builder();
        String unused = b.pack("----");
        String sparse = b.pack("u---");
        b.pack("uuuu");
        PruneState s = b.state();
        PruneState withStray = new PruneState(s.packs(), s.blobs(), s.reachability(),
                List.of(new PrunePlan.Stray("packs/aa/" + "aa".repeat(32) + ".pack", 99, "not a Cairn pack (bad magic)")), List.of(),
                s.fingerprint());
        PrunePlan plan = PrunePlanner.plan(withStray, PruneOptions.DEFAULT);

        assertThat(plan.lines()).contains("delete  " + unused + "  clinic-a  4.2 KiB")
                .anyMatch(l -> l.startsWith("repack  " + sparse + "  clinic-a") && l.contains("1 blob(s) to copy"))
                .anyMatch(l -> l.startsWith("stray   packs/aa/") && l.contains("never deleted"))
                .anyMatch(l -> l.startsWith("tenant clinic-a: 2 snapshot(s), 0 locked; 3 pack(s): 1 to delete, 1 to repack, 1 kept"))
                .anyMatch(l -> l.startsWith("total: 1 pack(s) to delete, 1 to repack (1 blob(s)"));
        assertThat(plan.toString()).doesNotContain(unused).contains("1 file(s) in packs/ are in no index");
        Map<String, Object> json = plan.toJson();
        assertThat(json).containsEntry("refused", false).containsEntry("maxUnusedPercent", 50);
        assertThat((List<?>) json.get("delete")).hasSize(1);
        assertThat((List<?>) json.get("repack")).hasSize(1);
        assertThat((List<?>) json.get("strays")).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> totals = (Map<String, Object>) json.get("totals");
        assertThat(totals).containsEntry("bytesRewritten", (long) STORED).containsEntry("blobsToCopy", 1L);
    }

    @Test
    void anEmptyRepositoryHasNothingToDo() {
        Builder b = new Builder();
        b.pack("uuuu");
        PrunePlan plan = PrunePlanner.plan(b.state(), PruneOptions.DEFAULT);
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.toString()).contains("nothing to do");
    }
}
