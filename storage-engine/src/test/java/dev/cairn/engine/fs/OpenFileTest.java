package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positional I/O through byte arrays, native and heap segments; O_NOATIME; fd hygiene. */
class OpenFileTest {
    @TempDir
    Path tmp;

    @Test
    void byteArraysLargerThanOneChunkAreWrittenWholeAndReadInShortReads() {
        byte[] data = new byte[3 * OpenFile.CHUNK + 17];
        new Random(42).nextBytes(data);
        try (Dir root = Dir.open(tmp)) {
            try (OpenFile f = root.create(name("big"), 0644)) {
                f.write(0, data, 0, data.length);
                f.fdatasync();
            }
            try (OpenFile f = root.openRead(name("big"))) {
                byte[] back = new byte[data.length];
                int first = f.read(0, back, 0, back.length);
                assertThat(first).isPositive().isLessThanOrEqualTo(OpenFile.CHUNK); // a short read
                assertThat(FsTesting.readFile(root, name("big"))).isEqualTo(data);
            }
        }
    }

    @Test
    void nativeAndHeapSegments() {
        try (Dir root = Dir.open(tmp); Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(10_000);
            for (int i = 0; i < 10_000; i++) {
                src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 7));
            }
            try (OpenFile f = root.create(name("seg"), 0644)) {
                f.write(100, src);
                f.write(0, MemorySegment.ofArray(new byte[] {9, 9, 9}));
            }
            try (OpenFile f = root.openRead(name("seg"))) {
                MemorySegment dst = arena.allocate(10_000);
                assertThat(f.read(100, dst)).isEqualTo(10_000);
                assertThat(dst.mismatch(src)).isEqualTo(-1);
                byte[] heap = new byte[3];
                assertThat(f.read(0, MemorySegment.ofArray(heap))).isEqualTo(3);
                assertThat(heap).containsExactly(9, 9, 9);
                assertThat(f.stat().size()).isEqualTo(10_100);
            }
        }
    }

    @Test
    void severalThreadsReadOneFileAtOnce() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        try (Dir root = Dir.open(tmp)) {
            FsTesting.writeFile(root, name("shared"), data);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try (OpenFile f = root.openRead(name("shared"))) {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    results.add(pool.submit(() -> {
                        Random r = new Random(seed);
                        for (int i = 0; i < 200; i++) {
                            int pos = r.nextInt(data.length - 4096);
                            byte[] b = new byte[4096];
                            int n = f.read(pos, b, 0, b.length);
                            for (int k = 0; k < n; k++) {
                                if (b[k] != data[pos + k]) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> r : results) {
                    assertThat(r.get()).isTrue();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void openReadDoesNotChangeTheAccessTime() {
        Instant oldAtime = Instant.parse("2001-01-01T00:00:00.123456789Z");
        Instant mtime = Instant.parse("2020-01-01T00:00:00Z");
        try (Dir root = Dir.open(tmp)) {
            FsTesting.writeFile(root, name("f"), new byte[] {1, 2, 3});
            // atime older than mtime: relatime would update it on the next read, O_NOATIME must not
            root.setTimes(name("f"), mtime, oldAtime);
            assertThat(FsTesting.readFile(root, name("f"))).containsExactly(1, 2, 3);
            assertThat(root.stat(name("f")).atime()).isEqualTo(oldAtime);
        }
    }

    @Test
    void theOpenFileIsTheInodeThatWasStatted() {
        try (Dir root = Dir.open(tmp)) {
            FsTesting.writeFile(root, name("f"), new byte[] {1});
            FileStat before = root.stat(name("f"));
            try (OpenFile f = root.openRead(name("f"))) {
                FileStat now = f.stat();
                assertThat(now.inode()).isEqualTo(before.inode());
                assertThat(now.dev()).isEqualTo(before.dev());
                assertThat(now).isEqualTo(before);
            }
        }
    }

    @Test
    void noDescriptorLeaksOverAThousandCycles() {
        try (Dir root = Dir.open(tmp)) {
            root.mkdir(name("sub"), 0755);
            FsTesting.writeFile(root, name("f"), new byte[] {1, 2, 3});
            root.symlink(name("l"), new byte[] {'f'});
            cycle(root, -1); // warm up class loading and the linker
            int before = openDescriptors();
            for (int i = 0; i < 1000; i++) {
                cycle(root, i);
            }
            assertThat(openDescriptors()).isEqualTo(before);
        }
    }

    /** The intentionally leaked descriptor stays open until the test JVM exits (see Fd). */
    @Test
    void aDirNeverClosedIsCountedAsALeak() throws Exception {
        long before = Dir.leakedDescriptors();
        leakOne();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Dir.leakedDescriptors() == before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(Dir.leakedDescriptors()).isGreaterThan(before);
    }

    @SuppressWarnings("resource") // the point of the test
    private void leakOne() {
        Dir.open(tmp).stat();
    }

    private void cycle(Dir root, int i) {
        try (Dir again = Dir.open(tmp); Dir sub = again.openDir(name("sub"))) {
            sub.list();
            sub.stat();
        }
        try (OpenFile f = root.openRead(name("f"))) {
            f.read(0, new byte[3], 0, 3);
            f.dataExtents();
        }
        NativeName n = name("new-" + i);
        root.create(n, 0600).close();
        root.unlink(n);
        root.xattrs(name("f"));
        root.readlink(name("l"));
        expectFailure(() -> root.openRead(name("missing")));
        expectFailure(() -> root.openRead(name("l")));         // ELOOP
        expectFailure(() -> root.openDir(name("f")));          // ENOTDIR
        expectFailure(() -> root.create(name("f"), 0600));     // EEXIST
    }

    private static void expectFailure(Runnable r) {
        try {
            r.run();
            throw new AssertionError("expected an FsException");
        } catch (FsException expected) {
            // the point is that no descriptor stays open
        }
    }

    /** Entries in /proc/self/fd, read through Dir (the count includes Dir's own descriptor each time). */
    private static int openDescriptors() {
        try (Dir fds = Dir.open(Path.of("/proc/self/fd"))) {
            return fds.list().size();
        }
    }
}
