package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPositionTest {
    /** Short form at block 0x1234 of partition 0, 2 blocks (0x2000 bytes) in the buffer, BPEW set. */
    static final byte[] SHORT = hex("01 00 00 00 00 00 12 34 00 00 12 30 00 00 00 02 00 00 20 00");
    /** Long form: BOP, partition 1, logical object 0, file 0. */
    static final byte[] LONG_AT_BOP = hex("80 00 00 00 00 00 00 01" + " 00".repeat(24));
    /** Long form: logical object 0x0000000100000005, file 7. */
    static final byte[] LONG = hex("00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 05 00 00 00 00 00 00 00 07" + " ff".repeat(8));

    @Test
    void decodesTheShortForm() {
        ReadPosition.ShortForm p = ReadPosition.parseShort(SHORT);
        assertThat(p.bop()).isFalse();
        assertThat(p.eop()).isFalse();
        assertThat(p.bpew()).isTrue();
        assertThat(p.positionUnknown()).isFalse();
        assertThat(p.partition()).isZero();
        assertThat(p.firstBlockLocation()).isEqualTo(0x1234);
        assertThat(p.logicalObjectNumber()).isEqualTo(0x1234);
        assertThat(p.lastBlockLocation()).isEqualTo(0x1230);
        assertThat(p.blocksInBuffer()).isEqualTo(2);
        assertThat(p.bytesInBuffer()).isEqualTo(0x2000);
    }

    @Test
    void shortFormFlags() {
        ReadPosition.ShortForm p = ReadPosition.parseShort(hex("f7" + " ff".repeat(19)));
        assertThat(p.bop()).isTrue();
        assertThat(p.eop()).isTrue();
        assertThat(p.blockCountUnknown()).isTrue();
        assertThat(p.byteCountUnknown()).isTrue();
        assertThat(p.blockPositionUnknown()).isTrue();
        assertThat(p.positionError()).isTrue();
        assertThat(p.firstBlockLocation()).isEqualTo(0xFFFFFFFFL);
        assertThat(p.bytesInBuffer()).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void bpuOrPerrMeansThePositionIsUnknown() {
        assertThat(ReadPosition.parseShort(hex("04" + " 00".repeat(19))).positionUnknown()).as("BPU").isTrue();
        assertThat(ReadPosition.parseShort(hex("02" + " 00".repeat(19))).positionUnknown()).as("PERR").isTrue();
        // BCU/BYCU only concern the buffer counts
        assertThat(ReadPosition.parseShort(hex("b0" + " 00".repeat(19))).positionUnknown()).isFalse();
    }

    @Test
    void tgtsAnswersDecodeAsPositionUnknown() {
        // tgt 1.0.85 writes the length into byte 0 (14h, 20h) and zeros elsewhere (captured, see TgtCaptures)
        ReadPosition.ShortForm p = ReadPosition.parseShort(TgtCaptures.READ_POSITION_SHORT);
        assertThat(p.blockPositionUnknown()).as("14h sets BPU").isTrue();
        assertThat(p.byteCountUnknown()).as("14h sets BYCU").isTrue();
        assertThat(p.positionUnknown()).isTrue();
        ReadPosition.LongForm l = ReadPosition.parseLong(TgtCaptures.READ_POSITION_LONG);
        assertThat(l.logicalObjectNumberUnknown()).isFalse();
        assertThat(l.selfContradictory()).as("object 0 without BOP").isTrue();
        assertThat(l.positionUnknown()).isTrue();
    }

    @Test
    void objectZeroWithoutBopIsNotAPosition() {
        // all zeros: block 0 but not at BOP, which no drive that knows its position reports
        assertThat(ReadPosition.parseShort(new byte[20]).positionUnknown()).isTrue();
        assertThat(ReadPosition.parseLong(new byte[32]).positionUnknown()).isTrue();
        // object 0 at BOP is the normal state after REWIND
        assertThat(ReadPosition.parseShort(hex("80" + " 00".repeat(19))).positionUnknown()).isFalse();
        assertThat(ReadPosition.parseLong(LONG_AT_BOP).positionUnknown()).isFalse();
    }

    @Test
    void decodesTheLongForm() {
        ReadPosition.LongForm bop = ReadPosition.parseLong(LONG_AT_BOP);
        assertThat(bop.bop()).isTrue();
        assertThat(bop.partition()).isEqualTo(1);
        assertThat(bop.logicalObjectNumber()).isZero();
        assertThat(bop.positionUnknown()).isFalse();

        ReadPosition.LongForm p = ReadPosition.parseLong(LONG);
        assertThat(p.bop()).isFalse();
        assertThat(p.logicalObjectNumber()).isEqualTo(0x1_0000_0005L);
        assertThat(p.logicalFileId()).isEqualTo(7);
    }

    @Test
    void longFormFlags() {
        ReadPosition.LongForm p = ReadPosition.parseLong(hex("c9" + " 00".repeat(31)));
        assertThat(p.bop()).isTrue();
        assertThat(p.eop()).isTrue();
        assertThat(p.mappedPositionUnknown()).isTrue();
        assertThat(p.bpew()).isTrue();
        assertThat(p.logicalObjectNumberUnknown()).isFalse();
        assertThat(p.positionUnknown()).isTrue();
        assertThat(ReadPosition.parseLong(hex("04" + " 00".repeat(31))).positionUnknown()).as("LONU").isTrue();
    }

    @Test
    void theSealedInterfaceGivesBothFormsTheSameQuestions() {
        List<ReadPosition> both = List.of(ReadPosition.parseShort(SHORT), ReadPosition.parseLong(LONG));
        assertThat(both).extracting(ReadPosition::logicalObjectNumber).containsExactly(0x1234L, 0x1_0000_0005L);
    }

    @Test
    void rejectsShortAnswers() {
        assertThatThrownBy(() -> ReadPosition.parseShort(new byte[19])).isInstanceOf(ScsiDecodeException.class)
                .hasMessageContaining("READ POSITION short form data");
        assertThatThrownBy(() -> ReadPosition.parseLong(new byte[20])).isInstanceOf(ScsiDecodeException.class)
                .hasMessageContaining("READ POSITION long form data");
    }

    @Test
    void robustness() {
        Robustness.check("ReadPosition short", ReadPosition::parseShort, List.of(SHORT, TgtCaptures.READ_POSITION_SHORT), 20L);
        Robustness.check("ReadPosition long", ReadPosition::parseLong, List.of(LONG, LONG_AT_BOP, TgtCaptures.READ_POSITION_LONG), 32L);
    }
}
