package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Standard INQUIRY data and the VPD pages 80h and 83h. */
class InquiryTest {
    /** tgt's tape LUN: sequential access, removable, SPC-3, "IET" / "VIRTUAL-TAPE", version descriptors SSC, iSCSI, SPC-3. */
    static final byte[] TGT_TAPE = Bytes.of().hex("01 80 05 02 3d 00 00 02")
            .ascii("IET", 8).ascii("VIRTUAL-TAPE", 16).ascii("0001", 4)
            .zeros(22).hex("02 00 09 60 03 00").zeros(2).build();
    /** tgt's changer LUN. */
    static final byte[] TGT_CHANGER = Bytes.of().hex("08 80 05 02 1f 00 00 02")
            .ascii("IET", 8).ascii("VIRTUAL-CHANGER", 16).ascii("0001", 4).build();
    static final byte[] VPD_SERIAL = Bytes.of().hex("01 80 00 06").ascii("beaf11", 6).build();
    /** VPD 83h: a T10 vendor ID (as tgt reports drives), an NAA-5 LU name, and a relative target port (iSCSI, PIV). */
    static final byte[] VPD_IDS = Bytes.of().hex("01 83 00 3a")
            .hex("02 01 00 22").ascii("IET", 8).ascii("VIRTUAL-TAPE", 16).ascii("beaf11", 10)
            .hex("01 03 00 08 50 01 23 45 67 89 ab cd")
            .hex("51 94 00 04 00 00 00 01").build();

    @Test
    void tgtTapeDrive() {
        assertThat(TGT_TAPE).hasSize(66);
        InquiryData d = InquiryData.parse(TGT_TAPE);
        assertThat(d).isEqualTo(new InquiryData(0, 1, true, 5, 2, "IET", "VIRTUAL-TAPE", "0001"));
        assertThat(d.isTapeDrive()).isTrue();
        assertThat(d.isMediumChanger()).isFalse();
    }

    @Test
    void tgtChanger() {
        InquiryData d = InquiryData.parse(TGT_CHANGER);
        assertThat(d.product()).isEqualTo("VIRTUAL-CHANGER");
        assertThat(d.isMediumChanger()).isTrue();
        assertThat(d.removable()).isTrue();
    }

    @Test
    void the36BytesCairnAsksForAreEnoughWhateverTheDeviceDeclares() {
        InquiryData d = InquiryData.parse(Arrays.copyOf(TGT_TAPE, 36));
        assertThat(d.vendor()).isEqualTo("IET");
        assertThat(d.revision()).isEqualTo("0001");
    }

    @Test
    void unconnectedQualifierIsNotADevice() {
        byte[] b = TGT_TAPE.clone();
        b[0] = 0x21; // qualifier 001b: not connected
        InquiryData d = InquiryData.parse(b);
        assertThat(d.peripheralQualifier()).isEqualTo(1);
        assertThat(d.connected()).isFalse();
        assertThat(d.isTapeDrive()).isFalse();
    }

    @Test
    void oddBytesInIdentificationFieldsStayVisible() {
        byte[] b = TGT_TAPE.clone();
        b[9] = (byte) 0xE9;
        assertThat(InquiryData.parse(b).vendor()).isEqualTo("I\\xE9T");
    }

    @Test
    void rejectsShortStandardData() {
        assertThatThrownBy(() -> InquiryData.parse(Arrays.copyOf(TGT_TAPE, 35))).isInstanceOf(ScsiDecodeException.class)
                .hasMessageContaining("INQUIRY data");
        byte[] b = TGT_TAPE.clone();
        b[4] = 30; // declares 35 bytes
        assertThatThrownBy(() -> InquiryData.parse(b)).isInstanceOf(ScsiDecodeException.class).hasMessageContaining("ADDITIONAL LENGTH 30");
    }

    @Test
    void unitSerialNumber() {
        assertThat(VpdUnitSerial.parse(VPD_SERIAL)).isEqualTo(new VpdUnitSerial(1, "beaf11"));
        // padded serials are trimmed; bytes after the page length are ignored
        assertThat(VpdUnitSerial.parse(hex("01 80 00 04 20 41 42 00 ff ff")).serialNumber()).isEqualTo("AB");
    }

    @Test
    void unitSerialNumberRejectsOtherPagesAndCutAnswers() {
        assertThatThrownBy(() -> VpdUnitSerial.parse(hex("01 83 00 00"))).isInstanceOf(ScsiDecodeException.class)
                .hasMessageContaining("PAGE CODE is 83h");
        ScsiDecodeException cut = org.junit.jupiter.api.Assertions.assertThrows(ScsiDecodeException.class,
                () -> VpdUnitSerial.parse(Arrays.copyOf(VPD_SERIAL, 7)));
        assertThat(cut.requiredLength()).hasValue(10);
    }

    @Test
    void deviceIdentification() {
        VpdDeviceIdentification ids = VpdDeviceIdentification.parse(VPD_IDS);
        assertThat(ids.designators()).hasSize(3);
        Designator t10 = ids.designators().get(0);
        assertThat(t10.codeSet()).isEqualTo(Designator.CODE_SET_ASCII);
        assertThat(t10.type()).isEqualTo(Designator.TYPE_T10_VENDOR_ID);
        assertThat(t10.association()).isZero();
        assertThat(t10.text()).isEqualTo("IET     VIRTUAL-TAPE    beaf11");
        Designator naa = ids.designators().get(1);
        assertThat(naa.text()).isEqualTo("naa.500123456789abcd");
        Designator port = ids.designators().get(2);
        assertThat(port.protocolIdentifier()).isEqualTo(5);
        assertThat(port.piv()).isTrue();
        assertThat(port.association()).isEqualTo(1);
        assertThat(port.type()).isEqualTo(4);
        assertThat(ids.preferredIdentifier()).contains("naa.500123456789abcd");
    }

    @Test
    void withoutAnNaaTheT10VendorIdIsTheIdentifier() {
        byte[] onlyT10 = Bytes.of().hex("01 83 00 26").raw(Arrays.copyOfRange(VPD_IDS, 4, 42)).build();
        assertThat(VpdDeviceIdentification.parse(onlyT10).preferredIdentifier()).contains("IET     VIRTUAL-TAPE    beaf11");
        assertThat(VpdDeviceIdentification.parse(hex("01 83 00 00")).preferredIdentifier()).isEmpty();
    }

    @Test
    void aDesignatorRunningPastThePageIsMalformed() {
        // page length 12, but the designator declares 10 bytes after its 4-byte header
        assertThatThrownBy(() -> VpdDeviceIdentification.parse(hex("01 83 00 0c 01 03 00 0a 50 01 23 45 67 89 ab cd")))
                .isInstanceOf(ScsiDecodeException.class).hasMessageContaining("DESIGNATOR");
    }

    @Test
    void tgtsCapturedAnswers() {
        assertThat(InquiryData.parse(TgtCaptures.TAPE_INQUIRY))
                .isEqualTo(new InquiryData(0, InquiryData.TYPE_SEQUENTIAL_ACCESS, true, 5, 2, "IET", "VIRTUAL-TAPE", "0001"));
        assertThat(InquiryData.parse(TgtCaptures.CHANGER_INQUIRY))
                .isEqualTo(new InquiryData(0, InquiryData.TYPE_MEDIUM_CHANGER, true, 5, 2, "IET", "VIRTUAL-CHANGER", "0001"));
        // the serial number is right-aligned in 36 bytes
        assertThat(VpdUnitSerial.parse(TgtCaptures.TAPE_VPD_80).serialNumber()).isEqualTo("beaf11");
        VpdDeviceIdentification tape = VpdDeviceIdentification.parse(TgtCaptures.TAPE_VPD_83);
        assertThat(tape.designators()).extracting(Designator::text)
                .containsExactly("IET     00010001", "naa.3000000100000001", "naa.60000000000000000e00000000010001");
        assertThat(tape.preferredIdentifier()).contains("naa.3000000100000001");
        // every LUN gets its own NAA name
        assertThat(VpdDeviceIdentification.parse(TgtCaptures.CHANGER_VPD_83).preferredIdentifier()).contains("naa.3000000100000003");
    }

    @Test
    void robustness() {
        Robustness.check("InquiryData", InquiryData::parse, List.of(TGT_TAPE, TGT_CHANGER, TgtCaptures.TAPE_INQUIRY), 0x12L);
        Robustness.check("VpdUnitSerial", VpdUnitSerial::parse, List.of(VPD_SERIAL, TgtCaptures.TAPE_VPD_80), 0x80L);
        Robustness.check("VpdDeviceIdentification", VpdDeviceIdentification::parse,
                List.of(VPD_IDS, TgtCaptures.TAPE_VPD_83, TgtCaptures.CHANGER_VPD_83), 0x83L);
    }
}
