package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chunker against a literal transcription of the cut rule in docs/formats/chunking.md: no rolling, no
 * skipping, the gear table and the masks derived again here. It is slow (64 steps per candidate) and
 * obviously right, so the fast code is proven to implement the document.
 */
class ChunkerSpecTest {
    static final long[] GEAR = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            byte[] message = ("cairn/gear/v1" + (char) i).getBytes(StandardCharsets.ISO_8859_1);
            GEAR[i] = ByteBuffer.wrap(TestInputs.sha256(message, 0, message.length)).getLong();
        }
    }

    /** W(p) = sum over j = 0..63 of GEAR[data[p - j]] * 2^j, modulo 2^64. */
    static long window(byte[] data, int p) {
        long w = 0;
        for (int j = 0; j < 64; j++) {
            w += GEAR[data[p - j] & 0xFF] << j;
        }
        return w;
    }

    /** The first {@code bits} distinct positions 62 - floor(47 r / 64), r = 6-bit reversal of k = 0, 1, ... */
    static long mask(int bits) {
        long m = 0;
        for (int k = 0; Long.bitCount(m) < bits; k++) {
            int r = 0;
            for (int i = 0; i < 6; i++) {
                r |= ((k >> i) & 1) << (5 - i);
            }
            m |= 1L << (62 - 47 * r / 64);
        }
        return m;
    }

    static List<ChunkSpan> reference(byte[] data, int min, int avg, int max, int level) {
        int b = Integer.numberOfTrailingZeros(avg);
        long maskS = mask(b + level);
        long maskL = mask(b - level);
        List<ChunkSpan> spans = new ArrayList<>();
        int s = 0;
        while (s < data.length) {
            int remaining = data.length - s;
            int length = Math.min(remaining, max); // no cut point: max, or the end of the stream
            for (int l = min; l <= Math.min(remaining, max); l++) {
                if ((window(data, s + l - 1) & (l <= avg ? maskS : maskL)) == 0) {
                    length = l;
                    break;
                }
            }
            spans.add(new ChunkSpan(s, length));
            s += length;
        }
        return spans;
    }

    @Test
    void theTestsCopyOfTheDerivationMatchesTheProductionTable() {
        assertThat(GEAR).containsExactly(GearTable.toArray());
        assertThat(mask(22)).isEqualTo(ChunkerParams.DEFAULT.maskS());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void smallParametersAtEveryLevel(int level) {
        byte[] random = TestInputs.random(7, TestInputs.MIB);
        byte[] text = Arrays.copyOf(TestInputs.structured(TestInputs.SEED), TestInputs.MIB);
        for (byte[] data : List.of(random, text)) {
            for (int[] p : new int[][] {{64, 256, 1024}, {100, 128, 200}, {1024, 4096, 16384}, {64, 4096, 1 << 16}}) {
                assertThat(Chunker.split(data, new ChunkerParams(p[0], p[1], p[2], level)))
                        .as("params %s level %d", Arrays.toString(p), level)
                        .isEqualTo(reference(data, p[0], p[1], p[2], level));
            }
        }
    }

    @Test
    void presets() {
        byte[] data = TestInputs.random(TestInputs.SEED, 8 * TestInputs.MIB);
        assertThat(Chunker.split(data, ChunkerParams.DEFAULT)).isEqualTo(reference(data, 512 << 10, 1 << 20, 8 << 20, 2));
        byte[] small = Arrays.copyOf(data, 3 * TestInputs.MIB);
        assertThat(Chunker.split(small, ChunkerParams.FINE)).isEqualTo(reference(small, 16 << 10, 64 << 10, 256 << 10, 2));
    }

    /** Constant and short-period data, where the window hash takes only one or three values. */
    @Test
    void degenerateInputs() {
        byte[] zeros = new byte[1 << 16];
        byte[] period3 = new byte[1 << 16];
        for (int i = 0; i < period3.length; i++) {
            period3[i] = (byte) "abc".charAt(i % 3);
        }
        for (byte[] data : List.of(zeros, period3)) {
            assertThat(Chunker.split(data, new ChunkerParams(64, 256, 1024, 2)))
                    .isEqualTo(reference(data, 64, 256, 1024, 2));
        }
    }
}
