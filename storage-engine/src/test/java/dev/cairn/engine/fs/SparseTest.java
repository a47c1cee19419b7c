package dev.cairn.engine.fs;

import static dev.cairn.engine.fs.FsTesting.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holes: SEEK_DATA/SEEK_HOLE on the backup side, setLength and extent-only writes on the restore side. */
class SparseTest {
    @TempDir
    Path tmp;

    static final int MIB = 1 << 20;

    @Test
    void dataExtentsFindTheDataAndARestoredCopyIsAsSparse() {
        long size = 64L * MIB;
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 0x5a);
        long[] at = {0, 10L * MIB, 40L * MIB + 4096}; // data at the start, in the middle, nothing at the end
        try (Dir root = Dir.open(tmp)) {
            try (OpenFile f = root.create(name("sparse"), 0644)) {
                f.setLength(size);
                for (long p : at) {
                    f.write(p, block, 0, block.length);
                }
                f.fsync();
            }
            FileStat original = root.stat(name("sparse"));
            assertThat(original.size()).isEqualTo(size);
            assertThat(original.blocks() * 512).isLessThan(size / 10);

            List<Extent> extents;
            try (OpenFile f = root.openRead(name("sparse"))) {
                extents = f.dataExtents();
            }
            // ext4 reports block-aligned extents, each covering one of the writes
            assertThat(extents).hasSize(at.length);
            for (int i = 0; i < at.length; i++) {
                Extent e = extents.get(i);
                assertThat(e.offset()).isLessThanOrEqualTo(at[i]);
                assertThat(e.end()).isGreaterThanOrEqualTo(at[i] + block.length);
                assertThat(e.length()).isLessThan(2L * MIB);
            }

            // restore: write only the extents, then set the length
            try (OpenFile src = root.openRead(name("sparse")); OpenFile dst = root.create(name("copy"), 0644)) {
                byte[] buf = new byte[256 * 1024];
                for (Extent e : extents) {
                    long pos = e.offset();
                    while (pos < e.end()) {
                        int n = src.read(pos, buf, 0, (int) Math.min(buf.length, e.end() - pos));
                        dst.write(pos, buf, 0, n);
                        pos += n;
                    }
                }
                dst.setLength(size);
                dst.fsync();
            }
            FileStat copy = root.stat(name("copy"));
            assertThat(copy.size()).isEqualTo(size);
            assertThat(copy.blocks()).isBetween(original.blocks() / 2, original.blocks() * 2);
            assertThat(FsTesting.readFile(root, name("copy"))).isEqualTo(FsTesting.readFile(root, name("sparse")));
            try (OpenFile f = root.openRead(name("copy"))) {
                assertThat(f.dataExtents()).isEqualTo(extents);
            }
        }
    }

    @Test
    void fullyWrittenEmptyAndAllHoleFiles() {
        try (Dir root = Dir.open(tmp)) {
            FsTesting.writeFile(root, name("dense"), new byte[100_000]); // explicit zeros are data, not holes
            try (OpenFile f = root.create(name("empty"), 0644)) {
                assertThat(f.dataExtents()).isEmpty();
            }
            try (OpenFile f = root.create(name("hole"), 0644)) {
                f.setLength(5L * MIB);
                assertThat(f.dataExtents()).isEmpty();
                assertThat(f.stat().blocks()).isZero();
            }
            try (OpenFile f = root.openRead(name("dense"))) {
                assertThat(f.dataExtents()).containsExactly(new Extent(0, 100_000));
            }
        }
    }

    @Test
    void setLengthShrinksAndReadsStopAtTheEnd() {
        try (Dir root = Dir.open(tmp)) {
            try (OpenFile f = root.create(name("f"), 0644)) {
                f.write(0, new byte[] {1, 2, 3, 4, 5}, 0, 5);
                f.setLength(2);
                assertThat(f.stat().size()).isEqualTo(2);
            }
            try (OpenFile f = root.openRead(name("f"))) {
                byte[] b = new byte[10];
                assertThat(f.read(0, b, 0, 10)).isEqualTo(2); // a short read
                assertThat(f.read(2, b, 0, 10)).isEqualTo(-1); // end of file
                assertThat(f.read(1000, b, 0, 10)).isEqualTo(-1);
                assertThat(f.read(0, b, 0, 0)).isZero();
            }
        }
    }
}
