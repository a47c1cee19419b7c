package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static dev.cairn.engine.fs.FsTesting.readFile;
import static dev.cairn.engine.fs.FsTesting.utf8;
import static dev.cairn.engine.fs.FsTesting.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every inode type, seen by stat and made by the restore side; hardlinks. */
class FileTypesTest {
    @TempDir
    Path tmp;

    @Test
    void regularFileAndDirectory() throws Exception {
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("f"), utf8("hello"));
            root.mkdir(name("d"), 0750);
            FileStat f = root.stat(name("f"));
            FileStat d = root.stat(name("d"));
            assertThat(f.type()).isEqualTo(FileType.FILE);
            assertThat(f.size()).isEqualTo(5);
            assertThat(f.nlink()).isEqualTo(1);
            assertThat(d.type()).isEqualTo(FileType.DIRECTORY);
            // inode and st_dev agree with what java.nio reads through its own stat
            assertThat(f.inode()).isEqualTo(Files.getAttribute(tmp.resolve("f"), "unix:ino"));
            assertThat(f.dev()).isEqualTo(Files.getAttribute(tmp.resolve("f"), "unix:dev"));
            assertThat(d.dev()).isEqualTo(f.dev());
            try (Dir sub = root.openDir(name("d"))) {
                assertThat(sub.stat().inode()).isEqualTo(d.inode());
            }
        }
    }

    @Test
    void symlinkTargetBytesAreExactEvenWhenDangling() throws Exception {
        byte[] target = {'.', '.', '/', 'n', 'o', 'w', 'h', 'e', 'r', 'e', '/', (byte) 0xff, '\n', 'x'};
        byte[] longTarget = new byte[3000];
        java.util.Arrays.fill(longTarget, (byte) 'a');
        for (int i = 100; i < longTarget.length; i += 100) {
            longTarget[i] = '/';
        }
        try (Dir root = Dir.open(tmp)) {
            root.symlink(name("link"), target);
            root.symlink(name("long"), longTarget);
            FileStat st = root.stat(name("link"));
            assertThat(st.type()).isEqualTo(FileType.SYMLINK);
            assertThat(st.size()).isEqualTo(target.length);
            assertThat(root.readlink(name("link"))).containsExactly(target);
            assertThat(root.readlink(name("long"))).containsExactly(longTarget); // past the first 256-byte buffer
            assertThat(Files.isSymbolicLink(tmp.resolve("link"))).isTrue();
            assertThat(Files.exists(tmp.resolve("link"))).isFalse(); // it dangles
        }
    }

    @Test
    void fifoIsMadeSeenAndOpenedWithoutBlocking() {
        try (Dir root = Dir.open(tmp)) {
            root.mkfifo(name("fifo"), 0640);
            assertThat(root.stat(name("fifo")).type()).isEqualTo(FileType.FIFO);
            assertThat(root.stat(name("fifo")).mode()).isEqualTo(0640 & ~umask());
            // O_NONBLOCK: a FIFO that took the place of a file does not hang the backup (no writer here)
            try (OpenFile f = root.openRead(name("fifo"))) {
                assertThat(f.stat().type()).isEqualTo(FileType.FIFO);
                // positional reads make no sense on a pipe: the caller checks the type first
                assertThatThrownBy(() -> f.read(0, new byte[10], 0, 10))
                        .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errnoName()).isEqualTo("ESPIPE"));
            }
            root.mknod(name("fifo2"), FileType.FIFO, 0600, 0);
            assertThat(root.stat(name("fifo2")).type()).isEqualTo(FileType.FIFO);
        }
    }

    @Test
    void socketBoundByJavaIsSeenAsSocketAndMknodMakesOne() throws Exception {
        Path sock = tmp.resolve("s.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
            try (Dir root = Dir.open(tmp)) {
                assertThat(root.stat(name("s.sock")).type()).isEqualTo(FileType.SOCKET);
                root.mknod(name("restored.sock"), FileType.SOCKET, 0600, 0);
                assertThat(root.stat(name("restored.sock")).type()).isEqualTo(FileType.SOCKET);
                assertThat(Files.getAttribute(tmp.resolve("restored.sock"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                        .isEqualTo(0140600 & ~umask());
            }
        }
    }

    @Test
    void characterAndBlockDevicesKeepMajorAndMinor() throws Exception {
        assumeTrue(FsTesting.isRoot(), "mknod of devices needs CAP_MKNOD");
        long nullDev = FileStat.makedev(1, 3);
        long loopDev = FileStat.makedev(7, 0);
        // the kernel keeps 12 bits of major and 20 of minor (MAJOR < 4096 or mknod says EINVAL); a minor
        // above 255 needs glibc's high minor bits
        long bigDev = FileStat.makedev(4095, (1 << 20) - 1);
        try (Dir root = Dir.open(tmp)) {
            root.mknod(name("null"), FileType.CHAR_DEVICE, 0666, nullDev);
            root.mknod(name("loop"), FileType.BLOCK_DEVICE, 0660, loopDev);
            root.mknod(name("big"), FileType.CHAR_DEVICE, 0600, bigDev);
            FileStat c = root.stat(name("null"));
            FileStat b = root.stat(name("loop"));
            FileStat big = root.stat(name("big"));
            assertThat(c.type()).isEqualTo(FileType.CHAR_DEVICE);
            assertThat(c.rdevMajor()).isEqualTo(1);
            assertThat(c.rdevMinor()).isEqualTo(3);
            assertThat(b.type()).isEqualTo(FileType.BLOCK_DEVICE);
            assertThat(b.rdev()).isEqualTo(loopDev);
            assertThat(big.rdevMajor()).isEqualTo(4095);
            assertThat(big.rdevMinor()).isEqualTo((1 << 20) - 1);
            // st_rdev as java.nio reads it (glibc's dev_t encoding)
            assertThat(Files.getAttribute(tmp.resolve("null"), "unix:rdev")).isEqualTo(nullDev);
            assertThat(Files.getAttribute(tmp.resolve("big"), "unix:rdev")).isEqualTo(bigDev);
        }
    }

    @Test
    void makedevMatchesGlibcForAll32BitMajorsAndMinors() {
        // glibc's gnu_dev_makedev(0x12345678, 0x9abcdef0), computed by hand from sysmacros.h
        long dev = FileStat.makedev(0x12345678, 0x9abcdef0);
        assertThat(dev).isEqualTo(0x1234_59ab_cde6_78f0L);
        assertThat(FileStat.major(dev)).isEqualTo(0x12345678);
        assertThat(FileStat.minor(dev)).isEqualTo(0x9abcdef0);
        assertThat(FileStat.makedev(8, 1)).isEqualTo(0x801L);
    }

    @Test
    void hardlinksShareTheInode() {
        try (Dir root = Dir.open(tmp)) {
            root.mkdir(name("other"), 0755);
            writeFile(root, name("a"), utf8("shared"));
            root.link(root, name("a"), name("b"));
            try (Dir other = root.openDir(name("other"))) {
                other.link(root, name("a"), name("c"));
                assertThat(other.stat(name("c")).inode()).isEqualTo(root.stat(name("a")).inode());
            }
            FileStat a = root.stat(name("a"));
            FileStat b = root.stat(name("b"));
            assertThat(b.inode()).isEqualTo(a.inode());
            assertThat(a.nlink()).isEqualTo(3);
            assertThat(readFile(root, name("b"))).containsExactly(utf8("shared"));
            // a hard link to a symlink links the symlink itself (linkat flags 0)
            root.symlink(name("sl"), utf8("nowhere"));
            root.link(root, name("sl"), name("sl2"));
            assertThat(root.stat(name("sl2")).type()).isEqualTo(FileType.SYMLINK);
            assertThat(root.stat(name("sl2")).inode()).isEqualTo(root.stat(name("sl")).inode());
        }
    }

    @Test
    void mknodRefusesDirectoriesAndSymlinks() {
        try (Dir root = Dir.open(tmp)) {
            assertThatThrownBy(() -> root.mknod(name("x"), FileType.DIRECTORY, 0755, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> root.mknod(name("x"), FileType.SYMLINK, 0777, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> root.mkdir(name("x"), 0100755)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    static int umask() {
        try {
            return Integer.parseInt(FsTesting.run(java.util.List.of("sh", "-c", "umask")).strip(), 8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
