package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static dev.cairn.engine.fs.FsTesting.utf8;
import static dev.cairn.engine.fs.FsTesting.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** errno, operation and name: the message has the first two, never the name; path() has the name. */
class ErrorsTest {
    @TempDir
    Path tmp;

    /** A name that must never appear in a message. */
    static final NativeName SECRET = name("Patient-Doe-4711.pdf");

    /** Asserts the call fails with {@code errno} in {@code operation}, and that the message leaks no name. */
    FsException fails(ThrowingCallable call, int errno, String operation) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(FsException.class);
        FsException e = (FsException) t;
        assertThat(e.errno()).as(e.getMessage()).isEqualTo(errno);
        assertThat(e.operation()).isEqualTo(operation);
        assertThat(e.getMessage()).contains(Errno.name(errno)).contains(operation)
                .doesNotContain("Patient").doesNotContain("Doe").doesNotContain(tmp.toString());
        return e;
    }

    @Test
    void enoentNamesTheOperationAndKeepsTheNameAside() {
        try (Dir root = Dir.open(tmp)) {
            FsException e = fails(() -> root.stat(SECRET), Errno.ENOENT, "Dir.stat");
            assertThat(e.path()).contains(SECRET);
            assertThat(e.call()).isEqualTo("statx");
            assertThat(e.errnoName()).isEqualTo("ENOENT");
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).isEqualTo("Dir.stat: statx failed: ENOENT (No such file or directory)");
            fails(() -> root.openRead(SECRET), Errno.ENOENT, "Dir.openRead");
            fails(() -> root.openDir(SECRET), Errno.ENOENT, "Dir.openDir");
            fails(() -> root.readlink(SECRET), Errno.ENOENT, "Dir.readlink");
            fails(() -> root.xattrs(SECRET), Errno.ENOENT, "Dir.xattrs");
            fails(() -> root.unlink(SECRET), Errno.ENOENT, "Dir.unlink");
            fails(() -> root.chown(SECRET, 0, 0), Errno.ENOENT, "Dir.chown");
            fails(() -> root.setTimes(SECRET, 0L, 0L), Errno.ENOENT, "Dir.setTimes");
        }
        FsException e = fails(() -> Dir.open(tmp.resolve("Patient-Doe-4711")), Errno.ENOENT, "Dir.open");
        assertThat(e.path()).isEmpty();
    }

    @Test
    void enotdirForAFileOrASymlinkWhereADirectoryWasExpected() {
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, SECRET, new byte[0]);
            fails(() -> root.openDir(SECRET), Errno.ENOTDIR, "Dir.openDir");
            // O_DIRECTORY | O_NOFOLLOW on a symlink to a directory: the kernel answers ENOTDIR (not ELOOP)
            root.mkdir(name("real"), 0755);
            root.symlink(name("Patient-Doe-dir"), utf8("real"));
            fails(() -> root.openDir(name("Patient-Doe-dir")), Errno.ENOTDIR, "Dir.openDir");
        }
        fails(() -> Dir.open(tmp.resolve("Patient-Doe-dir")), Errno.ENOTDIR, "Dir.open");
    }

    @Test
    void eexistOnCreateMkdirAndOverADanglingSymlink() {
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, SECRET, new byte[0]);
            fails(() -> root.create(SECRET, 0600), Errno.EEXIST, "Dir.create");
            fails(() -> root.mkdir(SECRET, 0700), Errno.EEXIST, "Dir.mkdir");
            fails(() -> root.symlink(SECRET, utf8("x")), Errno.EEXIST, "Dir.symlink");
            fails(() -> root.mkfifo(SECRET, 0600), Errno.EEXIST, "Dir.mkfifo");
            fails(() -> root.link(root, SECRET, SECRET), Errno.EEXIST, "Dir.link");
            // O_EXCL: a dangling symlink is not followed to create its target
            root.symlink(name("Patient-Doe-link"), utf8("Patient-Doe-target"));
            fails(() -> root.create(name("Patient-Doe-link"), 0600), Errno.EEXIST, "Dir.create");
            assertThat(root.list()).doesNotContain(name("Patient-Doe-target"));
        }
    }

    @Test
    void eloopOnOpenReadOfASymlink() {
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("target"), utf8("content"));
            root.symlink(SECRET, utf8("target"));
            FsException e = fails(() -> root.openRead(SECRET), Errno.ELOOP, "Dir.openRead");
            assertThat(e.getMessage()).contains("symbolic link");
            assertThat(e.path()).contains(SECRET);
        }
    }

    @Test
    void enametoolongEnotemptyAndEisdir() {
        byte[] longName = new byte[256];
        Arrays.fill(longName, (byte) 'P');
        try (Dir root = Dir.open(tmp)) {
            fails(() -> root.create(NativeName.of(longName), 0600), Errno.ENAMETOOLONG, "Dir.create");
            root.mkdir(SECRET, 0700);
            try (Dir d = root.openDir(SECRET)) {
                writeFile(d, name("x"), new byte[0]);
            }
            fails(() -> root.rmdir(SECRET), Errno.ENOTEMPTY, "Dir.rmdir");
            fails(() -> root.unlink(SECRET), Errno.EISDIR, "Dir.unlink");
        }
    }

    @Test
    void eaccesForAnUnprivilegedUser() {
        assumeFalse(FsTesting.isRoot(), "root bypasses permission checks (CAP_DAC_OVERRIDE)");
        try (Dir root = Dir.open(tmp)) {
            root.mkdir(SECRET, 0700);
            root.chmod(SECRET, 0);
            try {
                fails(() -> root.openDir(SECRET), Errno.EACCES, "Dir.openDir");
            } finally {
                root.chmod(SECRET, 0700);
            }
        }
    }

    @Test
    void closedHandlesRefuseUseAndCloseTwiceIsHarmless() {
        Dir root = Dir.open(tmp);
        writeFile(root, name("f"), new byte[0]);
        OpenFile f = root.openRead(name("f"));
        f.close();
        f.close();
        assertThatThrownBy(() -> f.stat()).isInstanceOf(IllegalStateException.class);
        root.close();
        root.close();
        assertThatThrownBy(root::list).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> root.stat(name("f"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> root.xattrs(name("f"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void errnoNamesAndRetryableClass() {
        assertThat(Errno.name(Errno.ENOTSUP)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.name(999)).isEqualTo("errno 999");
        assertThat(new FsException("op", "read", Errno.EINTR, null).retryable()).isTrue();
        assertThat(new FsException("op", "read", Errno.EIO, null).retryable()).isFalse();
        assertThat(new FsException("op", "read", Errno.ENOSPC, null).getMessage())
                .isEqualTo("op: read failed: ENOSPC (No space left on device)");
    }
}
