package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static dev.cairn.engine.fs.FsTesting.run;
import static dev.cairn.engine.fs.FsTesting.utf8;
import static dev.cairn.engine.fs.FsTesting.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The immutable attribute through FS_IOC_GETFLAGS / FS_IOC_SETFLAGS, checked against lsattr and against
 * what the kernel then refuses. Needs root (CAP_LINUX_IMMUTABLE) and a file system with inode flags
 * (ext4 here); skipped otherwise.
 */
class ImmutableTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void needsRootAndInodeFlags() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for CAP_LINUX_IMMUTABLE");
        Path probe = tmp.resolve("probe");
        Files.write(probe, new byte[0]);
        try (Dir d = Dir.open(tmp)) {
            assumeTrue(d.immutable(name("probe")) != ImmutableState.UNSUPPORTED, "the temp file system has no inode flags");
        }
        Files.delete(probe);
    }

    @AfterEach
    void lift() throws Exception {
        // @TempDir cannot delete immutable files; chattr complains about symlinks and FIFOs, so no exit check
        new ProcessBuilder("chattr", "-R", "-f", "-i", tmp.toString()).redirectErrorStream(true).start().waitFor();
    }

    static String lsattr(Path p) throws Exception {
        return run(List.of("lsattr", "-d", p.toString())).split("\\s+")[0];
    }

    @Test
    void setIsWhatLsattrShowsAndTheKernelThenRefusesWritesAndUnlinks() throws Exception {
        try (Dir d = Dir.open(tmp)) {
            NativeName f = name("Patient-Doe.pack");
            writeFile(d, f, utf8("sealed"));
            assertThat(d.immutable(f)).isEqualTo(ImmutableState.CLEAR);
            assertThat(lsattr(tmp.resolve("Patient-Doe.pack"))).doesNotContain("i");

            assertThat(d.setImmutable(f, true)).isEqualTo(ImmutableState.SET);
            assertThat(lsattr(tmp.resolve("Patient-Doe.pack"))).contains("i");
            assertThat(d.immutable(f)).isEqualTo(ImmutableState.SET);
            assertThat(d.setImmutable(f, true)).as("idempotent").isEqualTo(ImmutableState.SET);

            // root cannot write, append, rename or unlink it; reading works
            Throwable write = catchThrowable(() -> Files.write(tmp.resolve("Patient-Doe.pack"), utf8("x")));
            assertThat(write).isInstanceOf(FileSystemException.class).hasMessageContaining("Operation not permitted");
            FsException unlink = (FsException) catchThrowable(() -> d.unlink(f));
            assertThat(unlink.errno()).isEqualTo(Errno.EPERM);
            assertThat(unlink.getMessage()).doesNotContain("Patient");
            FsException rename = (FsException) catchThrowable(() -> d.rename(f, name("other")));
            assertThat(rename.errno()).isEqualTo(Errno.EPERM);
            assertThat(FsTesting.readFile(d, f)).isEqualTo(utf8("sealed"));

            assertThat(d.setImmutable(f, false)).isEqualTo(ImmutableState.CLEAR);
            assertThat(lsattr(tmp.resolve("Patient-Doe.pack"))).doesNotContain("i");
            d.unlink(f);
            assertThat(Files.exists(tmp.resolve("Patient-Doe.pack"))).isFalse();
        }
    }

    @Test
    void otherFlagsAreKept() throws Exception {
        Path p = tmp.resolve("f");
        Files.write(p, utf8("x"));
        run(List.of("chattr", "+A", p.toString())); // no atime updates: another inode flag
        try (Dir d = Dir.open(tmp)) {
            assertThat(d.setImmutable(name("f"), true)).isEqualTo(ImmutableState.SET);
            assertThat(lsattr(p)).contains("i").contains("A");
            assertThat(d.setImmutable(name("f"), false)).isEqualTo(ImmutableState.CLEAR);
            assertThat(lsattr(p)).doesNotContain("i").contains("A");
        }
    }

    @Test
    void aDirectoryRefusesNewEntriesWhileSet() throws Exception {
        Files.createDirectory(tmp.resolve("d"));
        try (Dir d = Dir.open(tmp)) {
            assertThat(d.setImmutable(name("d"), true)).isEqualTo(ImmutableState.SET);
            assertThat(lsattr(tmp.resolve("d"))).contains("i");
            try (Dir sub = d.openDir(name("d"))) {
                FsException e = (FsException) catchThrowable(() -> sub.create(name("new"), 0600));
                assertThat(e.errno()).isEqualTo(Errno.EPERM);
            }
            assertThat(d.setImmutable(name("d"), false)).isEqualTo(ImmutableState.CLEAR);
        }
    }

    @Test
    void symlinksAndSpecialFilesAreNotTouchedAndNotFollowed() throws Exception {
        Files.write(tmp.resolve("target"), utf8("x"));
        Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("target"));
        run(List.of("mkfifo", tmp.resolve("fifo").toString()));
        try (Dir d = Dir.open(tmp)) {
            assertThat(d.setImmutable(name("link"), true)).isEqualTo(ImmutableState.UNSUPPORTED);
            assertThat(d.immutable(name("target"))).as("the link was not followed").isEqualTo(ImmutableState.CLEAR);
            assertThat(d.setImmutable(name("fifo"), true)).isEqualTo(ImmutableState.UNSUPPORTED);
            assertThat(d.immutable(name("fifo"))).isEqualTo(ImmutableState.UNSUPPORTED);
        }
    }

    @Test
    void aFileSystemWithoutInodeFlagsIsUnsupportedNotAnError() throws Exception {
        // procfs answers the flag ioctls with EOPNOTSUPP/ENOTTY (lsattr: "Operation not supported")
        try (Dir proc = Dir.open(Path.of("/proc/self").toRealPath())) {
            assertThat(proc.immutable(name("status"))).isEqualTo(ImmutableState.UNSUPPORTED);
            assertThat(proc.setImmutable(name("status"), true)).isEqualTo(ImmutableState.UNSUPPORTED);
        }
    }

    @Test
    void aMissingNameIsAnErrorWithoutTheName() {
        try (Dir d = Dir.open(tmp)) {
            FsException e = (FsException) catchThrowable(() -> d.setImmutable(name("Patient-Doe"), true));
            assertThat(e.errno()).isEqualTo(Errno.ENOENT);
            assertThat(e.operation()).isEqualTo("Dir.setImmutable");
            assertThat(e.getMessage()).doesNotContain("Patient");
        }
    }

    @Test
    void noDescriptorStaysOpenOnSuccessOrFailure() throws Exception {
        Files.createSymbolicLink(tmp.resolve("l"), tmp.resolve("nowhere"));
        try (Dir d = Dir.open(tmp)) {
            writeFile(d, name("f"), utf8("x"));
            int before = openDescriptors();
            for (int i = 0; i < 200; i++) {
                d.setImmutable(name("f"), i % 2 == 0);
                d.immutable(name("f"));
                d.setImmutable(name("l"), true);
                catchThrowable(() -> d.immutable(name("missing")));
            }
            d.setImmutable(name("f"), false);
            assertThat(openDescriptors()).isEqualTo(before);
        }
    }

    /** Entries in /proc/self/fd (including the listing's own descriptor each time). */
    private static int openDescriptors() {
        try (Dir fds = Dir.open(Path.of("/proc/self/fd"))) {
            return fds.list().size();
        }
    }
}
