package dev.cairn.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.testing.TreeListing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk full (issue 3, "Faults: each is a test"): the repository on a 64 MiB ext4 image, a backup of more
 * than fits. The backup fails with an error that names the full disk (ENOSPC) and says what to do; packs/
 * holds only whole packs and tmp/ no unfinished one; the repository opens, the earlier snapshot restores
 * byte-identical, and a backup that fits succeeds. Needs root and a loop device (mount -o loop); without
 * them the test is skipped and says why. The image is unmounted and detached whatever happens.
 */
class DiskFullTest {
    @TempDir
    Path tmp;

    @Test
    void aBackupThatFillsTheDiskFailsClearlyAndTheRepositoryStaysConsistent() throws Exception {
        assumeTrue(SampleTree.ROOT, "disk-full test skipped: mounting a loop-device ext4 image needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs.ext4")) || Files.isExecutable(Path.of("/sbin/mkfs.ext4")),
                "disk-full test skipped: mkfs.ext4 is not installed (Debian package e2fsprogs)");
        Path image = tmp.resolve("disk.img");
        Path mnt = tmp.resolve("mnt");
        Files.createDirectories(mnt);
        sh("truncate", "-s", "64M", image.toString());
        sh("mkfs.ext4", "-q", image.toString());
        Run loop = run("losetup", "--find", "--show", image.toString());
        assumeTrue(loop.code() == 0, "disk-full test skipped: no loop device available (losetup: " + loop.out().strip() + ")");
        String device = loop.out().strip();
        boolean mounted = false;
        Throwable failure = null;
        try {
            Run mount = run("mount", device, mnt.toString());
            assumeTrue(mount.code() == 0, "disk-full test skipped: cannot mount " + device + ": " + mount.out().strip());
            mounted = true;
            fillTheDisk(mnt);
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            Run umount = new Run(0, "");
            if (mounted) {
                umount = run("umount", mnt.toString());
                for (int i = 0; i < 50 && umount.code() != 0; i++) {
                    Thread.sleep(100); // a CLI process stopped by a failed assertion may still be letting go
                    umount = run("umount", mnt.toString());
                }
            }
            Run detach = run("losetup", "-d", device);
            String cleanup = (umount.code() == 0 ? "" : "umount " + mnt + " failed: " + umount.out())
                    + (detach.code() == 0 ? "" : " losetup -d " + device + " failed: " + detach.out());
            if (!cleanup.isEmpty()) {
                AssertionError e = new AssertionError(cleanup.strip());
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e); // keep the first failure in front
            }
        }
    }

    private void fillTheDisk(Path mnt) throws Exception {
        CairnProcess cairn = new CairnProcess(tmp, Duration.ofSeconds(180));
        Path repo = mnt.resolve("repo");
        String[] opts = {"--repo", repo.toString(), "--hsm", tmp.resolve("token/hsm.conf").toString()};
        expect(cairn.run("keys", "init-softhsm", tmp.resolve("token").toString()));
        expect(cairn.run(cmd(opts, "repo", "init")));
        expect(cairn.run(cmd(opts, "repo", "add-tenant", "--tenant", "clinic-a")));

        Path small = tmp.resolve("small");
        SampleTree.random(small.resolve("scan.img"), 4 << 20, 1);
        SampleTree.text(small.resolve("notes.sql"), 1 << 20, 2);
        List<String> smallListing = TreeListing.of(small);
        CairnProcess.Result first = cairn.run(cmd(opts, "backup", small.toString(), "--json"));
        expect(first);
        String s1 = first.json().path("id").asText();

        Path big = tmp.resolve("big");
        for (int i = 0; i < 5; i++) {
            SampleTree.random(big.resolve("image-" + i + ".raw"), 16 << 20, 10 + i);
        }
        CairnProcess.Result full = cairn.run(cmd(opts, "backup", big.toString()));

        assertThat(full.code()).as(full.toString()).isEqualTo(1);
        assertThat(full.err()).contains("disk is full").contains("ENOSPC").contains("No snapshot was written")
                .contains("Free space").contains(repo.toString());
        assertThat(full.out()).isEmpty();
        assertPacksAreWholeAndTmpHasNoPack(repo);

        JsonNode listed = cairn.run(cmd(opts, "snapshots", "--json")).json();
        assertThat(listed.path("snapshots").size()).as(listed.toPrettyString()).isEqualTo(1);
        assertThat(listed.path("snapshots").get(0).path("id").asText()).isEqualTo(s1);
        Path target = tmp.resolve("restore");
        expect(cairn.run(cmd(opts, "restore", s1.substring(0, 8), "--target", target.toString())));
        assertThat(TreeListing.of(target.resolve(small.toString().substring(1)))).containsExactlyElementsOf(smallListing);

        // the failed pack was removed, so the space is back: a backup that fits goes through
        Files.writeString(small.resolve("new.txt"), "after the disk was full\n");
        CairnProcess.Result after = cairn.run(cmd(opts, "backup", small.toString(), "--json"));
        expect(after);
        assertThat(after.json().path("parent").asText()).isEqualTo(s1);
        assertPacksAreWholeAndTmpHasNoPack(repo);
    }

    private static void assertPacksAreWholeAndTmpHasNoPack(Path repo) throws Exception {
        try (Stream<Path> s = Files.walk(repo.resolve("packs"))) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertThat(name).as("only sealed packs in packs/").matches("[0-9a-f]{64}\\.pack");
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(f)) {
                    byte[] buf = new byte[1 << 20];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                    }
                }
                assertThat(HexFormat.of().formatHex(sha.digest())).as(f + " is whole").isEqualTo(name.substring(0, 64));
            }
        }
        try (Stream<Path> s = Files.list(repo.resolve("tmp"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("pack-")).toList())
                    .as("the unfinished pack is removed from tmp/").isEmpty();
        }
    }

    private static String[] cmd(String[] opts, String... words) {
        List<String> a = new ArrayList<>(List.of(words));
        int at = words[0].equals("repo") ? 2 : 1;
        a.addAll(at, List.of(opts));
        return a.toArray(String[]::new);
    }

    private static void expect(CairnProcess.Result r) {
        assertThat(r.code()).as(r.toString()).isZero();
    }

    record Run(int code, String out) {
    }

    private static Run run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Run r = run(cmd);
        assertThat(r.code()).as(String.join(" ", cmd) + ": " + r.out()).isZero();
    }
}
