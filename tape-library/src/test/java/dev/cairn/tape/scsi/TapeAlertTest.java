package dev.cairn.tape.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TapeAlert log page 2Eh. tgt has no LOG SENSE, so the samples are built by SSC-4. */
class TapeAlertTest {
    /** All 64 parameters, one byte each, as drives send them; flags 3, 4 and 20 set. */
    static final byte[] ALL_64 = page(new int[] {3, 4, 20}, 64);
    /** Only a few parameters, with flag 39 set and flag 49 set. */
    static final byte[] SPARSE = Bytes.of().hex("2e 00 00 0f")
            .hex("00 27 03 01 01")          // 39 diagnostics required: set
            .hex("00 31 03 01 01")          // 49 diminished native capacity: set
            .hex("00 05 03 01 fe")          // 5: other bits set, bit 0 clear -> not active
            .build();

    static byte[] page(int[] active, int count) {
        Bytes b = Bytes.of().hex("2e 00").u16(count * 5);
        for (int code = 1; code <= count; code++) {
            final int c = code;
            b.u16(code).u8(0x03).u8(1).u8(Arrays.stream(active).anyMatch(a -> a == c) ? 1 : 0);
        }
        return b.build();
    }

    @Test
    void activeFlagsFromAFullPage() {
        TapeAlert alert = TapeAlert.parse(ALL_64);
        assertThat(alert.activeFlags()).containsExactly(3, 4, 20);
        assertThat(alert.flags()).containsExactlyInAnyOrder(TapeAlertFlag.HARD_ERROR, TapeAlertFlag.MEDIA, TapeAlertFlag.CLEAN_NOW);
        assertThat(alert.isActive(TapeAlertFlag.CLEAN_NOW)).isTrue();
        assertThat(alert.isActive(21)).isFalse();
    }

    @Test
    void sparsePagesAndValueBits() {
        TapeAlert alert = TapeAlert.parse(SPARSE);
        assertThat(alert.activeFlags()).containsExactly(39, 49);
        assertThat(alert.flags()).containsExactlyInAnyOrder(TapeAlertFlag.DIAGNOSTICS_REQUIRED, TapeAlertFlag.DIMINISHED_NATIVE_CAPACITY);
    }

    @Test
    void flagsWithoutANameAreStillReportedByNumber() {
        TapeAlert alert = TapeAlert.parse(page(new int[] {41, 64}, 64));
        assertThat(alert.activeFlags()).containsExactly(41, 64);
        assertThat(alert.flags()).isEmpty();
    }

    @Test
    void parameterCodesOutsideTheFlagsAreIgnored() {
        byte[] b = Bytes.of().hex("2e 00 00 0e").hex("00 00 03 01 01").hex("00 41 03 01 01").hex("80 00 03 00").build();
        assertThat(TapeAlert.parse(b).activeFlags()).isEmpty();
    }

    @Test
    void standardFlagNames() {
        assertThat(TapeAlertFlag.ofNumber(3)).contains(TapeAlertFlag.HARD_ERROR);
        assertThat(TapeAlertFlag.ofNumber(5)).contains(TapeAlertFlag.READ_FAILURE);
        assertThat(TapeAlertFlag.ofNumber(6)).contains(TapeAlertFlag.WRITE_FAILURE);
        assertThat(TapeAlertFlag.ofNumber(7)).contains(TapeAlertFlag.MEDIA_LIFE);
        assertThat(TapeAlertFlag.ofNumber(9)).contains(TapeAlertFlag.WRITE_PROTECT);
        assertThat(TapeAlertFlag.ofNumber(11)).contains(TapeAlertFlag.CLEANING_MEDIA);
        assertThat(TapeAlertFlag.ofNumber(15)).contains(TapeAlertFlag.MEMORY_CHIP_IN_CARTRIDGE_FAILURE);
        assertThat(TapeAlertFlag.ofNumber(21)).contains(TapeAlertFlag.CLEAN_PERIODIC);
        assertThat(TapeAlertFlag.ofNumber(22)).contains(TapeAlertFlag.EXPIRED_CLEANING_MEDIA);
        assertThat(TapeAlertFlag.ofNumber(30)).contains(TapeAlertFlag.HARDWARE_A);
        assertThat(TapeAlertFlag.ofNumber(31)).contains(TapeAlertFlag.HARDWARE_B);
        assertThat(TapeAlertFlag.ofNumber(32)).contains(TapeAlertFlag.INTERFACE);
        assertThat(TapeAlertFlag.ofNumber(34)).contains(TapeAlertFlag.DOWNLOAD_FAULT);
        assertThat(TapeAlertFlag.ofNumber(55)).contains(TapeAlertFlag.LOADING_FAILURE);
        assertThat(TapeAlertFlag.ofNumber(56)).contains(TapeAlertFlag.UNRECOVERABLE_UNLOAD_FAILURE);
        assertThat(TapeAlertFlag.ofNumber(45)).isEmpty();
        assertThat(Arrays.stream(TapeAlertFlag.values()).map(TapeAlertFlag::number).distinct().count())
                .isEqualTo(TapeAlertFlag.values().length);
        assertThat(Arrays.stream(TapeAlertFlag.values()).allMatch(f -> f.number() >= 1 && f.number() <= 64)).isTrue();
    }

    @Test
    void rejectsOtherPagesCutPagesAndOverrunningParameters() {
        ScsiDecodeException other = assertThrows(ScsiDecodeException.class, () -> TapeAlert.parse(Bytes.of().hex("2f 00 00 00").build()));
        assertThat(other.getMessage()).contains("PAGE CODE is 2Fh");
        ScsiDecodeException cut = assertThrows(ScsiDecodeException.class, () -> TapeAlert.parse(Arrays.copyOf(ALL_64, 100)));
        assertThat(cut.requiredLength()).hasValue(ALL_64.length);
        ScsiDecodeException overrun = assertThrows(ScsiDecodeException.class,
                () -> TapeAlert.parse(Bytes.of().hex("2e 00 00 05 00 01 03 02 01").build()));
        assertThat(overrun.getMessage()).contains("parameter value");
    }

    @Test
    void robustness() {
        Robustness.check("TapeAlert", TapeAlert::parse, List.of(ALL_64, SPARSE), 0x2EL);
    }
}
