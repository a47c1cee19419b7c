package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Pins the gear table (docs/formats/chunking.md, "Gear table"). The expected values were computed
 * independently (Python {@code hashlib}). If this test fails, every chunk boundary changed: that is a
 * repository format version bump, not an edit of these constants.
 */
class GearTableTest {
    @Test
    void theDerivationLabelIsFrozen() {
        assertThat(GearTable.DERIVATION_LABEL).isEqualTo("cairn/gear/v1");
    }

    @Test
    void pinnedEntries() {
        assertThat(GearTable.get(0)).isEqualTo(0xb6c1fdcba6ae456bL);
        assertThat(GearTable.get(1)).isEqualTo(0x3cda0dbe31716fa2L);
        assertThat(GearTable.get(255)).isEqualTo(0xe80444fa5f966bfbL);
    }

    /** SHA-256 of the 256 entries, each as 8 big-endian bytes, in index order: any change anywhere shows. */
    @Test
    void theWholeTableIsPinnedByItsDigest() {
        ByteBuffer all = ByteBuffer.allocate(256 * 8);
        for (long g : GearTable.toArray()) {
            all.putLong(g);
        }
        assertThat(HexFormat.of().formatHex(TestInputs.sha256(all.array(), 0, all.capacity())))
                .isEqualTo("e6f723a99429405bd304e9dac02b05c82e7660f63358b0d43acb8eccb0434c9b");
    }

    @Test
    void entriesAreDistinctAndEveryBitIsRoughlyBalanced() {
        long[] table = GearTable.toArray();
        assertThat(Arrays.stream(table).distinct().count()).isEqualTo(256);
        for (int bit = 0; bit < 64; bit++) {
            int ones = 0;
            for (long g : table) {
                ones += (int) ((g >>> bit) & 1);
            }
            // Binomial(256, 1/2) has standard deviation 8; the frozen table has 108..142 ones per bit.
            assertThat(ones).as("ones in bit %d", bit).isBetween(96, 160);
        }
    }

    @Test
    void toArrayIsACopy() {
        long[] copy = GearTable.toArray();
        copy[0] = 0;
        assertThat(GearTable.get(0)).isEqualTo(0xb6c1fdcba6ae456bL);
    }

    @Test
    void indexOutsideAByteIsRejected() {
        assertThatThrownBy(() -> GearTable.get(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gear index must be a byte value 0..255, got 256");
        assertThatThrownBy(() -> GearTable.get(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gear index must be a byte value 0..255, got -1");
    }
}
