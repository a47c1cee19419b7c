package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupportedOperationCodesTest {
    /** READ(6) without timeouts, then LOCATE(16) with a command timeouts descriptor (CTDP=1). */
    static final byte[] WITH_TIMEOUTS = hex("00 00 00 1c"
            + " 08 00 00 00 00 00 00 06"
            + " 92 00 00 00 00 02 00 10"
            + " 00 0a 00 00 00 00 00 3c 00 00 0e 10");

    @Test
    void tgtsTapeOpcodesMatchTheNotes() {
        SupportedOperationCodes tape = SupportedOperationCodes.parse(TgtCaptures.TAPE_RSOC);
        // notes 2.1: tape LUN 00 01 03 05 08 0A 0B 10 11 12 15 1A 1B 1D 1E 34 5A A0 A3/0C
        assertThat(tape.commands()).extracting(SupportedOperationCodes.Command::opcode).containsExactly(
                0x00, 0x01, 0x03, 0x05, 0x08, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x15, 0x1A, 0x1B, 0x1D, 0x1E, 0x34, 0x5A, 0xA0, 0xA3);
        assertThat(tape.supports(OpCodes.READ_POSITION)).isTrue();
        assertThat(tape.supports(OpCodes.LOCATE_10)).isFalse();
        assertThat(tape.supports(OpCodes.LOG_SENSE)).isFalse();
        assertThat(tape.supports(OpCodes.MAINTENANCE_IN, OpCodes.SA_REPORT_SUPPORTED_OPERATION_CODES)).isTrue();
        assertThat(tape.supports(OpCodes.MAINTENANCE_IN, 0x05)).isFalse();
        // the CDB lengths are reported too
        assertThat(tape.commands()).filteredOn(c -> c.opcode() == OpCodes.MODE_SENSE_10)
                .singleElement().extracting(SupportedOperationCodes.Command::cdbLength).isEqualTo(10);
    }

    @Test
    void tgtsChangerOpcodesMatchTheNotes() {
        SupportedOperationCodes changer = SupportedOperationCodes.parse(TgtCaptures.CHANGER_RSOC);
        // notes 2.1: changer 00 03 07 12 1A 37 5A A0 A3/0C A5 B8
        assertThat(changer.commands()).extracting(SupportedOperationCodes.Command::opcode).containsExactly(
                0x00, 0x03, 0x07, 0x12, 0x1A, 0x37, 0x5A, 0xA0, 0xA3, 0xA5, 0xB8);
        assertThat(changer.supports(OpCodes.MOVE_MEDIUM)).isTrue();
        assertThat(changer.supports(OpCodes.PREVENT_ALLOW_MEDIUM_REMOVAL)).isFalse();
    }

    @Test
    void timeoutDescriptorsAreSkipped() {
        SupportedOperationCodes codes = SupportedOperationCodes.parse(WITH_TIMEOUTS);
        assertThat(codes.commands()).containsExactly(
                new SupportedOperationCodes.Command(0x08, 0, false, 6),
                new SupportedOperationCodes.Command(0x92, 0, false, 16));
    }

    @Test
    void lengthRules() {
        ScsiDecodeException cut = assertThrows(ScsiDecodeException.class,
                () -> SupportedOperationCodes.parse(Arrays.copyOf(TgtCaptures.TAPE_RSOC, 64)));
        assertThat(cut.requiredLength()).hasValue(TgtCaptures.TAPE_RSOC.length);
        // a descriptor announcing a timeouts descriptor that is not there
        ScsiDecodeException missing = assertThrows(ScsiDecodeException.class,
                () -> SupportedOperationCodes.parse(hex("00 00 00 08 92 00 00 00 00 02 00 10")));
        assertThat(missing.getMessage()).contains("command timeouts descriptor");
        // command data that is not a whole number of descriptors
        ScsiDecodeException partial = assertThrows(ScsiDecodeException.class,
                () -> SupportedOperationCodes.parse(hex("00 00 00 04 08 00 00 00")));
        assertThat(partial.getMessage()).contains("command descriptor");
    }

    @Test
    void robustness() {
        Robustness.check("SupportedOperationCodes", SupportedOperationCodes::parse,
                List.of(TgtCaptures.TAPE_RSOC, TgtCaptures.CHANGER_RSOC, WITH_TIMEOUTS), 0xA30CL);
    }
}
