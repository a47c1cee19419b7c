package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** MODE SENSE data and the mode page decoders, on the pages tgt sends (notes 2.5, tgt usr/ssc.c and usr/smc.c). */
class ModeParametersTest {
    static final String TGT_PAGE_0F = "0f 0e" + " 00".repeat(14);
    static final String TGT_PAGE_10 = "10 0e 00 00 00 80 80" + " 00".repeat(9);
    static final String TGT_PAGE_1D_TAPE = "1d 1e 01" + " 00".repeat(29);
    static final String TGT_PAGE_1D_CHANGER = "1d 12 00 01 00 01 03 e8 00 0a 00 10 00 02 01 00 00 02 00 00";

    /** MODE SENSE(6) of the tape LUN, pages 0Fh, 10h and 1Dh: medium type 0, buffered, variable blocks. */
    static final byte[] TGT_TAPE_6 = hex("4b 00 10 08 00 00 00 00 00 00 00 00 " + TGT_PAGE_0F + " " + TGT_PAGE_10 + " " + TGT_PAGE_1D_TAPE);
    /** After MODE SELECT(6) set a 512-byte block length (notes 2.5), page 0Fh only. */
    static final byte[] TGT_TAPE_6_512 = hex("1b 00 10 08 00 00 00 00 00 00 02 00 " + TGT_PAGE_0F);
    /** MODE SENSE(10) of the changer LUN, DBD, page 1Dh. */
    static final byte[] TGT_CHANGER_10 = hex("00 1a 00 00 00 00 00 00 " + TGT_PAGE_1D_CHANGER);
    /** MODE SENSE(10) with a block descriptor, a write-protected medium and a sub_page format page (0Ah/01h). */
    static final byte[] WP_WITH_SUBPAGE = hex("00 3e 58 90 00 00 00 08 5a 00 00 00 00 00 00 00 "
            + "4a 01 00 1c" + " 00".repeat(28) + " " + "8f 0e c0 80 00 00 00 01 00 00 00 01 00 00 00 00");

    @Test
    void tgtTapeModeSense6() {
        ModeParameters m = ModeParameters.parse6(TGT_TAPE_6);
        assertThat(m.mediumType()).isZero();
        assertThat(m.deviceSpecific()).isEqualTo(0x10);
        assertThat(m.writeProtected()).isFalse();
        assertThat(m.bufferedMode()).isEqualTo(1);
        assertThat(m.speed()).isZero();
        assertThat(m.blockDescriptors()).containsExactly(new ModeParameters.BlockDescriptor(0, 0, 0));
        assertThat(m.blockDescriptors().getFirst().variable()).isTrue();
        assertThat(m.pages()).extracting(ModePage::code).containsExactly(0x0F, 0x10, 0x1D);

        assertThat(DataCompressionPage.parse(m.page(0x0F).orElseThrow()))
                .isEqualTo(new DataCompressionPage(false, false, false, 0, 0, 0));
        DeviceConfigurationPage dc = DeviceConfigurationPage.parse(m.page(0x10).orElseThrow());
        assertThat(dc.activePartition()).isZero();
        assertThat(dc.readBufferEmptyRatio()).isEqualTo(0x80);
        assertThat(dc.writeDelayTime()).isEqualTo(0x8000);
        // tgt reports WORMM=1 for every cartridge (and does not enforce WORM)
        assertThat(MediumConfigurationPage.parse(m.page(0x1D).orElseThrow()).wormm()).isTrue();
    }

    @Test
    void blockLengthAfterModeSelect() {
        ModeParameters m = ModeParameters.parse6(TGT_TAPE_6_512);
        assertThat(m.blockDescriptors()).containsExactly(new ModeParameters.BlockDescriptor(0, 0, 512));
        assertThat(m.blockDescriptors().getFirst().variable()).isFalse();
    }

    @Test
    void tgtChangerElementAddressAssignment() {
        ModeParameters m = ModeParameters.parse10(TGT_CHANGER_10);
        assertThat(m.blockDescriptors()).isEmpty();
        ElementAddressAssignmentPage eaa = ElementAddressAssignmentPage.parse(m.page(0x1D).orElseThrow());
        assertThat(eaa.mediumTransport()).isEqualTo(new ElementAddressAssignmentPage.Range(1, 1));
        assertThat(eaa.storage()).isEqualTo(new ElementAddressAssignmentPage.Range(0x03E8, 10));
        assertThat(eaa.importExport()).isEqualTo(new ElementAddressAssignmentPage.Range(0x0010, 2));
        assertThat(eaa.dataTransfer()).isEqualTo(new ElementAddressAssignmentPage.Range(0x0100, 2));
        assertThat(eaa.range(ElementType.STORAGE).contains(1009)).isTrue();
        assertThat(eaa.range(ElementType.STORAGE).contains(1010)).isFalse();
        assertThat(eaa.range(ElementType.DATA_TRANSFER).contains(257)).isTrue();
        assertThatThrownBy(() -> eaa.range(ElementType.ALL)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writeProtectSubpagesAndCompression() {
        ModeParameters m = ModeParameters.parse10(WP_WITH_SUBPAGE);
        assertThat(m.mediumType()).isEqualTo(0x58);
        assertThat(m.writeProtected()).isTrue();
        assertThat(m.bufferedMode()).isEqualTo(1);
        assertThat(m.blockDescriptors()).containsExactly(new ModeParameters.BlockDescriptor(0x5A, 0, 0));
        ModePage control = m.page(0x0A, 0x01).orElseThrow();
        assertThat(control.subpageFormat()).isTrue();
        assertThat(control.headerLength()).isEqualTo(4);
        assertThat(control.bytes()).hasSize(32);
        assertThat(m.page(0x0A)).isEmpty();
        ModePage compression = m.page(0x0F).orElseThrow();
        assertThat(compression.parametersSaveable()).isTrue();
        assertThat(compression.forModeSelect()[0]).as("PS cleared for MODE SELECT").isEqualTo((byte) 0x0F);
        assertThat(compression.bytes()[0]).as("the page itself is unchanged").isEqualTo((byte) 0x8F);
        DataCompressionPage dcp = DataCompressionPage.parse(compression);
        assertThat(dcp).isEqualTo(new DataCompressionPage(true, true, true, 0, 1, 1));
    }

    @Test
    void deviceConfigurationFields() {
        DeviceConfigurationPage p = DeviceConfigurationPage.parse(hex("10 0e 00 01 20 30 00 64 00 00 38 00 01 00 01 00"));
        assertThat(p).isEqualTo(new DeviceConfigurationPage(1, 0x20, 0x30, 100, 1, true, true, 0x100, 1));
    }

    @Test
    void mediumConfigurationFields() {
        assertThat(MediumConfigurationPage.parse(hex("1d 1e 00 00 02 03" + " 00".repeat(26))))
                .isEqualTo(new MediumConfigurationPage(false, 2, 3));
    }

    @Test
    void theModeDataLengthIsTheContract() {
        // trailing bytes after the declared length are ignored
        byte[] padded = Arrays.copyOf(TGT_TAPE_6_512, TGT_TAPE_6_512.length + 40);
        assertThat(ModeParameters.parse6(padded)).isEqualTo(ModeParameters.parse6(TGT_TAPE_6_512));
        // a cut answer says how much to ask for
        ScsiDecodeException cut = org.junit.jupiter.api.Assertions.assertThrows(ScsiDecodeException.class,
                () -> ModeParameters.parse6(Arrays.copyOf(TGT_TAPE_6, 40)));
        assertThat(cut.requiredLength()).hasValue(76);
        assertThat(cut.getMessage()).contains("MODE SENSE(6) data").contains("ask again");
    }

    @Test
    void malformedHeadersAndPages() {
        rejects(() -> ModeParameters.parse6(hex("02 00 00 00")), "shorter than the 4-byte header");
        rejects(() -> ModeParameters.parse6(hex("07 00 00 04 00 00 00 00")), "not a multiple of 8");
        rejects(() -> ModeParameters.parse6(hex("07 00 00 08 00 00 00 00")), "block descriptors");
        rejects(() -> ModeParameters.parse10(hex("00 05 00 00 00 00 00 00")), "shorter than the 8-byte header");
        rejects(() -> ModeParameters.parse10(hex("00 0e 00 00 01 00 00 00 00 00 00 00 00 00 00 00")), "LONGLBA");
        // a page whose length runs past the mode data
        rejects(() -> ModeParameters.parse6(hex("07 00 00 00 0f 0e 00 00")), "mode page");
        // a single stray byte where a page header should be
        rejects(() -> ModeParameters.parse6(hex("04 00 00 00 0f")), "PAGE LENGTH");
    }

    @Test
    void pageDecodersCheckCodeFormatAndLength() {
        rejects(() -> DataCompressionPage.parse(hex(TGT_PAGE_10)), "PAGE CODE is 10h, not 0Fh");
        rejects(() -> DataCompressionPage.parse(hex("4f 00 00 0e" + " 00".repeat(14))), "SPF");
        rejects(() -> DataCompressionPage.parse(hex("0f 06 00 00 00 00 00 00")), "PAGE LENGTH 6 is shorter than 14");
        rejects(() -> ElementAddressAssignmentPage.parse(hex("1d 12 00 01")), "declares 20 bytes");
        rejects(() -> MediumConfigurationPage.parse((ModePage) null), "no data");
    }

    private static void rejects(Executable parse, String messagePart) {
        ScsiDecodeException e = org.junit.jupiter.api.Assertions.assertThrows(ScsiDecodeException.class, parse);
        assertThat(e.getMessage()).contains(messagePart);
    }

    @Test
    void tgtsCapturedModeData() {
        ModeParameters tape6 = ModeParameters.parse6(TgtCaptures.TAPE_MODE_SENSE_6_ALL);
        assertThat(tape6.bufferedMode()).isEqualTo(1);
        assertThat(tape6.pages()).extracting(p -> String.format("%02X/%02X", p.code(), p.subpage()))
                .containsExactly("00/00", "01/00", "02/00", "0A/00", "0A/01", "0F/00", "10/00", "1C/00", "1D/00");
        assertThat(DataCompressionPage.parse(tape6.page(0x0F).orElseThrow()).dce()).isFalse();
        assertThat(MediumConfigurationPage.parse(tape6.page(0x1D).orElseThrow()).wormm()).isTrue();
        assertThat(DeviceConfigurationPage.parse(tape6.page(0x10).orElseThrow()).readBufferEmptyRatio()).isEqualTo(0x80);
        // MODE SENSE(10) carries the same header fields and pages
        ModeParameters tape10 = ModeParameters.parse10(TgtCaptures.TAPE_MODE_SENSE_10_ALL);
        assertThat(tape10.pages()).isEqualTo(tape6.pages());
        assertThat(tape10.blockDescriptors()).isEqualTo(tape6.blockDescriptors());
        assertThat(tape10.deviceSpecific()).isEqualTo(tape6.deviceSpecific());

        assertThat(ModeParameters.parse6(TgtCaptures.TAPE_MODE_SENSE_6_0F_BLOCK_512)).isEqualTo(ModeParameters.parse6(TGT_TAPE_6_512));

        ModeParameters changer = ModeParameters.parse6(TgtCaptures.CHANGER_MODE_SENSE_6_ALL);
        assertThat(changer.pages()).extracting(ModePage::code).containsExactly(0x00, 0x0A, 0x0A, 0x1A, 0x1C, 0x1D, 0x1E, 0x1F);
        assertThat(ElementAddressAssignmentPage.parse(changer.page(0x1D).orElseThrow()))
                .isEqualTo(ElementAddressAssignmentPage.parse(ModeParameters.parse10(TgtCaptures.CHANGER_MODE_SENSE_10_1D).page(0x1D).orElseThrow()));
        assertThat(ModeParameters.parse10(TgtCaptures.CHANGER_MODE_SENSE_10_1D)).isEqualTo(ModeParameters.parse10(TGT_CHANGER_10));
    }

    @Test
    void robustness() {
        Robustness.check("ModeParameters.parse6", ModeParameters::parse6,
                List.of(TGT_TAPE_6, TGT_TAPE_6_512, TgtCaptures.TAPE_MODE_SENSE_6_ALL, TgtCaptures.CHANGER_MODE_SENSE_6_ALL), 6L);
        Robustness.check("ModeParameters.parse10", ModeParameters::parse10,
                List.of(TGT_CHANGER_10, WP_WITH_SUBPAGE, TgtCaptures.TAPE_MODE_SENSE_10_ALL), 10L);
        Robustness.check("DataCompressionPage", DataCompressionPage::parse, List.of(hex(TGT_PAGE_0F)), 0x0FL);
        Robustness.check("DeviceConfigurationPage", DeviceConfigurationPage::parse, List.of(hex(TGT_PAGE_10)), 0x10L);
        Robustness.check("MediumConfigurationPage", MediumConfigurationPage::parse, List.of(hex(TGT_PAGE_1D_TAPE)), 0x1DL);
        Robustness.check("ElementAddressAssignmentPage", ElementAddressAssignmentPage::parse, List.of(hex(TGT_PAGE_1D_CHANGER)), 0x1D1DL);
    }
}
