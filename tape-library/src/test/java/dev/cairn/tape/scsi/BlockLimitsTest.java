package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockLimitsTest {
    /** tgt's answer (notes 2.5): granularity 9, maximum 0x100000, minimum 4. */
    static final byte[] TGT = hex("09 10 00 00 00 04");

    @Test
    void decodesTgtsAnswer() {
        assertThat(TgtCaptures.READ_BLOCK_LIMITS).isEqualTo(TGT);
        BlockLimits limits = BlockLimits.parse(TGT);
        assertThat(limits).isEqualTo(new BlockLimits(9, 0x100000, 4));
        assertThat(limits.fixedOnly()).isFalse();
    }

    @Test
    void reservedBitsOfByte0AreIgnoredAndFixedOnlyIsRecognised() {
        assertThat(BlockLimits.parse(hex("e0 00 02 00 02 00"))).isEqualTo(new BlockLimits(0, 512, 512));
        assertThat(BlockLimits.parse(hex("00 00 02 00 02 00")).fixedOnly()).isTrue();
        // maximum 0 = no limit reported
        assertThat(BlockLimits.parse(hex("00 00 00 00 00 01")).maxBlockLength()).isZero();
    }

    @Test
    void rejectsShortAndContradictoryAnswers() {
        assertThatThrownBy(() -> BlockLimits.parse(hex("09 10 00 00 00"))).isInstanceOf(ScsiDecodeException.class)
                .hasMessageContaining("READ BLOCK LIMITS data");
        assertThatThrownBy(() -> BlockLimits.parse(hex("00 00 00 10 00 20"))).isInstanceOf(ScsiDecodeException.class)
                .hasMessageContaining("minimum block length 32 exceeds maximum 16");
    }

    @Test
    void robustness() {
        Robustness.check("BlockLimits", BlockLimits::parse, List.of(TGT), 0x5ca1ab1eL);
    }
}
