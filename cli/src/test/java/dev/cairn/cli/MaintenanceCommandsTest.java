package dev.cairn.cli;

import static dev.cairn.cli.CliRepo.HEX64;
import static dev.cairn.cli.CliRepo.exit;
import static dev.cairn.cli.CliRepo.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.CliRepo.Run;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn verify}, {@code cairn repo rebuild-index} and {@code cairn prune} in-process through
 * {@link Main#execute} against a real SoftHSM2 token and a real repository: exit codes, text and the JSON
 * shapes of docs/cli-verify.md and docs/cli-prune.md, field by field, on a clean repository, a pack with
 * one byte flipped, a deleted index, and packs that forgotten snapshots left unused or sparse; every
 * snapshot left restores byte-identical. Lock and forget are in {@link MaintenanceCommandsTestRetentionTest}.
 */
class MaintenanceCommandsTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    @TempDir
    Path tmp;

    /** A source of one 600 KB file of random data, which fills the middle of its pack, and a small one. */
    private Path source() throws IOException {
        Path src = tmp.resolve("src");
        CliRepo.random(src.resolve("imaging/scan-0001.bin"), 600_000, 1);
        Files.writeString(src.resolve("letter.txt"), "dear colleague\n");
        return src;
    }

    // ------------------------------------------------------------------ verify

    @Test
    void verifyOfACleanRepositoryExits0AndPrintsTheDocumentedJson() throws IOException {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        Path src = source();
        r.backup(src);
        Map<String, Long> packs = r.packs();

        Run text = ok(r.run("verify"));
        assertThat(text.out()).startsWith("checked 1 snapshots, ").contains(packs.size() + " packs; data not read (add --read-data)")
                .contains("no findings");

        JsonNode j = ok(r.run("verify", "--json")).json();
        assertVerifyShape(j);
        assertThat(j.path("clean").asBoolean()).isTrue();
        assertThat(j.path("readData").asBoolean()).isFalse();
        assertThat(j.path("subset").isNull()).isTrue();
        assertThat(j.path("tenant").isNull()).isTrue();
        JsonNode c = j.path("counts");
        assertThat(c.path("snapshots").asLong()).isEqualTo(1);
        assertThat(c.path("trees").asLong()).as("/, each directory down to the source, the source and imaging/")
                .isEqualTo(src.getNameCount() + 2);
        assertThat(c.path("blobs").asLong()).as("the trees and at least a blob per file").isGreaterThanOrEqualTo(c.path("trees").asLong() + 2);
        assertThat(c.path("packs").asLong()).isEqualTo(packs.size());
        assertThat(c.path("packsRead").asLong()).as("0 without --read-data").isZero();
        assertThat(c.path("bytesRead").asLong()).isZero();
        assertThat(j.path("findings").isArray()).isTrue();
        assertThat(j.path("findings").size()).isZero();

        JsonNode data = ok(r.run("verify", "--read-data", "--json", "--tenant", "clinic-a")).json();
        assertVerifyShape(data);
        assertThat(data.path("readData").asBoolean()).isTrue();
        assertThat(data.path("tenant").asText()).isEqualTo("clinic-a");
        assertThat(data.path("counts").path("packsRead").asLong()).isEqualTo(packs.size());
        assertThat(data.path("counts").path("bytesRead").asLong()).isEqualTo(packs.values().stream().mapToLong(Long::longValue).sum());
        Run dataText = ok(r.run("verify", "--read-data"));
        assertThat(dataText.out()).contains("; read " + packs.size() + " packs (").contains("no findings");

        // runs 1/2 and 2/2 read every pack exactly once between them
        long read = 0;
        for (String part : List.of("1/2", "2/2")) {
            JsonNode s = ok(r.run("verify", "--subset", part, "--json")).json();
            assertVerifyShape(s);
            assertThat(s.path("subset").asText()).isEqualTo(part);
            assertThat(s.path("readData").asBoolean()).as("--subset implies --read-data").isTrue();
            assertThat(s.path("counts").path("snapshots").asLong()).as("the structure check covers everything").isEqualTo(1);
            read += s.path("counts").path("packsRead").asLong();
        }
        assertThat(read).isEqualTo(packs.size());
        assertThat(ok(r.run("verify", "--subset", "1/2")).out()).contains(" of subset 1/2").contains("no findings");
    }

    @Test
    void aBadSubsetIsBadUsage() {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        for (String bad : List.of("0/2", "x", "3/2", "1/0", "1/65537")) {
            Run run = exit(2, r.run("verify", "--subset", bad));
            assertThat(run.err()).as(bad).contains("--subset").contains("n/m");
            assertThat(run.out()).as(bad).isEmpty();
        }
    }

    @Test
    void aFlippedByteInAPackIsFoundByReadDataAndNamesTheFileItHits() throws IOException {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        Path src = source();
        String snap = r.backup(src);
        String pack = largest(r.packs());
        Path file = r.packFile(pack);
        flipByte(file, Files.size(file) / 2);

        // the structure check reads pack footers only: a flipped byte inside blob data is not its business
        Run structure = ok(r.run("verify"));
        assertThat(structure.out()).contains("no findings");

        Run text = exit(1, r.run("verify", "--read-data"));
        String scan = src + "/imaging/scan-0001.bin";
        assertThat(text.out()).contains("1 finding:").contains("BLOB_CORRUPT (1): data is damaged")
                .containsPattern("DATA blob [0-9a-f]{64} in pack " + pack + " \\(tenant clinic-a\\): ")
                .contains("    snapshot " + snap.substring(0, 8) + ":\n      " + scan + "\n")
                .contains("what to do: the files named above are lost").doesNotContain("letter.txt");

        JsonNode j = exit(1, r.run("verify", "--read-data", "--json")).json();
        assertVerifyShape(j);
        assertThat(j.path("clean").asBoolean()).isFalse();
        assertThat(j.path("findings").size()).isEqualTo(1);
        JsonNode f = j.path("findings").get(0);
        assertThat(f.path("kind").asText()).isEqualTo("BLOB_CORRUPT");
        assertThat(f.path("tenant").asText()).isEqualTo("clinic-a");
        assertThat(f.path("pack").asText()).isEqualTo(pack);
        assertThat(f.path("blob").asText()).matches(HEX64);
        assertThat(f.path("blobType").asText()).isEqualTo("DATA");
        assertThat(f.path("detail").asText()).isNotBlank().doesNotContain("scan-0001").doesNotContain(src.toString());
        assertThat(f.path("hits").size()).isEqualTo(1);
        JsonNode hit = f.path("hits").get(0);
        assertThat(hit.path("snapshot").asText()).isEqualTo(snap);
        assertThat(names(hit.path("paths"))).containsExactly(scan);
        assertThat(hit.path("omitted").asLong()).isZero();

        // a subset that does not hold the pack does not see it; the one that does, does
        int part = ((Integer.parseInt(pack.substring(0, 4), 16)) % 2) + 1;
        exit(1, r.run("verify", "--subset", part + "/2"));
        ok(r.run("verify", "--subset", (3 - part) + "/2"));

        // documented: a restore of the damaged snapshot restores everything else, names the lost file and exits 1
        Path target = tmp.resolve("restored");
        Run restore = exit(1, r.run("restore", snap, "--target", target.toString()));
        assertThat(restore.err()).contains(scan + " (damaged: blob ");
        assertThat(target.resolve(src.toString().substring(1)).resolve("letter.txt")).hasContent("dear colleague");
    }

    // ------------------------------------------------------------------ repo rebuild-index

    @Test
    void aDeletedIndexIsReportedAndRebuiltAndTheSnapshotStillRestores() throws IOException {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        Path src = source();
        Map<String, byte[]> expected = CliRepo.contents(src);
        String snap = r.backup(src);
        int packs = r.packs().size();
        deleteTree(r.dir.resolve("index"));

        JsonNode lost = exit(1, r.run("verify", "--json")).json();
        assertThat(lost.path("findings").get(0).path("kind").asText()).isEqualTo("INDEX_INCOMPLETE");
        for (String field : List.of("tenant", "pack", "blob", "blobType")) {
            assertThat(lost.path("findings").get(0).path(field).isNull()).as("INDEX_INCOMPLETE has no " + field).isTrue();
        }
        assertThat(exit(1, r.run("verify")).out()).contains("INDEX_INCOMPLETE").contains("cairn repo rebuild-index");

        JsonNode rebuilt = ok(r.run("repo", "rebuild-index", "--json")).json();
        assertThat(fieldNames(rebuilt)).containsExactly("complete", "packsIndexed", "blobs", "skipped");
        assertThat(rebuilt.path("complete").asBoolean()).isTrue();
        assertThat(rebuilt.path("packsIndexed").asLong()).isEqualTo(packs);
        assertThat(rebuilt.path("blobs").asLong()).isPositive();
        assertThat(rebuilt.path("skipped").isArray()).isTrue();
        assertThat(rebuilt.path("skipped").size()).isZero();
        assertThat(r.dir.resolve("index.incomplete")).doesNotExist();

        Run verify = ok(r.run("verify", "--read-data"));
        assertThat(verify.out()).contains("no findings");
        r.assertRestores(snap, src, expected);

        // running it again is harmless; the text form says what it did
        Run again = ok(r.run("repo", "rebuild-index"));
        assertThat(again.out()).isEqualTo("indexed " + packs + " packs (" + rebuilt.path("blobs").asLong() + " blobs)\n");
    }

    // ------------------------------------------------------------------ prune

    @Test
    void pruneAfterForgetShowsItsPlanThenFreesPacksAndEverySnapshotLeftRestores() throws IOException {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        r.packTarget(1 << 20); // each backup below fits one pack; files under 512 KiB are one chunk (blob) each
        Path x = tmp.resolve("src/x");
        Path y = tmp.resolve("src/y");
        CliRepo.random(x.resolve("keep.bin"), 300_000, 1);
        CliRepo.random(x.resolve("drop-1.bin"), 300_000, 2);
        CliRepo.random(x.resolve("drop-2.bin"), 300_000, 3);
        Map<String, Long> none = r.packs();
        r.backup(x);
        List<String> x1Packs = added(none, r.packs());
        Files.delete(x.resolve("drop-1.bin"));
        Files.delete(x.resolve("drop-2.bin"));
        CliRepo.random(x.resolve("mid.bin"), 600_000, 4);
        Map<String, Long> beforeX2 = r.packs();
        r.backup(x);
        List<String> x2Packs = added(beforeX2, r.packs());
        Files.delete(x.resolve("mid.bin"));
        CliRepo.random(x.resolve("new.bin"), 300_000, 5);
        Map<String, byte[]> x3Files = CliRepo.contents(x);
        String x3 = r.backup(x);
        CliRepo.random(y.resolve("letter.bin"), 200_000, 9);
        Map<String, byte[]> y1Files = CliRepo.contents(y);
        String y1 = r.backup(y);
        assertThat(x1Packs).as("x1 in one pack").hasSize(1);
        assertThat(x2Packs).as("x2's new data in one pack").hasSize(1);

        Run badUsage = exit(2, r.run("prune", "--max-unused", "101"));
        assertThat(badUsage.err()).contains("--max-unused is a percentage, 0 to 100");
        exit(2, r.run("prune", "--max-unused", "-1"));

        // x1 and x2 go: x1's pack keeps only keep.bin (a third of it used: repack), x2's pack nothing (delete)
        ok(r.run("forget", "--keep-last", "1"));
        Map<String, Long> before = r.packs();

        Run dry = ok(r.run("prune", "--dry-run"));
        assertThat(dry.out()).startsWith("prune plan: delete unused packs, repack packs more than 50% unused, never touch packs of"
                        + " locked snapshots (state ")
                .contains("\ntenant clinic-a: 2 snapshot(s), 0 locked; " + before.size() + " pack(s): 1 to delete, 1 to repack, "
                        + (before.size() - 2) + " kept, 0 locked (untouched); about ")
                .containsPattern("(?m)^delete  " + x2Packs.getFirst() + "  clinic-a  \\d+\\.\\d KiB$")
                .containsPattern("(?m)^repack  " + x1Packs.getFirst() + "  clinic-a  \\d+\\.\\d KiB, 293\\.\\d KiB used by 1 blob\\(s\\) to copy$")
                .containsPattern("(?m)^total: 1 pack\\(s\\) to delete, 1 to repack \\(1 blob\\(s\\), 293\\.\\d KiB rewritten\\); about .* freed$")
                .endsWith("\ndry run: nothing was changed\n");
        assertThat(r.packs()).as("a dry run changes nothing").isEqualTo(before);

        JsonNode dryJson = ok(r.run("prune", "--dry-run", "--json")).json();
        assertThat(fieldNames(dryJson)).containsExactly("dryRun", "plan", "result");
        assertThat(dryJson.path("dryRun").asBoolean()).isTrue();
        assertThat(dryJson.path("result").isNull()).isTrue();
        JsonNode plan = dryJson.path("plan");
        assertPrunePlanShape(plan);
        assertThat(plan.path("fingerprint").asText()).matches(HEX64);
        assertThat(plan.path("maxUnusedPercent").asInt()).isEqualTo(50);
        assertThat(plan.path("refused").asBoolean()).isFalse();
        assertThat(plan.path("problems").size()).isZero();
        assertThat(plan.path("snapshotProblems").size()).isZero();
        assertThat(plan.path("strays").size()).isZero();
        JsonNode tenant = plan.path("tenants").get(0);
        assertThat(tenant.path("tenant").asText()).isEqualTo("clinic-a");
        assertThat(tenant.path("snapshots").asInt()).isEqualTo(2);
        assertThat(tenant.path("lockedSnapshots").asInt()).isZero();
        assertThat(tenant.path("packs").asInt()).isEqualTo(before.size());
        assertThat(tenant.path("keep").asInt()).isEqualTo(before.size() - 2);
        assertThat(tenant.path("locked").asInt()).isZero();
        assertThat(tenant.path("bytesRewritten").asLong()).isEqualTo(300_000 + 16);
        JsonNode delete = plan.path("delete").get(0);
        assertThat(plan.path("delete").size()).isEqualTo(1);
        assertThat(delete.path("pack").asText()).isEqualTo(x2Packs.getFirst());
        assertThat(delete.path("tenant").asText()).isEqualTo("clinic-a");
        assertThat(delete.path("size").asLong()).isEqualTo(before.get(x2Packs.getFirst()));
        assertThat(plan.path("repack").size()).isEqualTo(1);
        JsonNode repack = plan.path("repack").get(0);
        assertThat(repack.path("pack").asText()).isEqualTo(x1Packs.getFirst());
        assertThat(repack.path("size").asLong()).isEqualTo(before.get(x1Packs.getFirst()));
        assertThat(repack.path("usedBytes").asLong()).as("keep.bin stored raw with its GCM tag").isEqualTo(300_000 + 16);
        assertThat(repack.path("usedBlobs").asInt()).isEqualTo(1);
        JsonNode totals = plan.path("totals");
        assertThat(totals.path("delete").asInt()).isEqualTo(1);
        assertThat(totals.path("repack").asInt()).isEqualTo(1);
        assertThat(totals.path("blobsToCopy").asInt()).isEqualTo(1);
        assertThat(totals.path("bytesFreed").asLong()).isEqualTo(tenant.path("bytesFreed").asLong()).isPositive();
        assertThat(totals.path("bytesRewritten").asLong()).isEqualTo(tenant.path("bytesRewritten").asLong());

        JsonNode done = ok(r.run("prune", "--json")).json();
        assertThat(fieldNames(done)).containsExactly("dryRun", "plan", "result");
        assertThat(done.path("dryRun").asBoolean()).isFalse();
        assertThat(done.path("plan")).as("the same state gives the same plan").isEqualTo(plan);
        JsonNode result = done.path("result");
        assertThat(fieldNames(result)).containsExactly("packsDeleted", "packsRepacked", "blobsCopied", "bytesDeleted", "bytesWritten",
                "notDeleted");
        assertThat(result.path("packsDeleted").asInt()).as("the repacked pack counts as deleted").isEqualTo(2);
        assertThat(result.path("packsRepacked").asInt()).isEqualTo(1);
        assertThat(result.path("blobsCopied").asInt()).isEqualTo(1);
        assertThat(result.path("bytesDeleted").asLong()).isEqualTo(before.get(x1Packs.getFirst()) + before.get(x2Packs.getFirst()));
        assertThat(result.path("bytesWritten").asLong()).as("blob bytes before their GCM tags").isEqualTo(300_000);
        assertThat(result.path("notDeleted").size()).isZero();
        Map<String, Long> after = r.packs();
        assertThat(after.keySet()).doesNotContain(x1Packs.getFirst(), x2Packs.getFirst());
        assertThat(added(before, after)).as("the pack keep.bin was copied into").hasSize(1);
        assertThat(sum(after)).as("packs/ is smaller").isLessThan(sum(before) - 600_000);

        r.assertRestores(x3, x, x3Files);
        r.assertRestores(y1, y, y1Files);
        assertThat(ok(r.run("verify", "--read-data")).out()).contains("no findings");

        Run again = ok(r.run("prune"));
        assertThat(again.out()).endsWith("\nnothing to do: every pack is used enough\n");
        assertThat(ok(r.run("prune", "--json")).json().path("result").isNull()).as("nothing to do: no result").isTrue();
        assertThat(r.packs()).isEqualTo(after);

        // a second round in text: x3 goes, and with it new.bin, which only x3 used
        Files.delete(x.resolve("new.bin"));
        Map<String, byte[]> x4Files = CliRepo.contents(x);
        String x4 = r.backup(x);
        ok(r.run("forget", "--keep-last", "1"));
        Run text = ok(r.run("prune"));
        assertThat(text.out()).startsWith("prune plan: ").doesNotContain("dry run").doesNotContain("delete  ")
                .contains("\ntotal: 1 pack(s) to delete, 0 to repack (0 blob(s), 0 B rewritten); about ")
                .containsPattern("(?m)^pruned: 1 pack\\(s\\) deleted \\(0 of them repacked, 0 blob\\(s\\) copied into new packs\\);"
                        + " \\d+\\.\\d KiB deleted, 0 B written$");
        r.assertRestores(x4, x, x4Files);
        r.assertRestores(y1, y, y1Files);
    }

    private static List<String> added(Map<String, Long> before, Map<String, Long> after) {
        return after.keySet().stream().filter(k -> !before.containsKey(k)).toList();
    }

    private static long sum(Map<String, Long> packs) {
        return packs.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The documented fields of the prune plan's JSON (docs/cli-prune.md), in order, at every level. */
    static void assertPrunePlanShape(JsonNode plan) {
        assertThat(fieldNames(plan)).containsExactly("fingerprint", "maxUnusedPercent", "refused", "problems", "snapshotProblems",
                "tenants", "delete", "repack", "strays", "totals");
        for (JsonNode t : plan.path("tenants")) {
            assertThat(fieldNames(t)).containsExactly("tenant", "snapshots", "lockedSnapshots", "packs", "keep", "locked", "delete",
                    "repack", "bytesFreed", "bytesRewritten");
        }
        plan.path("delete").forEach(d -> assertThat(fieldNames(d)).containsExactly("pack", "tenant", "size"));
        plan.path("repack").forEach(d -> assertThat(fieldNames(d)).containsExactly("pack", "tenant", "size", "usedBytes", "usedBlobs"));
        plan.path("strays").forEach(d -> assertThat(fieldNames(d)).containsExactly("file", "size", "reason"));
        plan.path("snapshotProblems").forEach(d -> assertThat(fieldNames(d)).containsExactly("tenant", "snapshot", "locked", "reason"));
        assertThat(fieldNames(plan.path("totals"))).containsExactly("delete", "repack", "blobsToCopy", "bytesFreed", "bytesRewritten");
    }

    // ------------------------------------------------------------------ helpers

    /** The documented fields of verify's JSON (docs/cli-verify.md, "JSON"), in order, at every level. */
    static void assertVerifyShape(JsonNode j) {
        assertThat(fieldNames(j)).containsExactly("clean", "readData", "subset", "tenant", "counts", "findings");
        assertThat(fieldNames(j.path("counts"))).containsExactly("snapshots", "trees", "blobs", "packs", "packsRead", "bytesRead");
        assertThat(j.path("clean").asBoolean()).isEqualTo(j.path("findings").isEmpty());
        for (JsonNode f : j.path("findings")) {
            assertThat(fieldNames(f)).containsExactly("kind", "tenant", "pack", "blob", "blobType", "detail", "hits");
            for (JsonNode h : f.path("hits")) {
                assertThat(fieldNames(h)).containsExactly("snapshot", "paths", "omitted");
            }
        }
    }

    static List<String> fieldNames(JsonNode j) {
        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String largest(Map<String, Long> packs) {
        return packs.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    static void flipByte(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
