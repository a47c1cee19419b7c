package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Golden chunk boundaries (docs/formats/chunking.md, "Worked examples"). The values were computed once and
 * reproduced by an independent implementation of the document's window formula (Python and numpy). If
 * this test fails, the algorithm, the gear table or the masks changed, and with them every chunk ID in every
 * repository: that is a repository format version bump, never an edit of these literals.
 */
class ChunkerGoldenTest {
    static byte[] random;
    static byte[] structured;

    @BeforeAll
    static void inputs() {
        random = TestInputs.random(TestInputs.SEED, 32 * TestInputs.MIB);
        structured = TestInputs.structured(TestInputs.SEED);
    }

    /** Guards the inputs themselves, so that a failure below is not blamed on the chunker wrongly. */
    @Test
    void theInputsAreTheDocumentedOnes() {
        assertThat(HexFormat.of().formatHex(random, 0, 16)).isEqualTo("4385226189883f86edfe50743db60423");
        assertThat(new String(structured, 0, 16, StandardCharsets.US_ASCII))
                .isEqualTo("by blood ok shou");
        assertThat(structured).hasSize(32 * TestInputs.MIB);
    }

    @Test
    void randomDefault() {
        assertGolden(random, ChunkerParams.DEFAULT, 27, 2_090_967, 1_184_817, 1_067_649, 1_090_404, 1_055_612,
                1_165_767, 1_090_742, 1_325_164, 1_520_448, 1_265_107, 1_069_489, 1_052_060, 1_390_701, 1_247_632,
                1_134_968, 1_187_536, 1_115_695, 1_364_082, 1_498_982, 1_126_711, 1_018_454);
    }

    @Test
    void randomFine() {
        assertGolden(random, ChunkerParams.FINE, 445, 19_522, 74_145, 54_099, 91_218, 76_937, 90_900, 44_409, 101_635,
                71_715, 69_004, 78_684, 72_676, 80_312, 78_811, 130_208, 67_824, 76_908, 43_645, 100_415, 81_871,
                67_682);
    }

    /**
     * The 1 MiB document repeats, and the window ending at one place in it passes the strict mask: the first
     * cut lands there, and from then on every chunk is exactly one copy long (1 MiB = avg, still tested with
     * the strict mask) because each copy has that window at the same place. The edits are too sparse to
     * touch it. Dedupe at its best: each copy cut at the same place of the document.
     */
    @Test
    void structuredDefault() {
        int[] lengths = assertGolden(structured, ChunkerParams.DEFAULT, 33, 513_737, 534_839, 1_048_576, 1_048_576,
                1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576,
                1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576, 1_048_576);
        assertThat(Arrays.copyOfRange(lengths, 1, 32)).containsOnly(TestInputs.MIB);
    }

    @Test
    void structuredFine() {
        assertGolden(structured, ChunkerParams.FINE, 512, 49_660, 92_799, 91_455, 70_829, 41_550, 71_535, 77_056,
                71_408, 18_207, 70_149, 82_194, 16_988, 83_340, 80_187, 71_085, 60_134, 89_506, 65_386, 79_022, 70_829,
                41_550);
    }

    /** Small enough to follow by hand: every boundary of 4 KiB with min 64, avg 256, max 1024, level 2. */
    @Test
    void smallParametersWholeInput() {
        byte[] data = Arrays.copyOf(random, 4096);
        ChunkerParams p = new ChunkerParams(64, 256, 1024, 2);
        assertThat(p.maskS()).isEqualTo(0x5208209208200000L);
        assertThat(p.maskL()).isEqualTo(0x4208008208000000L);
        assertThat(TestInputs.lengths(Chunker.split(data, p)))
                .containsExactly(282, 286, 270, 265, 298, 379, 305, 417, 295, 421, 374, 290, 73, 141);
        // The first cut: the window hash after byte 281 passes the loose mask (length 282 > avg).
        assertThat(ChunkerSpecTest.window(data, 281)).isEqualTo(0x3085b36d970206e2L);
        assertThat(ChunkerSpecTest.window(data, 281) & p.maskL()).isZero();
        for (int end = 63; end < 281; end++) {
            long mask = end + 1 <= p.avg() ? p.maskS() : p.maskL();
            if (end + 1 >= p.min()) {
                assertThat(ChunkerSpecTest.window(data, end) & mask).as("no earlier cut, length %d", end + 1).isNotZero();
            }
        }
    }

    private static int[] assertGolden(byte[] data, ChunkerParams p, int count, int lastLength, int... first20) {
        List<ChunkSpan> spans = Chunker.split(data, p);
        int[] lengths = TestInputs.lengths(spans);
        assertThat(Arrays.copyOf(lengths, 20)).containsExactly(first20);
        assertThat(lengths).hasSize(count);
        assertThat(lengths[count - 1]).isEqualTo(lastLength);
        assertThat(Arrays.stream(lengths).asLongStream().sum()).isEqualTo(data.length);
        // The streaming path gives the same golden boundaries (all feeding patterns: ChunkerStreamingTest).
        assertThat(TestInputs.streamed(data, p, 64 << 10)).isEqualTo(spans);
        return lengths;
    }
}
