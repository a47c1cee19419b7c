package dev.cairn.tape.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** READ ELEMENT STATUS data: tgt's real answers, and a spec-conformant multi-page answer built by SMC-3. */
class ElementStatusTest {

    /**
     * One answer as a library that follows SMC-3 would send it for an ALL query with VOLTAG and DVCID: a medium
     * transport page without volume tags, a storage page with primary tags, an import/export page with primary and
     * alternate tags and the IE flags, and a data transfer page with a tag and a device identifier.
     */
    static final byte[] CONFORMANT_ALL = conformantAll();

    private static byte[] conformantAll() {
        byte[] mt = Bytes.of()
                .hex("01 00 00 10 00 00 00 10")                                   // page: MT, no tags, 16-byte descriptors, 16 bytes
                .hex("00 01 04 00 3b 0e 00 00 00 00 00 00").zeros(4)               // 1: EXCEPT, 3B/0E
                .build();
        byte[] st = Bytes.of()
                .hex("02 80 00 34 00 00 00 68")                                   // page: ST, PVOLTAG, 52-byte descriptors, 104 bytes
                .hex("03 e8 09 00 00 00 00 00 00 80 00 10").ascii("A00001L8", 32).zeros(4).zeros(4)   // 1000: FULL+ACCESS, from 16
                .hex("03 e9 08 00 00 00 00 00 00 00 00 00").ascii("", 32).zeros(4).zeros(4)           // 1001: ACCESS, empty
                .build();
        byte[] ie = Bytes.of()
                .hex("03 c0 00 58 00 00 00 58")                                   // page: IE, PVOLTAG+AVOLTAG, 88-byte descriptors
                .hex("00 10 3b 00 00 00 00 00 00 00 00 00")                        // 16: FULL, IMPEXP, ACCESS, EXENAB, INENAB
                .ascii("CLN001L1", 32).zeros(4).ascii("ALT-TAG", 32).zeros(4).zeros(4)
                .build();
        byte[] dt = Bytes.of()
                .hex("04 80 00 56 00 00 00 56")                                   // page: DT, PVOLTAG, 86-byte descriptors
                .hex("01 00 01 00 00 00 00 00 00 c1 03 e9")                        // 256: FULL, SVALID, INVERT, medium type 1, from 1001
                .ascii("A00002L8", 32).zeros(4)
                .hex("02 01 00 22").ascii("IBM", 8).ascii("ULT3580-TD8", 16).ascii("1013000123", 10)
                .build();
        int count = mt.length + st.length + ie.length + dt.length;
        return Bytes.of().hex("00 01 00 06 00").u24(count).raw(mt).raw(st).raw(ie).raw(dt).build();
    }

    @Test
    void aConformantAllTypesAnswer() {
        ElementStatus status = ElementStatus.parse(CONFORMANT_ALL);
        assertThat(status.firstElementAddress()).isEqualTo(1);
        assertThat(status.numberOfElements()).isEqualTo(6);
        assertThat(status.elements()).extracting(ElementDescriptor::type).containsExactly(ElementType.MEDIUM_TRANSPORT,
                ElementType.STORAGE, ElementType.STORAGE, ElementType.IMPORT_EXPORT, ElementType.DATA_TRANSFER);

        ElementDescriptor gripper = status.ofType(ElementType.MEDIUM_TRANSPORT).getFirst();
        assertThat(gripper.exception()).isTrue();
        assertThat(gripper.asc()).isEqualTo(0x3b);
        assertThat(gripper.ascq()).isEqualTo(0x0e);
        assertThat(gripper.primaryVolumeTag()).isEmpty();

        List<ElementDescriptor> slots = status.ofType(ElementType.STORAGE);
        assertThat(slots).extracting(ElementDescriptor::address).containsExactly(1000, 1001);
        assertThat(slots.get(0).full()).isTrue();
        assertThat(slots.get(0).access()).isTrue();
        assertThat(slots.get(0).source()).contains(16);
        assertThat(slots.get(1).source()).isEmpty();
        assertThat(slots.get(0).primaryVolumeTag()).isEqualTo("A00001L8");
        assertThat(slots.get(1).full()).isFalse();
        assertThat(slots.get(1).primaryVolumeTag()).isEmpty();
        // IE-only flags are not read from other element types, even when the bits are set
        assertThat(slots.get(0).impExp()).isFalse();

        ElementDescriptor mail = status.ofType(ElementType.IMPORT_EXPORT).getFirst();
        assertThat(mail.full()).isTrue();
        assertThat(mail.impExp()).isTrue();
        assertThat(mail.access()).isTrue();
        assertThat(mail.exEnab()).isTrue();
        assertThat(mail.inEnab()).isTrue();
        assertThat(mail.primaryVolumeTag()).isEqualTo("CLN001L1");
        assertThat(mail.alternateVolumeTag()).isEqualTo("ALT-TAG");

        ElementDescriptor drive = status.ofType(ElementType.DATA_TRANSFER).getFirst();
        assertThat(drive.address()).isEqualTo(256);
        assertThat(drive.full()).isTrue();
        assertThat(drive.sourceValid()).isTrue();
        assertThat(drive.source()).contains(1001);
        assertThat(drive.invert()).isTrue();
        assertThat(drive.mediumType()).isEqualTo(1);
        assertThat(drive.primaryVolumeTag()).isEqualTo("A00002L8");
        assertThat(drive.deviceIdentifierText()).contains("IBM     ULT3580-TD8     1013000123");
        assertThat(drive.deviceIdentifier().orElseThrow().codeSet()).isEqualTo(Designator.CODE_SET_ASCII);
        assertThat(drive.deviceIdentifier().orElseThrow().type()).isEqualTo(Designator.TYPE_T10_VENDOR_ID);
    }

    @Test
    void tgtSendsEveryAnswerEightBytesShortOfItsByteCount() {
        // the decoder holds tgt to its own header and says how much the header promised
        for (byte[] answer : List.of(TgtCaptures.RES_MEDIUM_TRANSPORT, TgtCaptures.RES_STORAGE_AFTER_MOVE,
                TgtCaptures.RES_IMPORT_EXPORT, TgtCaptures.RES_DATA_TRANSFER_DVCID)) {
            ScsiDecodeException e = assertThrows(ScsiDecodeException.class, () -> ElementStatus.parse(answer));
            assertThat(e.requiredLength()).hasValue(answer.length + 8);
            assertThat(e.getMessage()).startsWith("READ ELEMENT STATUS data").contains("BYTE COUNT OF REPORT AVAILABLE");
        }
    }

    @Test
    void tgtMediumTransportPaddedByTheDeviceLayer() {
        ElementStatus status = ElementStatus.parse(TgtCaptures.paddedBy8(TgtCaptures.RES_MEDIUM_TRANSPORT));
        // FIRST ELEMENT ADDRESS REPORTED is 257 although the only element is 1: reported as sent, never trusted
        assertThat(status.firstElementAddress()).isEqualTo(257);
        assertThat(status.elements()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(ElementType.MEDIUM_TRANSPORT);
            assertThat(e.address()).isEqualTo(1);
            assertThat(e.full()).isFalse();
            assertThat(e.primaryVolumeTag()).isEmpty();
        });
    }

    @Test
    void tgtStorageAfterMovingTheFirstCartridgeToADrive() {
        ElementStatus status = ElementStatus.parse(TgtCaptures.paddedBy8(TgtCaptures.RES_STORAGE_AFTER_MOVE));
        assertThat(status.elements()).hasSize(10);
        assertThat(status.elements()).extracting(ElementDescriptor::address)
                .containsExactly(1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009);
        assertThat(status.elements()).extracting(ElementDescriptor::primaryVolumeTag)
                .containsExactly("", "FEA002L6", "FEA003L6", "FEA004L6", "FEA005L6", "", "", "", "", "");
        assertThat(status.elements()).extracting(ElementDescriptor::full)
                .containsExactly(false, true, true, true, true, false, false, false, false, false);
        // tgt sets only FULL: no ACCESS, no source for cartridges that were never moved
        assertThat(status.elements()).noneMatch(ElementDescriptor::access).noneMatch(ElementDescriptor::sourceValid);
    }

    @Test
    void tgtImportExport() {
        ElementStatus status = ElementStatus.parse(TgtCaptures.paddedBy8(TgtCaptures.RES_IMPORT_EXPORT));
        assertThat(status.elements()).extracting(ElementDescriptor::address).containsExactly(16, 17);
        assertThat(status.elements().get(0).primaryVolumeTag()).isEqualTo("FEA006L6");
        assertThat(status.elements().get(0).full()).isTrue();
        // no IMPEXP, INENAB or EXENAB from tgt
        assertThat(status.elements().get(0).impExp()).isFalse();
        assertThat(status.elements().get(0).inEnab()).isFalse();
        assertThat(status.elements().get(1).full()).isFalse();
    }

    @Test
    void tgtDrivesWithDeviceIdentifiers() {
        ElementStatus status = ElementStatus.parse(TgtCaptures.paddedBy8(TgtCaptures.RES_DATA_TRANSFER_DVCID));
        ElementDescriptor first = status.elements().get(0);
        assertThat(first.address()).isEqualTo(256);
        assertThat(first.full()).isTrue();
        assertThat(first.source()).contains(1000);
        assertThat(first.primaryVolumeTag()).isEqualTo("FEA001L6");
        assertThat(first.deviceIdentifierText()).contains("IET     VIRTUAL-TAPE    beaf11");
        ElementDescriptor second = status.elements().get(1);
        assertThat(second.address()).isEqualTo(257);
        assertThat(second.full()).isFalse();
        // the 8 bytes tgt never sent held the rest of this serial number ("af12" and padding)
        assertThat(second.deviceIdentifierText()).contains("IET     VIRTUAL-TAPE    be");
    }

    @Test
    void tgtsAllTypesAnswerIsRejectedNotMisread() {
        // the storage page header lands inside the medium transport descriptor (notes 2.5); padded or not, the
        // decoder must not turn it into an inventory
        assertThatThrownBy(() -> ElementStatus.parse(TgtCaptures.RES_ALL)).isInstanceOf(ScsiDecodeException.class);
        assertThatThrownBy(() -> ElementStatus.parse(TgtCaptures.paddedBy8(TgtCaptures.RES_ALL))).isInstanceOf(ScsiDecodeException.class);
    }

    @Test
    void anEmptyReportAndBytesAfterTheByteCount() {
        assertThat(ElementStatus.parse(CdbAssert.hex("00 00 00 00 00 00 00 00")).elements()).isEmpty();
        byte[] padded = Arrays.copyOf(CONFORMANT_ALL, CONFORMANT_ALL.length + 100);
        assertThat(ElementStatus.parse(padded)).isEqualTo(ElementStatus.parse(CONFORMANT_ALL));
    }

    @Test
    void malformedPages() {
        // element type code 0 (ALL) is not a page type
        rejects(Bytes.of().hex("00 00 00 01 00 00 00 08 00 00 00 0c 00 00 00 00").build(), "ELEMENT TYPE CODE 0");
        // PVOLTAG with a 16-byte descriptor cannot hold a 36-byte volume tag
        rejects(Bytes.of().hex("00 00 00 01 00 00 00 18 02 80 00 10 00 00 00 10").zeros(16).build(), "ELEMENT DESCRIPTOR LENGTH 16");
        // descriptor data that is not a whole number of descriptors
        rejects(Bytes.of().hex("00 00 00 01 00 00 00 1c 02 00 00 10 00 00 00 14").zeros(20).build(), "not a multiple");
        // a page that runs past the report
        rejects(Bytes.of().hex("00 00 00 01 00 00 00 18 02 00 00 10 00 00 00 20").zeros(16).build(), "element status page");
        // a drive identifier longer than its descriptor
        byte[] badId = Bytes.of().hex("00 00 00 01 00 00 00 1c 04 00 00 14 00 00 00 14")
                .hex("01 00 00 00 00 00 00 00 00 00 00 00 02 01 00 09 41 42 43 44").build();
        rejects(badId, "DESIGNATOR");
    }

    private static void rejects(byte[] data, String messagePart) {
        ScsiDecodeException e = assertThrows(ScsiDecodeException.class, () -> ElementStatus.parse(data));
        assertThat(e.getMessage()).contains(messagePart);
        assertThat(e.requiredLength()).isEmpty();
    }

    @Test
    void robustness() {
        List<byte[]> samples = new ArrayList<>(List.of(CONFORMANT_ALL));
        for (byte[] tgt : List.of(TgtCaptures.RES_MEDIUM_TRANSPORT, TgtCaptures.RES_STORAGE_AFTER_MOVE,
                TgtCaptures.RES_IMPORT_EXPORT, TgtCaptures.RES_DATA_TRANSFER_DVCID)) {
            samples.add(TgtCaptures.paddedBy8(tgt));
        }
        Robustness.check("ElementStatus", ElementStatus::parse, samples, 0xB8L);
    }
}
