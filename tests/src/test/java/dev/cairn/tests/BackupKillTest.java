package dev.cairn.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.testing.TreeListing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code cairn backup} at random moments (issue 3, "Faults: each is a test"). A tree of
 * about 100 MiB of data, 164 MiB with the holes of a sparse disk image (incompressible images, compressible
 * text, the metadata zoo of {@link SampleTree}, and {@value #CHURN_FILES} x {@value #CHURN_MIB} MiB rewritten
 * with new random data before every backup so that every backup writes new packs) is backed up once; then each iteration
 * changes the tree, starts a backup, kills it with SIGKILL, and checks:
 * <ol>
 * <li>{@code snapshots/} holds exactly the snapshots made before (plus the killed one, when the kill came
 *     after its snapshot file was renamed into place: then it must be complete and restore);</li>
 * <li>every pack in {@code packs/} is whole: its SHA-256 is its name (nothing half-written is ever there);</li>
 * <li>{@code cairn verify} is clean (with {@code --read-data} after every fifth kill and at the end);</li>
 * <li>the repository opens and the newest earlier snapshot restores byte-identical, metadata included
 *     (against the listing taken when it was made), so every snapshot is restored once after a later kill;</li>
 * <li>the next backup succeeds.</li>
 * </ol>
 * At the end {@code cairn snapshots} lists exactly the snapshots made (it decrypts and checks every file), and
 * the first snapshot and a random older one restore byte-identical again, after every kill. Restoring every
 * earlier snapshot after every kill would cost the square of the iterations; the data they hold is checked
 * by {@code verify --read-data} instead.
 *
 * <p>The kill moment is drawn from a seeded random source (seed logged; {@code -Dcairn.kill.seed=N}
 * repeats a run, {@code -Dcairn.kill.iterations=N} changes the count): EARLY kills come after a random
 * delay (JVM start, key vault, repository open, walking, the first pack), MID kills wait until a pack being
 * written in {@code tmp/} passes a random size, LATE kills wait until a pack was sealed into {@code packs/}
 * and add a random delay (indexing, the next pack, the final flush, the snapshot write). The data is sized
 * for about three minutes on two idle cores; {@code scripts/kill-soak.sh} runs the same for longer.
 */
class BackupKillTest {
    static final int CHURN_FILES = 3;
    static final int CHURN_MIB = 16;
    private static final String TENANT = "clinic-a";
    private static final int ITERATIONS = Integer.getInteger("cairn.kill.iterations", 20);

    @TempDir
    Path tmp;
    CairnProcess cairn;
    String[] opts;
    Path repo;
    Path src;
    final List<String> log = new ArrayList<>();

    enum Mode { EARLY, MID, LATE }

    @Test
    void killedBackupsLeaveARepositoryThatOpensRestoresAndBacksUp() throws Exception {
        long seed = Long.getLong("cairn.kill.seed", new SecureRandom().nextLong());
        log("seed " + seed + " (repeat with -Dcairn.kill.seed=" + seed + "), " + ITERATIONS + " iterations");
        Random random = new Random(seed);
        cairn = new CairnProcess(tmp, Duration.ofSeconds(300));
        repo = tmp.resolve("repo");
        Path hsmConf = tmp.resolve("token/hsm.conf");
        opts = new String[] {"--repo", repo.toString(), "--hsm", hsmConf.toString()};
        expect(cairn.run("keys", "init-softhsm", tmp.resolve("token").toString()), "init-softhsm");
        expect(cairn.run(cmd("repo init")), "repo init");
        expect(cairn.run(cmd("repo add-tenant", "--tenant", TENANT)), "add-tenant");

        src = tmp.resolve("src");
        SampleTree.varied(src.resolve("varied"), seed);
        SampleTree.random(src.resolve("images/ct-scan.img"), 16L << 20, seed + 1);
        SampleTree.random(src.resolve("images/xray.bin"), 16L << 20, seed + 2);
        SampleTree.text(src.resolve("docs/letters.txt"), 4L << 20, seed + 3);
        SampleTree.text(src.resolve("docs/db.sql"), 4L << 20, seed + 4);
        churn(random, 0);

        Map<String, List<String>> expected = new LinkedHashMap<>(); // snapshot id -> listing of the tree it holds
        List<String> listing = TreeListing.of(src);
        String newest = backup("first backup");
        expected.put(newest, listing);
        int killed = 0;

        for (int i = 1; i <= ITERATIONS; i++) {
            churn(random, i);
            listing = TreeListing.of(src);
            Set<String> packsBefore = packs();
            Set<Path> tmpBefore = tmpFiles();
            int draw = random.nextInt(20);
            Mode mode = draw < 8 ? Mode.EARLY : draw < 15 ? Mode.MID : Mode.LATE;
            String what = "iteration " + i + " " + mode;

            Path out = tmp.resolve("killed.out");
            Path err = tmp.resolve("killed.err");
            Process p = cairn.start(out, err, List.of(), cmd("backup", src.toString()));
            long started = System.nanoTime();
            String moment = waitForMoment(p, mode, random, packsBefore, tmpBefore);
            boolean wasAlive = p.isAlive();
            if (wasAlive) {
                p.destroyForcibly(); // SIGKILL on Linux
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(what + ": the killed backup is gone").isTrue();
            int code = p.exitValue();
            double at = (System.nanoTime() - started) / 1e9;
            // 137 = killed by SIGKILL; 0 = it ended just before the signal came (it raced the kill and won)
            assertThat(code).as(what + ": exit status\n" + Files.readString(err)).isIn(0, 128 + 9);
            wasAlive = code != 0;
            if (wasAlive) {
                killed++;
            }
            log(String.format(java.util.Locale.ROOT, "%s: %s, %s at %.2f s, %d new packs", what, moment,
                    wasAlive ? "killed" : "finished before the kill", at, packs().size() - packsBefore.size()));

            // 1. the earlier snapshots, and at most the one that was killed (the restore below opens the
            //    repository and `snapshots --json` at the end reads every snapshot file)
            Set<String> listed = snapshotFiles();
            assertThat(listed).as(what + ": every earlier snapshot is still listed").containsAll(expected.keySet());
            Set<String> extra = new HashSet<>(listed);
            extra.removeAll(expected.keySet());
            assertThat(extra).as(what + ": besides them at most the killed backup's own").hasSizeLessThanOrEqualTo(1);
            for (String id : extra) {
                log(what + ": the killed backup had written its snapshot " + id.substring(0, 8));
                expected.put(id, listing);
                newest = id;
            }
            // 2. nothing half-written in packs/
            assertPacksAreWhole(packsBefore, what);
            // 3.
            verify(what, i % 5 == 0);
            // 4. the newest earlier snapshot restores byte-identical
            assertRestoresIdentical(newest, expected.get(newest), what);
            // 5. the next backup succeeds
            String next = backup(what + ": the next backup");
            expected.put(next, listing);
            newest = next;
        }

        assertRestoresIdentical(newest, expected.get(newest), "the last snapshot");
        List<String> ids = new ArrayList<>(expected.keySet());
        assertRestoresIdentical(ids.getFirst(), expected.get(ids.getFirst()), "the first snapshot, after every kill");
        String older = ids.get(random.nextInt(ids.size()));
        assertRestoresIdentical(older, expected.get(older), "a random older snapshot, after every kill");
        assertThat(snapshotIds("the end")).as("`cairn snapshots` reads every snapshot file").isEqualTo(expected.keySet());
        verify("the end", true);
        log(killed + " of " + ITERATIONS + " backups were killed while running");
        assertThat(killed).as("most backups must really be killed mid-way, or the test tests nothing:\n" + String.join("\n", log))
                .isGreaterThanOrEqualTo(ITERATIONS / 2);
    }

    /**
     * {@code cairn verify} after every kill: the structure every time, every blob decrypted and checked
     * ({@code --read-data}) after every fifth kill and at the end. Packs are never rewritten, so the final
     * read-data pass reads every pack any iteration left behind.
     */
    private void verify(String context, boolean readData) throws Exception {
        expect(readData ? cairn.run(cmd("verify", "--read-data")) : cairn.run(cmd("verify")),
                context + (readData ? ": verify --read-data" : ": verify"));
    }

    // ------------------------------------------------------------------ the kill moment

    private String waitForMoment(Process p, Mode mode, Random random, Set<String> packsBefore, Set<Path> tmpBefore)
            throws Exception {
        switch (mode) {
            case EARLY -> {
                long delay = random.nextLong(1500);
                p.waitFor(delay, TimeUnit.MILLISECONDS);
                return "after " + delay + " ms";
            }
            case MID -> {
                long mib = 1 + random.nextLong(CHURN_MIB * CHURN_FILES - 4);
                while (p.isAlive() && largestNewTmpPack(tmpBefore) < mib << 20) {
                    p.waitFor(10, TimeUnit.MILLISECONDS);
                }
                return "when a pack in tmp/ reached " + mib + " MiB";
            }
            case LATE -> {
                // the final seal, index batch and snapshot write take tens of milliseconds: aim at them half the time
                long delay = random.nextBoolean() ? random.nextLong(20) : random.nextLong(150);
                while (p.isAlive() && packs().size() == packsBefore.size()) {
                    p.waitFor(2, TimeUnit.MILLISECONDS);
                }
                p.waitFor(delay, TimeUnit.MILLISECONDS);
                return delay + " ms after the first new pack was sealed";
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Files in tmp/ (a killed backup's unfinished pack stays there until an open finds it old enough). */
    private Set<Path> tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            return new HashSet<>(s.toList());
        }
    }

    /** The size of the largest pack the running backup is writing in tmp/. */
    private long largestNewTmpPack(Set<Path> before) {
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            return s.filter(f -> f.getFileName().toString().startsWith("pack-") && !before.contains(f)).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // sealed and renamed meanwhile
                }
            }).max().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    private Set<String> packs() throws IOException {
        try (Stream<Path> s = Files.walk(repo.resolve("packs"))) {
            return new HashSet<>(s.filter(Files::isRegularFile).map(f -> repo.relativize(f).toString()).toList());
        }
    }

    // ------------------------------------------------------------------ checks

    private void assertPacksAreWhole(Set<String> before, String what) throws IOException, NoSuchAlgorithmException {
        Set<String> now = packs();
        now.removeAll(before);
        for (String rel : now) {
            Path f = repo.resolve(rel);
            String name = f.getFileName().toString();
            assertThat(name).as(what + ": pack file name").matches("[0-9a-f]{64}\\.pack");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
            assertThat(HexFormat.of().formatHex(sha.digest())).as(what + ": " + rel + " is whole (its SHA-256 is its name)")
                    .isEqualTo(name.substring(0, 64));
        }
    }

    private void assertRestoresIdentical(String id, List<String> listing, String what) throws IOException {
        Path target = tmp.resolve("restore");
        CairnProcess.Result r = cairn.run(cmd("restore", id.substring(0, 12), "--target", target.toString()));
        expect(r, what + ": restore of " + id.substring(0, 8));
        assertThat(TreeListing.of(target.resolve(src.toString().substring(1))))
                .as(what + ": snapshot " + id.substring(0, 8) + " restores byte-identical\n" + String.join("\n", log))
                .containsExactlyElementsOf(listing);
        deleteTree(target);
    }

    private Set<String> snapshotFiles() throws IOException {
        Path dir = repo.resolve("snapshots").resolve(TENANT);
        try (Stream<Path> s = Files.list(dir)) {
            return new HashSet<>(s.map(f -> f.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}\\.snap"))
                    .map(n -> n.substring(0, 64)).toList());
        }
    }

    private Set<String> snapshotIds(String what) {
        CairnProcess.Result r = cairn.run(cmd("snapshots", "--json"));
        expect(r, what + ": the repository opens and lists its snapshots");
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (JsonNode s : r.json().path("snapshots")) {
            ids.add(s.path("id").asText());
        }
        return ids;
    }

    private String backup(String what) {
        CairnProcess.Result r = cairn.run(cmd("backup", src.toString(), "--json"));
        expect(r, what);
        JsonNode s = r.json();
        assertThat(s.path("summary").path("errors").asLong()).as(what + "\n" + r).isZero();
        log(what + ": snapshot " + s.path("shortId").asText() + ", " + s.path("summary").path("newBytes").asLong() / (1 << 20)
                + " MiB new, " + s.path("summary").path("seconds").asDouble() + " s");
        return s.path("id").asText();
    }

    // ------------------------------------------------------------------ the changing tree

    /** New content in the churn files and a few small changes, so every backup has new packs to write. */
    private void churn(Random random, int round) throws IOException {
        for (int f = 0; f < CHURN_FILES; f++) {
            SampleTree.random(src.resolve("churn/part-" + f + ".bin"), (long) CHURN_MIB << 20, random.nextLong());
        }
        Files.createDirectories(src.resolve("added"));
        Files.writeString(src.resolve("added/round-" + round + ".txt"), "round " + round + "\n");
        Files.deleteIfExists(src.resolve("added/round-" + (round - 3) + ".txt"));
        Files.setLastModifiedTime(src.resolve("docs/letters.txt"), FileTime.from(Instant.ofEpochSecond(1_700_000_000L + round)));
        Files.setPosixFilePermissions(src.resolve("docs/db.sql"), java.nio.file.attribute.PosixFilePermissions.fromString(
                round % 2 == 0 ? "rw-r-----" : "rw-------"));
    }

    // ------------------------------------------------------------------ helpers

    private String[] cmd(String command, String... rest) {
        List<String> a = new ArrayList<>(List.of(command.split(" ")));
        a.addAll(List.of(opts));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    private void expect(CairnProcess.Result r, String what) {
        assertThat(r.code()).as(what + "\n" + r + "\n--- log\n" + String.join("\n", log)).isZero();
    }

    private void log(String line) {
        log.add(line);
        System.out.println("kill-test: " + line);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
