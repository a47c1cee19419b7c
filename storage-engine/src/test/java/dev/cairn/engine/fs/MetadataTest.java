package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static dev.cairn.engine.fs.FsTesting.utf8;
import static dev.cairn.engine.fs.FsTesting.writeFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owners, modes with the special bits, nanosecond times (on symlinks too), owner names. */
class MetadataTest {
    @TempDir
    Path tmp;

    @Test
    void chownToArbitraryIdsAndBackWithoutFollowingSymlinks() throws Exception {
        assumeTrue(FsTesting.isRoot(), "chown to another owner needs CAP_CHOWN");
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("f"), new byte[0]);
            root.symlink(name("l"), utf8("f"));
            root.chown(name("f"), 12345, 23456);
            FileStat st = root.stat(name("f"));
            assertThat(st.uid()).isEqualTo(12345);
            assertThat(st.gid()).isEqualTo(23456);
            // the symlink itself changes, its target does not
            root.chown(name("l"), 4000000000L, 4000000001L); // above 2^31: unsigned all the way
            assertThat(root.stat(name("l")).uid()).isEqualTo(4000000000L);
            assertThat(root.stat(name("l")).gid()).isEqualTo(4000000001L);
            assertThat(root.stat(name("f")).uid()).isEqualTo(12345);
            assertThat(Files.getAttribute(tmp.resolve("l"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
                    .isEqualTo((int) 4000000000L);
            root.chown(name("f"), 0, 0);
            assertThat(root.stat(name("f")).uid()).isZero();
            assertThat(root.stat(name("f")).gid()).isZero();
        }
        try (Dir root = Dir.open(tmp)) {
            assertThatThrownBy(() -> root.chown(name("f"), 0xFFFF_FFFFL, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> root.chown(name("f"), -1, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void chmodKeepsSetuidSetgidAndStickyBits() {
        try (Dir root = Dir.open(tmp)) {
            root.mkdir(name("shared"), 0700);
            root.chmod(name("shared"), 03775); // setgid + sticky, as on a clinic's shared scan folder
            assertThat(root.stat(name("shared")).mode()).isEqualTo(03775);
            writeFile(root, name("tool"), new byte[0]);
            root.chmod(name("tool"), 04751);
            assertThat(root.stat(name("tool")).mode()).isEqualTo(04751);
            root.chmod(name("tool"), 0);
            assertThat(root.stat(name("tool")).mode()).isZero();
            try (OpenFile f = root.openRead(name("tool"))) {
                f.chmod(02640);
                assertThat(f.stat().mode()).isEqualTo(02640);
            }
        }
    }

    @Test
    void chmodOnASymlinkIsRefusedNotFollowed() {
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("target"), new byte[0]);
            root.chmod(name("target"), 0600);
            root.symlink(name("l"), utf8("target"));
            assertThatThrownBy(() -> root.chmod(name("l"), 0777))
                    .isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
            assertThat(root.stat(name("target")).mode()).isEqualTo(0600);
        }
    }

    @Test
    void nanosecondTimesAreSetAndReadBackExactly() throws Exception {
        Instant mtime = Instant.ofEpochSecond(1_234_567_890L, 123_456_789);
        Instant atime = Instant.ofEpochSecond(1_700_000_000L, 987_654_321);
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("f"), utf8("x"));
            root.setTimes(name("f"), mtime, atime);
            FileStat st = root.stat(name("f"));
            assertThat(st.mtime()).isEqualTo(mtime);
            assertThat(st.atime()).isEqualTo(atime);
            assertThat(Files.getLastModifiedTime(tmp.resolve("f"))).isEqualTo(FileTime.from(mtime));
            // the nanosecond overload; before 1970 too
            root.setTimes(name("f"), -1_500_000_000_000_000_001L, 42L);
            assertThat(root.stat(name("f")).mtime()).isEqualTo(Instant.ofEpochSecond(-1_500_000_001L, 999_999_999));
            assertThat(root.stat(name("f")).atime()).isEqualTo(Instant.ofEpochSecond(0, 42));
            // after 2262, where a long of nanoseconds ends (ext4 stores up to 2446)
            Instant far = Instant.parse("2400-01-02T03:04:05.000000006Z");
            root.setTimes(name("f"), far, null);
            assertThat(root.stat(name("f")).mtime()).isEqualTo(far);
            assertThat(root.stat(name("f")).atime()).isEqualTo(Instant.ofEpochSecond(0, 42)); // UTIME_OMIT
            assertThat(root.stat(name("f")).ctime()).isAfter(Instant.now().minusSeconds(600));
        }
    }

    @Test
    void symlinkTimesAreSetWithoutTouchingTheTarget() {
        Instant linkTime = Instant.ofEpochSecond(1_111_111_111L, 111_111_111);
        Instant targetTime = Instant.ofEpochSecond(1_222_222_222L, 222_222_222);
        try (Dir root = Dir.open(tmp)) {
            writeFile(root, name("target"), new byte[0]);
            root.setTimes(name("target"), targetTime, targetTime);
            root.symlink(name("l"), utf8("target"));
            root.setTimes(name("l"), linkTime, linkTime);
            assertThat(root.stat(name("l")).mtime()).isEqualTo(linkTime);
            assertThat(root.stat(name("l")).atime()).isEqualTo(linkTime);
            assertThat(root.stat(name("target")).mtime()).isEqualTo(targetTime);
            // and on a dangling one
            root.symlink(name("dangling"), utf8("no/such/file"));
            root.setTimes(name("dangling"), linkTime, linkTime);
            assertThat(root.stat(name("dangling")).mtime()).isEqualTo(linkTime);
        }
    }

    @Test
    void ownerNamesComeFromNssAndAreCached() {
        OwnerNames names = new OwnerNames();
        assertThat(names.user(0)).contains("root");
        assertThat(names.group(0)).contains("root");
        assertThat(names.user(4_000_000_000L)).isEmpty();
        assertThat(names.group(4_000_000_000L)).isEmpty();
        assertThat(names.user(0)).isSameAs(names.user(0));
        assertThatThrownBy(() -> names.user(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
