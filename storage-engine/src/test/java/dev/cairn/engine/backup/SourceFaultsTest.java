package dev.cairn.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.engine.testing.SnapshotNodes;
import dev.cairn.engine.testing.ThreadCapabilities;
import dev.cairn.engine.testing.TreeListing;
import dev.cairn.engine.tree.Node;
import dev.cairn.hsm.KeyVaultException;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a live clinic server does to a backup: files it may not read, files that change or vanish
 * mid-read, FIFOs, sockets, devices, paths longer than PATH_MAX, names that are not UTF-8. Each must be
 * recorded in the snapshot (or counted) without a crash, and the rest of the tree must be intact.
 */
class SourceFaultsTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path src;

    @TempDir
    Path work;

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a python3 script in {@code dir} with {@code args}; returns its stdout (stderr goes to the test log). */
    private static String python(Path dir, String script, List<String> args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("python3 exit").isZero();
        return out;
    }

    private static Backup.Options options(Path src, Backup.Progress progress) {
        return new Backup.Options("clinic-a", List.of(src), Set.of(), "test", "auto", progress);
    }

    @Test
    void unreadableFilesAndDirectoriesAreRecordedAsIncompleteAndTheRestIsStored() throws Exception {
        Files.write(src.resolve("ok.txt"), "readable\n".getBytes());
        Path secret = src.resolve("locked.bin");
        Files.write(secret, random(10_000, 1));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        Path closedDir = Files.createDirectory(src.resolve("closed"));
        Files.write(closedDir.resolve("inside.txt"), "x".getBytes());
        Files.setPosixFilePermissions(closedDir, PosixFilePermissions.fromString("---------"));
        try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
            // as root the permission bits do not apply; without the DAC capabilities they do, as for a
            // backup agent running as a service account
            Snapshot s = ThreadCapabilities.withoutDacOverride(() -> Backup.run(fx.repo, options(src, null)));
            assertThat(s.summary().errors()).isEqualTo(2);
            Map<String, Node> nodes = SnapshotNodes.of(fx.repo, "clinic-a", s);
            Node locked = nodes.get(src + "/locked.bin");
            assertThat(locked.incomplete()).isTrue();
            assertThat(locked.error()).isEqualTo("cannot read: EACCES").doesNotContain("locked");
            assertThat(locked.size()).isEqualTo(10_000);
            Node closed = nodes.get(src + "/closed");
            assertThat(closed.incomplete()).isTrue();
            assertThat(closed.error()).isEqualTo("cannot read directory: EACCES");
            assertThat(nodes.get(src + "/ok.txt").incomplete()).isFalse();

            // the readable file restores; the unreadable one is restored as what we know (empty, its mode)
            Path target = work.resolve("restore");
            Restore.run(fx.repo, new Restore.Options("clinic-a", s.id(), target, List.of(), false, null));
            Path back = target.resolve(src.toString().substring(1));
            assertThat(Files.readString(back.resolve("ok.txt"))).isEqualTo("readable\n");

            // the next backup with the capabilities reads it (an incomplete node is never reused)
            Snapshot s2 = Backup.run(fx.repo, options(src, null));
            assertThat(s2.summary().errors()).isZero();
            assertThat(SnapshotNodes.of(fx.repo, "clinic-a", s2).get(src + "/locked.bin").incomplete()).isFalse();
        }
    }

    @Test
    void aFileThatGrowsWhileBeingReadIsMarkedChangedAndTheNextBackupReadsItAgain() throws Exception {
        Path log = src.resolve("growing.log");
        Files.write(log, random(24 << 20, 2));
        Files.write(src.resolve("steady.txt"), "steady".getBytes());
        AtomicBoolean appended = new AtomicBoolean();
        // runs on the reader thread between two reads of the same file
        Backup.afterRead = read -> {
            if (read < (24 << 20) && appended.compareAndSet(false, true)) {
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
                    f.seek(f.length());
                    f.write(random(4096, 3));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
            Snapshot s;
            try {
                s = Backup.run(fx.repo, options(src, null));
            } finally {
                Backup.afterRead = null;
            }
            assertThat(appended).isTrue();
            assertThat(s.summary().errors()).isEqualTo(1);
            Node n = SnapshotNodes.of(fx.repo, "clinic-a", s).get(src + "/growing.log");
            assertThat(n.incomplete()).isTrue();
            assertThat(n.error()).isEqualTo("changed while being backed up");

            Snapshot s2 = Backup.run(fx.repo, options(src, null));
            Node again = SnapshotNodes.of(fx.repo, "clinic-a", s2).get(src + "/growing.log");
            assertThat(again.incomplete()).isFalse();
            assertThat(again.size()).isEqualTo((24 << 20) + 4096);
            assertThat(s2.summary().bytesRead()).isEqualTo((24 << 20) + 4096);
        }
    }

    @Test
    void aFileThatVanishesAfterTheListingIsCountedAndTheBackupCompletes() throws Exception {
        Files.write(src.resolve("a-first.bin"), random(12 << 20, 4));
        Path gone = src.resolve("z-gone.txt");
        Files.write(gone, "short-lived".getBytes());
        AtomicBoolean deleted = new AtomicBoolean();
        // runs after src is listed and before its entries are examined
        Backup.afterListing = () -> {
            if (deleted.compareAndSet(false, true)) {
                try {
                    Files.delete(gone);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
            Snapshot s;
            try {
                s = Backup.run(fx.repo, options(src, null));
            } finally {
                Backup.afterListing = null;
            }
            assertThat(deleted).isTrue();
            Map<String, Node> nodes = SnapshotNodes.of(fx.repo, "clinic-a", s);
            assertThat(nodes.get(src + "/a-first.bin").incomplete()).isFalse();
            // it was listed, then gone when its turn to be examined came: nothing to record but the count
            assertThat(nodes.keySet()).noneMatch(p -> p.endsWith("/z-gone.txt"));
            assertThat(s.summary().errors()).isEqualTo(1);
        }
    }

    @Test
    void specialFilesAreRecordedWithTheirTypeAndDeviceNumbersAndRestoredWhereTheKernelAllows() throws Exception {
        new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start().waitFor();
        try (ServerSocketChannel sock = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            sock.bind(UnixDomainSocketAddress.of(src.resolve("app.sock")));
            boolean devices = root();
            if (devices) {
                assertThat(new ProcessBuilder("mknod", src.resolve("null-twin").toString(), "c", "1", "3").start().waitFor()).isZero();
                assertThat(new ProcessBuilder("mknod", src.resolve("loopish").toString(), "b", "7", "200").start().waitFor()).isZero();
            }
            try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
                // a FIFO must not be opened (it would block the backup forever)
                Snapshot s = Backup.run(fx.repo, options(src, null));
                assertThat(s.summary().errors()).isZero();
                Map<String, Node> nodes = SnapshotNodes.of(fx.repo, "clinic-a", s);
                assertThat(nodes.get(src + "/pipe").type()).isEqualTo(Node.Type.FIFO);
                assertThat(nodes.get(src + "/app.sock").type()).isEqualTo(Node.Type.SOCKET);
                if (devices) {
                    Node c = nodes.get(src + "/null-twin");
                    assertThat(c.type()).isEqualTo(Node.Type.CHAR_DEVICE);
                    assertThat(c.rdev()).isEqualTo((1L << 8) | 3);
                    assertThat(nodes.get(src + "/loopish").type()).isEqualTo(Node.Type.BLOCK_DEVICE);
                }
                Path target = work.resolve("restore");
                Restore.Result r = Restore.run(fx.repo, new Restore.Options("clinic-a", s.id(), target, List.of(), false, null));
                Path back = target.resolve(src.toString().substring(1));
                assertThat(Files.isRegularFile(back.resolve("pipe"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
                assertThat(Files.getAttribute(back.resolve("pipe"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                        .isEqualTo(Files.getAttribute(src.resolve("pipe"), "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS));
                assertThat(r.skipped()).singleElement().asString().contains("app.sock").contains("socket");
                if (devices) {
                    assertThat(Files.getAttribute(back.resolve("null-twin"), "unix:rdev"))
                            .isEqualTo(Files.getAttribute(src.resolve("null-twin"), "unix:rdev"));
                }
            }
        }
    }

    @Test
    void pathsBeyondPathMaxAndNamesThatAreNotUtf8RoundTrip() throws Exception {
        // 24 levels of 200-byte names: about 4,800 bytes, beyond PATH_MAX (4096), so only a
        // descriptor-relative walk reaches the bottom; java.nio cannot make it (ENAMETOOLONG), a shell
        // walking down with relative cd can
        List<String> levels = java.util.stream.IntStream.range(0, 24).mapToObj(i -> String.format("%03d-", i) + "d".repeat(196)).toList();
        String rel = "/" + String.join("/", levels);
        // python's os.mkdir/open with dir_fd walk down by descriptor, as the backup does
        assertThat(python(src, "import os,sys\nfd=os.open('.',os.O_RDONLY)\nfor n in sys.argv[1:]:\n"
                + " os.mkdir(n,dir_fd=fd); fd=os.open(n,os.O_RDONLY|os.O_DIRECTORY,dir_fd=fd)\n"
                + "f=os.open('leaf.txt',os.O_WRONLY|os.O_CREAT,0o644,dir_fd=fd); os.write(f,b'bottom')\n", levels)).isEmpty();
        // names with bytes that are not UTF-8, a newline, a backslash and an escape character
        byte[][] odd = {{'a', (byte) 0xff, 'b'}, {(byte) 0xc3, (byte) 0x28}, {'n', '\n', 'l'}, {'b', '\\', 's'}, {'e', 0x1b, '['}};
        for (byte[] name : odd) {
            String shellEscaped = new String(name, StandardCharsets.ISO_8859_1);
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", "printf 'content' > \"$(printf \"$N\")\"");
            StringBuilder printf = new StringBuilder();
            for (byte b : name) {
                printf.append(String.format("\\%03o", b & 0xff));
            }
            pb.environment().put("N", printf.toString());
            assertThat(pb.directory(src.toFile()).start().waitFor()).as(shellEscaped).isZero();
        }
        try (Stream<Path> s = Files.list(src)) {
            assertThat(s.count()).isEqualTo(1 + odd.length);
        }
        try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
            Snapshot s = Backup.run(fx.repo, options(src, null));
            assertThat(s.summary().errors()).isZero();
            Map<String, Node> nodes = SnapshotNodes.of(fx.repo, "clinic-a", s);
            assertThat(nodes.keySet()).anyMatch(p -> p.endsWith(rel + "/leaf.txt"));
            Path target = work.resolve("restore");
            Restore.Result r = Restore.run(fx.repo, new Restore.Options("clinic-a", s.id(), target, List.of(), false, null));
            assertThat(r.skipped()).isEmpty();
            Path back = target.resolve(src.toString().substring(1));
            assertThat(TreeListing.of(back)).containsExactlyElementsOf(TreeListing.of(src));
            // the bottom file's bytes, read with the same descriptor walk in the restored tree
            assertThat(python(back, "import os,sys\nfd=os.open('.',os.O_RDONLY)\nfor n in sys.argv[1:]:\n"
                    + " fd=os.open(n,os.O_RDONLY|os.O_DIRECTORY,dir_fd=fd)\n"
                    + "print(os.read(os.open('leaf.txt',os.O_RDONLY,dir_fd=fd),100).decode(),end='')\n", levels)).isEqualTo("bottom");
        } finally {
            // JUnit's @TempDir cleanup cannot delete beyond PATH_MAX; rmtree walks by descriptor
            for (Path top : List.of(src.resolve(levels.getFirst()), work.resolve("restore"))) {
                python(top.getParent(), "import shutil,sys\nshutil.rmtree(sys.argv[1],ignore_errors=True)\n",
                        List.of(top.getFileName().toString()));
            }
        }
    }

    @Test
    void twoHundredThousandSmallFilesAreAllRecordedAndTheNextBackupReadsNone() throws Exception {
        int dirs = Integer.getInteger("cairn.smallFilesDirs", 200);
        int per = 1000;
        long t0 = System.nanoTime();
        for (int d = 0; d < dirs; d++) {
            Path dir = Files.createDirectory(src.resolve(String.format("d%03d", d)));
            for (int f = 0; f < per; f++) {
                Files.write(dir.resolve(String.format("f%04d.txt", f)), ("record " + d + "/" + f + "\n").getBytes());
            }
        }
        System.out.printf("created %d files in %.1f s%n", dirs * per, (System.nanoTime() - t0) / 1e9);
        try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
            Snapshot s = Backup.run(fx.repo, options(src, null));
            System.out.printf("backup 1: %.1f s, backup+list %.1f s%n", s.summary().seconds(), (System.nanoTime() - t0) / 1e9);
            assertThat(s.summary().files()).isEqualTo(dirs * per);
            assertThat(s.summary().errors()).isZero();
            long recorded = SnapshotNodes.of(fx.repo, "clinic-a", s).values().stream().filter(n -> n.type() == Node.Type.FILE).count();
            assertThat(recorded).isEqualTo(dirs * per);
            Snapshot s2 = Backup.run(fx.repo, options(src, null));
            assertThat(s2.summary().bytesRead()).isZero();
            assertThat(s2.summary().files()).isEqualTo(dirs * per);
        }
    }

    @Test
    void withoutTheKeyVaultABackupRefusesToStartAndWritesNothing() throws Exception {
        Files.write(src.resolve("a.txt"), "a".getBytes());
        try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
            fx.repo.close();
            fx.vault.close(); // the HSM session is gone, as when the token is unplugged
            fx.repo = fx.open();
            List<Path> before;
            try (Stream<Path> w = Files.walk(fx.repoDir.resolve("packs"))) {
                before = w.toList();
            }
            assertThatThrownBy(() -> Backup.run(fx.repo, options(src, null))).isInstanceOf(KeyVaultException.class);
            try (Stream<Path> w = Files.walk(fx.repoDir.resolve("packs"))) {
                assertThat(w.toList()).containsExactlyElementsOf(before);
            }
            assertThat(fx.repo.snapshots().ids("clinic-a")).isEmpty();
        }
    }
}
