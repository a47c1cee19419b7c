package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportLunsTest {
    /** Flat space LUN 300, a peripheral LUN on bus 1, and a two-level hierarchical LUN. */
    static final byte[] MIXED = hex("00 00 00 18 00 00 00 00"
            + " 41 2c 00 00 00 00 00 00"
            + " 01 02 00 00 00 00 00 00"
            + " 00 01 00 02 00 00 00 00");

    @Test
    void tgtReportsTheControllerAndItsThreeLuns() {
        ReportLuns luns = ReportLuns.parse(TgtCaptures.REPORT_LUNS);
        assertThat(luns.luns()).containsExactly(0, 1, 2, 3);
        assertThat(luns.otherLuns()).isEmpty();
    }

    @Test
    void flatSpaceAndNotSingleLevel() {
        ReportLuns luns = ReportLuns.parse(MIXED);
        assertThat(luns.luns()).containsExactly(300);
        assertThat(luns.otherLuns()).containsExactly(0x0102_0000_0000_0000L, 0x0001_0002_0000_0000L);
    }

    @Test
    void lengthRules() {
        assertThat(ReportLuns.parse(hex("00 00 00 00 00 00 00 00")).luns()).isEmpty();
        ScsiDecodeException odd = assertThrows(ScsiDecodeException.class, () -> ReportLuns.parse(hex("00 00 00 07 00 00 00 00")));
        assertThat(odd.getMessage()).contains("not a multiple of 8");
        // REPORT LUNS with a 16-byte allocation on a target with four LUNs: ask again with 40
        ScsiDecodeException cut = assertThrows(ScsiDecodeException.class,
                () -> ReportLuns.parse(Arrays.copyOf(TgtCaptures.REPORT_LUNS, 16)));
        assertThat(cut.requiredLength()).hasValue(40);
        // a LUN list length beyond 2^31 is still an answer to ask again for, not an overflow
        ScsiDecodeException huge = assertThrows(ScsiDecodeException.class, () -> ReportLuns.parse(hex("ff ff ff f8 00 00 00 00")));
        assertThat(huge.requiredLength()).hasValue(Integer.MAX_VALUE);
    }

    @Test
    void robustness() {
        Robustness.check("ReportLuns", ReportLuns::parse, List.of(TgtCaptures.REPORT_LUNS, MIXED), 0xA0L);
    }
}
