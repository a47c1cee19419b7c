package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Chunk sizes stay within [min, max], short and empty streams, and constant data. */
class ChunkerBoundsTest {
    static final List<ChunkerParams> PARAMS = List.of(ChunkerParams.DEFAULT, ChunkerParams.FINE,
            new ChunkerParams(64, 256, 1024, 2), new ChunkerParams(64, 128, 129, 3), new ChunkerParams(1000, 1024, 1030, 0));

    @Test
    void everyChunkButTheLastIsWithinMinAndMax() {
        byte[] random = TestInputs.random(TestInputs.SEED, 32 * TestInputs.MIB);
        byte[] structured = TestInputs.structured(TestInputs.SEED);
        for (byte[] data : List.of(random, structured)) {
            for (ChunkerParams p : PARAMS) {
                List<ChunkSpan> spans = Chunker.split(data, p);
                long expectedOffset = 0;
                for (int i = 0; i < spans.size(); i++) {
                    ChunkSpan s = spans.get(i);
                    assertThat(s.offset()).isEqualTo(expectedOffset);
                    if (i < spans.size() - 1) {
                        assertThat(s.length()).as("%s chunk %d", p, i).isBetween(p.min(), p.max());
                    } else {
                        assertThat(s.length()).as("%s last chunk", p).isBetween(1, p.max());
                    }
                    expectedOffset = s.end();
                }
                assertThat(expectedOffset).isEqualTo(data.length);
            }
        }
    }

    @Test
    void anInputNoLongerThanMinIsOneChunk() {
        byte[] random = TestInputs.random(1, 1 << 20);
        for (ChunkerParams p : PARAMS) {
            for (int n : new int[] {1, 2, 63, 64, p.min() - 1, p.min()}) {
                byte[] data = Arrays.copyOf(random, n);
                assertThat(Chunker.split(data, p)).as("%s, %d bytes", p, n).containsExactly(new ChunkSpan(0, n));
                assertThat(Chunker.cut(data, 0, n, p)).isEqualTo(n);
                assertThat(TestInputs.streamed(data, p, 1)).containsExactly(new ChunkSpan(0, n));
            }
        }
    }

    @Test
    void anEmptyInputIsNoChunk() {
        for (ChunkerParams p : PARAMS) {
            assertThat(Chunker.split(new byte[0], p)).isEmpty();
            assertThat(Chunker.cut(new byte[0], 0, 0, p)).isZero();
            assertThat(TestInputs.streamed(new byte[0], p, 1)).isEmpty();
            Chunker chunker = new Chunker(p);
            assertThat(chunker.finish()).isZero();
            List<ChunkSpan> spans = new ArrayList<>();
            chunker.finish((o, l) -> spans.add(new ChunkSpan(o, l)));
            assertThat(spans).isEmpty();
        }
    }

    /**
     * On a run of one byte value c the window hash is the same at every candidate: the sum of
     * GEAR[c] * 2^j for j = 0..63, which is GEAR[c] * (2^64 - 1) = -GEAR[c] modulo 2^64. For every c and both
     * presets that value has a one-bit under both masks, so a constant run has no cut point and is cut at max.
     * That is the useful outcome: fewest chunks, all identical, so a zeroed disk region stores one chunk.
     */
    @Test
    void noConstantRunHasACutPointUnderThePresets() {
        for (ChunkerParams p : List.of(ChunkerParams.DEFAULT, ChunkerParams.FINE)) {
            for (int c = 0; c < 256; c++) {
                long w = -GearTable.get(c);
                assertThat(w & p.maskS()).as("%s byte %d, strict mask", p, c).isNotZero();
                assertThat(w & p.maskL()).as("%s byte %d, loose mask", p, c).isNotZero();
            }
        }
        byte[] run = new byte[4096];
        assertThat(ChunkerSpecTest.window(run, 4095)).isEqualTo(-GearTable.get(0)).isEqualTo(0x493e02345951ba95L);
    }

    @Test
    void allZeroInputIsCutAtMaxAndEveryFullChunkIsTheSame() {
        byte[] zeros = new byte[20 * TestInputs.MIB + 5];
        assertThat(TestInputs.lengths(Chunker.split(zeros, ChunkerParams.DEFAULT)))
                .containsExactly(8 << 20, 8 << 20, (4 << 20) + 5);
        int[] fine = TestInputs.lengths(Chunker.split(zeros, ChunkerParams.FINE));
        assertThat(fine).hasSize(81);
        assertThat(Arrays.copyOf(fine, 80)).containsOnly(256 << 10);
        assertThat(fine[80]).isEqualTo(5);
        assertThat(TestInputs.streamed(zeros, ChunkerParams.DEFAULT, 4097))
                .isEqualTo(Chunker.split(zeros, ChunkerParams.DEFAULT));
    }

    /** Two zero runs between random data: every full-size zero chunk of both runs is the same chunk. */
    @Test
    void repeatedZeroRunsDeduplicate() {
        int mib = TestInputs.MIB;
        byte[] data = new byte[3 * mib + 24 * mib + 2 * mib + 24 * mib + mib];
        byte[] random = TestInputs.random(9, 6 * mib);
        System.arraycopy(random, 0, data, 0, 3 * mib);
        System.arraycopy(random, 3 * mib, data, 27 * mib, 2 * mib);
        System.arraycopy(random, 5 * mib, data, 53 * mib, mib);
        for (ChunkerParams p : List.of(ChunkerParams.DEFAULT, ChunkerParams.FINE)) {
            Set<String> zeroChunks = new HashSet<>();
            int full = 0;
            for (ChunkSpan s : Chunker.split(data, p)) {
                boolean allZero = true;
                for (int i = (int) s.offset(); i < s.end() && allZero; i++) {
                    allZero = data[i] == 0;
                }
                if (allZero && s.length() == p.max()) {
                    full++;
                    zeroChunks.add(HexFormat.of().formatHex(TestInputs.sha256(data, (int) s.offset(), s.length())));
                }
            }
            // Each 24 MiB run holds at least 24 MiB / max - 1 full chunks whatever its alignment.
            assertThat(full).as("%s full zero chunks", p).isGreaterThanOrEqualTo(2 * ((24 * mib) / p.max() - 1));
            assertThat(zeroChunks).as("%s distinct full zero chunks", p).hasSize(1);
        }
    }
}
