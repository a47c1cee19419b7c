package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Presets, masks (pinned: docs/formats/chunking.md, "Masks") and validation. */
class ChunkerParamsTest {
    @Test
    void presets() {
        assertThat(ChunkerParams.DEFAULT).isEqualTo(new ChunkerParams(524_288, 1_048_576, 8_388_608, 2));
        assertThat(ChunkerParams.FINE).isEqualTo(new ChunkerParams(16_384, 65_536, 262_144, 2));
        assertThat(ChunkerParams.DEFAULT.avgBits()).isEqualTo(20);
        assertThat(ChunkerParams.FINE.avgBits()).isEqualTo(16);
    }

    /** Frozen: changing a mask changes every boundary. */
    @Test
    void presetMasksArePinned() {
        assertThat(ChunkerParams.DEFAULT.maskS()).isEqualTo(0x72cb24d34d240000L); // 22 bits
        assertThat(ChunkerParams.DEFAULT.maskL()).isEqualTo(0x724924d249240000L); // 18 bits
        assertThat(ChunkerParams.FINE.maskS()).isEqualTo(0x724924d249240000L); // 18 bits
        assertThat(ChunkerParams.FINE.maskL()).isEqualTo(0x5249209249200000L); // 14 bits
        assertThat(Long.bitCount(ChunkerParams.DEFAULT.maskS())).isEqualTo(22);
        assertThat(Long.bitCount(ChunkerParams.DEFAULT.maskL())).isEqualTo(18);
        assertThat(Long.bitCount(ChunkerParams.FINE.maskL())).isEqualTo(14);
    }

    /** Frozen: the order in which masks take bits (docs/formats/chunking.md, "Masks"). */
    @Test
    void maskBitOrderIsPinned() {
        assertThat(ChunkerParams.MASK_BIT_ORDER).containsExactly(
                62, 39, 51, 27, 57, 33, 45, 21, 60, 36, 48, 24, 54, 30, 42, 18,
                61, 38, 49, 26, 55, 32, 43, 20, 58, 35, 46, 23, 52, 29, 40, 17,
                50, 56, 44, 59, 47, 53, 41, 37, 25, 31, 19, 34, 22, 28, 16);
    }

    /** A position that passes a mask passes every mask with fewer bits: strict implies loose. */
    @Test
    void masksAreNested() {
        for (int bits = 2; bits <= ChunkerParams.MASK_SPAN; bits++) {
            long smaller = ChunkerParams.spreadMask(bits - 1);
            assertThat(ChunkerParams.spreadMask(bits) & smaller).as("bits=%d", bits).isEqualTo(smaller);
        }
        for (ChunkerParams p : new ChunkerParams[] {ChunkerParams.DEFAULT, ChunkerParams.FINE}) {
            assertThat(p.maskL() & ~p.maskS()).isZero();
        }
    }

    @Test
    void everyMaskHasItsBitCountWithinBits16To62() {
        for (int bits = 1; bits <= ChunkerParams.MASK_SPAN; bits++) {
            long m = ChunkerParams.spreadMask(bits);
            assertThat(Long.bitCount(m)).as("bits=%d", bits).isEqualTo(bits);
            assertThat(63 - Long.numberOfLeadingZeros(m)).as("top bit, bits=%d", bits).isEqualTo(62);
            assertThat(Long.numberOfTrailingZeros(m)).as("lowest bit, bits=%d", bits).isGreaterThanOrEqualTo(16);
        }
        assertThat(ChunkerParams.spreadMask(1)).isEqualTo(1L << 62);
        assertThat(ChunkerParams.spreadMask(47)).isEqualTo(0x7fffffffffff0000L);
        assertThatThrownBy(() -> ChunkerParams.spreadMask(48)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mask bits must be 1..47, got 48");
    }

    @Test
    void levelsWidenAndNarrowTheMasks() {
        for (int level = 0; level <= 3; level++) {
            ChunkerParams p = new ChunkerParams(512 << 10, 1 << 20, 8 << 20, level);
            assertThat(Long.bitCount(p.maskS())).isEqualTo(20 + level);
            assertThat(Long.bitCount(p.maskL())).isEqualTo(20 - level);
        }
        assertThat(new ChunkerParams(64, 128, 256, 0).maskS()).isEqualTo(new ChunkerParams(64, 128, 256, 0).maskL());
    }

    @Test
    void theThreeArgumentConstructorUsesLevelTwo() {
        assertThat(new ChunkerParams(16 << 10, 64 << 10, 256 << 10)).isEqualTo(ChunkerParams.FINE);
    }

    @Test
    void extremesAreAccepted() {
        ChunkerParams smallest = new ChunkerParams(64, 128, 129, 3);
        assertThat(Long.bitCount(smallest.maskL())).isEqualTo(4);
        ChunkerParams largest = new ChunkerParams(16 << 20, 32 << 20, 64 << 20, 3);
        assertThat(Long.bitCount(largest.maskS())).isEqualTo(28);
    }

    @Test
    void invalidParametersAreRejectedWithTheReason() {
        assertThatThrownBy(() -> new ChunkerParams(512, 1024, 4096, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normalization level must be 0..3, got 4");
        assertThatThrownBy(() -> new ChunkerParams(512, 1024, 4096, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normalization level must be 0..3, got -1");
        assertThatThrownBy(() -> new ChunkerParams(512, 1000, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("avg chunk size must be a power of two, got 1000 bytes");
        assertThatThrownBy(() -> new ChunkerParams(512, 0, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("avg chunk size must be a power of two, got 0 bytes");
        assertThatThrownBy(() -> new ChunkerParams(512, Integer.MIN_VALUE, 4096))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("avg chunk size must be a power of two, got -2147483648 bytes");
        assertThatThrownBy(() -> new ChunkerParams(63, 1024, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("min chunk size must be at least 64 bytes (the gear hash window), got 63");
        assertThatThrownBy(() -> new ChunkerParams(1024, 1024, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunk sizes must satisfy min < avg < max, got min=1024, avg=1024, max=4096");
        assertThatThrownBy(() -> new ChunkerParams(512, 4096, 4096)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("chunk sizes must satisfy min < avg < max, got min=512, avg=4096, max=4096");
        assertThatThrownBy(() -> new ChunkerParams(16 << 20, 32 << 20, (64 << 20) + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max chunk size must be at most 67108864 bytes (64 MiB), got 67108865");
    }
}
