package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SenseTest {
    // fixed format, from the emulator notes (2.5)
    /** tgt past the end of a 1 MiB cartridge: NO SENSE with EOM, 00/00. */
    static final byte[] EOM = hex("70 00 40 00 00 00 00 0a 00 00 00 00 00 00 00 00 00 00");
    /** READ at a filemark: NO SENSE with FILEMARK, 00/01. */
    static final byte[] FILEMARK = hex("70 00 80 00 00 00 00 0a 00 00 00 00 00 01 00 00 00 00");
    /** READ(6) of 8192 on a 4096-byte block: ILI, VALID, information 0x1000 (the residue). */
    static final byte[] ILI = hex("f0 00 20 00 00 10 00 0a 00 00 00 00 00 00 00 00 00 00");
    /** READ at end of data on tgt: BLANK CHECK with EOM (byte 2 = 48h), 00/00. */
    static final byte[] BLANK_CHECK_EOM = hex("70 00 48 00 00 00 00 0a 00 00 00 00 00 00 00 00 00 00");
    /** TEST UNIT READY on an empty drive: NOT READY 3A/00. */
    static final byte[] NO_MEDIUM = hex("70 00 02 00 00 00 00 0a 00 00 00 00 3a 00 00 00 00 00");
    /** ILLEGAL REQUEST 24/00 with sense key specific: SKSV, C/D=1 (CDB), field pointer byte 1. */
    static final byte[] INVALID_FIELD = hex("70 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 c0 00 01");
    /** MOVE MEDIUM from an empty slot on tgt: ILLEGAL REQUEST 3B/0E. */
    static final byte[] SOURCE_EMPTY = hex("70 00 05 00 00 00 00 0a 00 00 00 00 3b 0e 00 00 00 00");

    // descriptor format, constructed by SPC-4
    /** BLANK CHECK 00/05 with an information descriptor (VALID, 0x1000) and a stream commands descriptor (EOM). */
    static final byte[] DESC_BLANK_CHECK = hex("72 08 00 05 00 00 00 10"
            + " 00 0a 80 00 00 00 00 00 00 00 10 00"
            + " 04 02 00 40");
    /** ILLEGAL REQUEST 24/00 with a sense key specific descriptor (SKSV, C/D, field pointer 1). */
    static final byte[] DESC_INVALID_FIELD = hex("72 05 24 00 00 00 00 08 02 06 00 00 c0 00 01 00");
    /** NO SENSE 00/01 with a stream commands descriptor (FILEMARK). */
    static final byte[] DESC_FILEMARK = hex("72 00 00 01 00 00 00 04 04 02 00 80");
    /** Deferred MEDIUM ERROR 11/00: command-specific descriptor 0x2a, then a vendor descriptor (80h) that is skipped. */
    static final byte[] DESC_DEFERRED = hex("73 03 11 00 00 00 00 12"
            + " 01 0a 00 00 00 00 00 00 00 00 00 2a"
            + " 80 04 de ad be ef");
    /** A block commands descriptor (05h) carries ILI for block devices. */
    static final byte[] DESC_BLOCK_ILI = hex("72 00 00 00 00 00 00 04 05 02 00 20");

    @Test
    void endOfMediumOnWriteIsNoSenseWithEom() {
        Sense s = Sense.parse(EOM);
        assertThat(s.responseCode()).isEqualTo(0x70);
        assertThat(s.current()).isTrue();
        assertThat(s.descriptorFormat()).isFalse();
        assertThat(s.key()).isEqualTo(Sense.NO_SENSE);
        assertThat(s.eom()).isTrue();
        assertThat(s.filemark()).isFalse();
        assertThat(s.ili()).isFalse();
        assertThat(s.informationValid()).isFalse();
        assertThat(s.category()).isEqualTo(SenseCategory.NO_SENSE);
        assertThat(s.category().isError()).isFalse();
        assertThat(s.describe()).isEqualTo("NO SENSE (00/00: no additional sense information) [EOM]");
    }

    @Test
    void filemark() {
        Sense s = Sense.parse(FILEMARK);
        assertThat(s.filemark()).isTrue();
        assertThat(s.asc()).isZero();
        assertThat(s.ascq()).isEqualTo(1);
        assertThat(s.category()).isEqualTo(SenseCategory.NO_SENSE);
        assertThat(s.describe()).isEqualTo("NO SENSE (00/01: filemark detected) [FILEMARK]");
    }

    @Test
    void incorrectLengthCarriesTheResidueInInformation() {
        Sense s = Sense.parse(ILI);
        assertThat(s.ili()).isTrue();
        assertThat(s.informationValid()).isTrue();
        assertThat(s.information()).isEqualTo(0x1000);
        assertThat(s.describe()).isEqualTo("NO SENSE (00/00: no additional sense information) [ILI, information 4096]");
        // a block longer than requested gives a negative residue: the 4-byte field is signed
        Sense longer = Sense.parse(hex("f0 00 20 ff ff f0 00 0a 00 00 00 00 00 00 00 00 00 00"));
        assertThat(longer.information()).isEqualTo(-4096);
    }

    @Test
    void blankCheckAtEndOfData() {
        Sense s = Sense.parse(BLANK_CHECK_EOM);
        assertThat(s.key()).isEqualTo(Sense.BLANK_CHECK);
        assertThat(s.eom()).isTrue();
        assertThat(s.category()).isEqualTo(SenseCategory.BLANK_CHECK);
        assertThat(s.describe()).isEqualTo("BLANK CHECK (00/00: no additional sense information) [EOM]");
        // what real drives send: 00/05
        assertThat(Sense.parse(hex("70 00 08 00 00 00 00 0a 00 00 00 00 00 05 00 00 00 00")).describe())
                .isEqualTo("BLANK CHECK (00/05: end-of-data detected)");
    }

    @Test
    void notReadyNoMedium() {
        Sense s = Sense.parse(NO_MEDIUM);
        assertThat(s.describe()).isEqualTo("NOT READY (3A/00: medium not present)");
        assertThat(s.category()).isEqualTo(SenseCategory.NOT_READY_NO_MEDIUM);
        assertThat(s.category().retry()).isEqualTo(RetryPolicy.NONE);
    }

    @Test
    void senseKeySpecificOnlyWhenSksvIsSet() {
        Sense s = Sense.parse(INVALID_FIELD);
        assertThat(s.senseKeySpecific()).isEqualTo(OptionalInt.of(0x400001));
        assertThat(s.describe()).isEqualTo("ILLEGAL REQUEST (24/00: invalid field in CDB)");
        assertThat(Sense.parse(NO_MEDIUM).senseKeySpecific()).isEmpty();
        // 14 bytes (ADDITIONAL SENSE LENGTH 6): ASC/ASCQ present, no sense key specific bytes
        Sense shortSense = Sense.parse(hex("70 00 05 00 00 00 00 06 00 00 00 00 20 00"));
        assertThat(shortSense.asc()).isEqualTo(0x20);
        assertThat(shortSense.senseKeySpecific()).isEmpty();
    }

    @Test
    void changerErrorsFromTheNotes() {
        assertThat(Sense.parse(SOURCE_EMPTY).describe()).isEqualTo("ILLEGAL REQUEST (3B/0E: medium source element empty)");
        assertThat(Sense.parse(hex("70 00 05 00 00 00 00 0a 00 00 00 00 3b 0d 00 00 00 00")).describe())
                .isEqualTo("ILLEGAL REQUEST (3B/0D: medium destination element full)");
        assertThat(Sense.parse(hex("70 00 05 00 00 00 00 0a 00 00 00 00 53 02 00 00 00 00")).describe())
                .isEqualTo("ILLEGAL REQUEST (53/02: medium removal prevented)");
    }

    @Test
    void commandSpecificInformationAndDeferredErrors() {
        Sense s = Sense.parse(hex("71 00 03 00 00 00 00 0a 12 34 56 78 11 00 00 00 00 00"));
        assertThat(s.current()).isFalse();
        assertThat(s.commandSpecific()).isEqualTo(0x12345678L);
        assertThat(s.category()).isEqualTo(SenseCategory.MEDIUM_ERROR);
        assertThat(s.describe()).isEqualTo("MEDIUM ERROR (11/00: unrecovered read error) [deferred]");
    }

    @Test
    void bytesBeyondTheAdditionalSenseLengthAreIgnored() {
        // ADDITIONAL SENSE LENGTH 6: byte 15 (an SKSV bit) lies outside the sense data and must not be read
        Sense s = Sense.parse(hex("70 00 05 00 00 00 00 06 00 00 00 00 24 00 00 c0 00 01"));
        assertThat(s.senseKeySpecific()).isEmpty();
    }

    @Test
    void descriptorFormatBlankCheck() {
        Sense s = Sense.parse(DESC_BLANK_CHECK);
        assertThat(s.descriptorFormat()).isTrue();
        assertThat(s.key()).isEqualTo(Sense.BLANK_CHECK);
        assertThat(s.asc()).isZero();
        assertThat(s.ascq()).isEqualTo(5);
        assertThat(s.informationValid()).isTrue();
        assertThat(s.information()).isEqualTo(0x1000);
        assertThat(s.eom()).isTrue();
        assertThat(s.filemark()).isFalse();
        assertThat(s.describe()).isEqualTo("BLANK CHECK (00/05: end-of-data detected) [EOM, information 4096]");
    }

    @Test
    void descriptorFormatSenseKeySpecificFilemarkAndDeferred() {
        Sense invalid = Sense.parse(DESC_INVALID_FIELD);
        assertThat(invalid.key()).isEqualTo(Sense.ILLEGAL_REQUEST);
        assertThat(invalid.senseKeySpecific()).isEqualTo(OptionalInt.of(0x400001));

        Sense fm = Sense.parse(DESC_FILEMARK);
        assertThat(fm.filemark()).isTrue();
        assertThat(fm.describe()).isEqualTo("NO SENSE (00/01: filemark detected) [FILEMARK]");

        Sense deferred = Sense.parse(DESC_DEFERRED);
        assertThat(deferred.current()).isFalse();
        assertThat(deferred.commandSpecific()).isEqualTo(0x2a);
        assertThat(deferred.category()).isEqualTo(SenseCategory.MEDIUM_ERROR);

        assertThat(Sense.parse(DESC_BLOCK_ILI).ili()).isTrue();
    }

    @Test
    void descriptorCutByTheTransportIsDroppedButAnOverrunIsMalformed() {
        // declared 16 additional bytes, the buffer stops inside the stream descriptor: the information survives
        Sense cut = Sense.parse(java.util.Arrays.copyOf(DESC_BLANK_CHECK, 22));
        assertThat(cut.informationValid()).isTrue();
        assertThat(cut.eom()).isFalse();
        // complete buffer, but the information descriptor claims 10 bytes where the sense data has 2
        assertThatThrownBy(() -> Sense.parse(hex("72 00 00 00 00 00 00 04 00 0a 80 00")))
                .isInstanceOf(ScsiDecodeException.class)
                .hasMessageContaining("descriptor-format sense data at offset 8");
        // a known descriptor shorter than SPC allows
        assertThatThrownBy(() -> Sense.parse(hex("72 00 00 00 00 00 00 04 00 02 80 00")))
                .isInstanceOf(ScsiDecodeException.class).hasMessageContaining("information descriptor");
    }

    @Test
    void rejectsWhatIsNotSenseData() {
        assertThatThrownBy(() -> Sense.parse(new byte[0])).isInstanceOf(ScsiDecodeException.class);
        assertThatThrownBy(() -> Sense.parse(hex("7f 00 05 00 00 00 00 0a 00 00 00 00 24 00 00 00 00 00")))
                .isInstanceOf(ScsiDecodeException.class).hasMessageContaining("RESPONSE CODE 7Fh");
        // fixed format without room for ASC/ASCQ
        assertThatThrownBy(() -> Sense.parse(hex("70 00 05 00 00 00 00 00")))
                .isInstanceOf(ScsiDecodeException.class).hasMessageContaining("ASC/ASCQ");
        // fixed format cut before ASCQ
        assertThatThrownBy(() -> Sense.parse(hex("70 00 05 00 00 00 00 0a 00 00 00 00 24")))
                .isInstanceOf(ScsiDecodeException.class).hasMessageContaining("ASCQ");
    }

    @Test
    void describeNamesVendorSpecificAndUnknownCodes() {
        assertThat(Sense.parse(hex("70 00 04 00 00 00 00 0a 00 00 00 00 82 01 00 00 00 00")).describe())
                .isEqualTo("HARDWARE ERROR (82/01: vendor specific)");
        assertThat(Sense.parse(hex("70 00 04 00 00 00 00 0a 00 00 00 00 44 81 00 00 00 00")).describe())
                .isEqualTo("HARDWARE ERROR (44/81: vendor specific)");
        assertThat(Sense.parse(hex("70 00 0b 00 00 00 00 0a 00 00 00 00 47 7f 00 00 00 00")).describe())
                .isEqualTo("ABORTED COMMAND (47/7F: unknown)");
        assertThat(Sense.parse(hex("70 00 0d 00 00 00 00 0a 00 00 00 00 00 02 00 00 00 00")).keyName()).isEqualTo("VOLUME OVERFLOW");
    }

    @Test
    void additionalSenseTableCoversTheCodesATapeLibraryMeets() {
        int[][] required = {{0x00, 0x00}, {0x00, 0x01}, {0x00, 0x02}, {0x00, 0x04}, {0x00, 0x05}, {0x04, 0x00}, {0x04, 0x01},
            {0x04, 0x02}, {0x0C, 0x00}, {0x11, 0x00}, {0x14, 0x00}, {0x1A, 0x00}, {0x20, 0x00}, {0x24, 0x00}, {0x25, 0x00},
            {0x26, 0x00}, {0x27, 0x00}, {0x28, 0x00}, {0x29, 0x00}, {0x30, 0x00}, {0x31, 0x00}, {0x3A, 0x00}, {0x3B, 0x0D},
            {0x3B, 0x0E}, {0x3B, 0x11}, {0x53, 0x02}, {0x5D, 0x00}};
        for (int[] code : required) {
            assertThat(AdditionalSense.describe(code[0], code[1])).as("%02X/%02X", code[0], code[1])
                    .isNotIn("unknown", "vendor specific");
        }
        assertThat(AdditionalSense.describe(0x28, 0x00)).contains("medium may have changed");
        assertThat(AdditionalSense.describe(0x20, 0x00)).isEqualTo("invalid command operation code");
    }

    @Test
    void tgtsCapturedSense() {
        assertThat(Sense.parse(TgtCaptures.SENSE_NO_MEDIUM).category()).isEqualTo(SenseCategory.NOT_READY_NO_MEDIUM);
        assertThat(Sense.parse(TgtCaptures.SENSE_ILI)).isEqualTo(Sense.parse(ILI));
        Sense filemark = Sense.parse(TgtCaptures.SENSE_FILEMARK);
        // tgt sets VALID and puts the whole requested length (8192, nothing transferred) in INFORMATION
        assertThat(filemark.describe()).isEqualTo("NO SENSE (00/01: filemark detected) [FILEMARK, information 8192]");
        assertThat(Sense.parse(TgtCaptures.SENSE_BLANK_CHECK)).isEqualTo(Sense.parse(BLANK_CHECK_EOM));
        assertThat(Sense.parse(TgtCaptures.SENSE_INVALID_OPCODE).describe())
                .isEqualTo("ILLEGAL REQUEST (20/00: invalid command operation code)");
        Sense eod = Sense.parse(TgtCaptures.SENSE_SPACE_EOD);
        assertThat(eod.describe()).isEqualTo("NO SENSE (00/05: end-of-data detected)");
        assertThat(eod.category()).isEqualTo(SenseCategory.NO_SENSE);
        assertThat(Sense.parse(TgtCaptures.REQUEST_SENSE).describe()).isEqualTo("NO SENSE (00/00: no additional sense information)");
    }

    @Test
    void robustness() {
        List<byte[]> fixed = List.of(EOM, FILEMARK, ILI, BLANK_CHECK_EOM, NO_MEDIUM, INVALID_FIELD, SOURCE_EMPTY,
                TgtCaptures.SENSE_FILEMARK, TgtCaptures.SENSE_SPACE_EOD, TgtCaptures.SENSE_INVALID_OPCODE);
        List<byte[]> descriptor = List.of(DESC_BLANK_CHECK, DESC_INVALID_FIELD, DESC_FILEMARK, DESC_DEFERRED, DESC_BLOCK_ILI);
        // a prefix that still decodes must agree with the whole on what the sense data is about
        java.util.function.BiConsumer<Sense, Sense> sameCondition = (full, part) -> {
            assertThat(part.responseCode()).isEqualTo(full.responseCode());
            assertThat(part.key()).isEqualTo(full.key());
            assertThat(part.asc()).isEqualTo(full.asc());
            assertThat(part.ascq()).isEqualTo(full.ascq());
        };
        Robustness.check("Sense (fixed)", Sense::parse, fixed, 70L, sameCondition);
        Robustness.check("Sense (descriptor)", Sense::parse, descriptor, 72L, sameCondition);
    }
}
