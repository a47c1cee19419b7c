package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.assertCdb;
import static dev.cairn.tape.scsi.CdbAssert.rejects;

import org.junit.jupiter.api.Test;

/**
 * Golden CDB bytes for every SPC-4 builder. Each expectation is followed by the field-by-field
 * reading of the SPC-4 CDB table it was checked against (byte: FIELD=value).
 */
class SpcTest {

    @Test
    void inquiry() {
        // SPC-4 INQUIRY: 0 opcode 12h | 1 EVPD=0 | 2 PAGE CODE=0 | 3-4 ALLOCATION LENGTH=0024h | 5 CONTROL
        assertCdb(Spc.inquiry(36), "INQUIRY", "12 00 00 00 24 00", Direction.IN, 36);
        assertCdb(Spc.inquiry(0xFFFF), "INQUIRY", "12 00 00 ff ff 00", Direction.IN, 0xFFFF);
        rejects(() -> Spc.inquiry(0), "INQUIRY", "allocation");
        rejects(() -> Spc.inquiry(0x10000), "INQUIRY", "allocation");
    }

    @Test
    void inquiryVpd() {
        // SPC-4 INQUIRY: 0 opcode 12h | 1 EVPD=1 | 2 PAGE CODE=83h | 3-4 ALLOCATION LENGTH=00FFh | 5 CONTROL
        assertCdb(Spc.inquiryVpd(0x83, 255), "INQUIRY", "12 01 83 00 ff 00", Direction.IN, 255);
        // unit serial number page 80h, allocation 0100h
        assertCdb(Spc.inquiryVpd(0x80, 256), "INQUIRY", "12 01 80 01 00 00", Direction.IN, 256);
        rejects(() -> Spc.inquiryVpd(0x100, 10), "INQUIRY", "page");
        rejects(() -> Spc.inquiryVpd(-1, 10), "INQUIRY", "page");
        rejects(() -> Spc.inquiryVpd(0x80, 0), "INQUIRY", "allocation");
    }

    @Test
    void testUnitReady() {
        // SPC-4 TEST UNIT READY: 0 opcode 00h | 1-4 reserved | 5 CONTROL; also the emulator notes' "TUR 000000000000"
        assertCdb(Spc.testUnitReady(), "TEST UNIT READY", "00 00 00 00 00 00", Direction.NONE, 0);
    }

    @Test
    void requestSense() {
        // SPC-4 REQUEST SENSE: 0 opcode 03h | 1 DESC=0 | 2-3 reserved | 4 ALLOCATION LENGTH=12h | 5 CONTROL
        assertCdb(Spc.requestSense(18), "REQUEST SENSE", "03 00 00 00 12 00", Direction.IN, 18);
        assertCdb(Spc.requestSense(252), "REQUEST SENSE", "03 00 00 00 fc 00", Direction.IN, 252);
        rejects(() -> Spc.requestSense(0), "REQUEST SENSE", "allocation");
        rejects(() -> Spc.requestSense(256), "REQUEST SENSE", "allocation");
    }

    @Test
    void modeSense6() {
        // SPC-4 MODE SENSE(6): 0 opcode 1Ah | 1 DBD (bit 3) | 2 PC=00b + PAGE CODE | 3 SUBPAGE | 4 ALLOCATION | 5 CONTROL
        assertCdb(Spc.modeSense6(0x0F, 0, false, 0xFF), "MODE SENSE(6)", "1a 00 0f 00 ff 00", Direction.IN, 255);
        assertCdb(Spc.modeSense6(0x1D, 0, true, 0x24), "MODE SENSE(6)", "1a 08 1d 00 24 00", Direction.IN, 0x24);
        // all pages and subpages: page 3Fh, subpage FFh
        assertCdb(Spc.modeSense6(0x3F, 0xFF, false, 200), "MODE SENSE(6)", "1a 00 3f ff c8 00", Direction.IN, 200);
        rejects(() -> Spc.modeSense6(0x40, 0, false, 10), "MODE SENSE(6)", "page");
        rejects(() -> Spc.modeSense6(0x10, 0x100, false, 10), "MODE SENSE(6)", "subpage");
        rejects(() -> Spc.modeSense6(0x10, -1, false, 10), "MODE SENSE(6)", "subpage");
        rejects(() -> Spc.modeSense6(0x10, 0, false, 256), "MODE SENSE(6)", "allocation");
        rejects(() -> Spc.modeSense6(0x10, 0, false, 0), "MODE SENSE(6)", "allocation");
    }

    @Test
    void modeSense10() {
        // SPC-4 MODE SENSE(10): 0 opcode 5Ah | 1 LLBAA=0, DBD (bit 3) | 2 PC=00b + PAGE CODE | 3 SUBPAGE | 4-6 reserved
        //                       | 7-8 ALLOCATION LENGTH | 9 CONTROL
        assertCdb(Spc.modeSense10(0x1D, 0, true, 0x1000), "MODE SENSE(10)", "5a 08 1d 00 00 00 00 10 00 00", Direction.IN, 0x1000);
        assertCdb(Spc.modeSense10(0x0A, 0x01, false, 0xFFFF), "MODE SENSE(10)", "5a 00 0a 01 00 00 00 ff ff 00", Direction.IN, 0xFFFF);
        rejects(() -> Spc.modeSense10(0x40, 0, false, 10), "MODE SENSE(10)", "page");
        rejects(() -> Spc.modeSense10(0x10, 0, false, 0x10000), "MODE SENSE(10)", "allocation");
    }

    @Test
    void modeSelect6() {
        // SPC-4 MODE SELECT(6): 0 opcode 15h | 1 PF=1 (bit 4), SP=0 | 2-3 reserved | 4 PARAMETER LIST LENGTH=0Ch | 5 CONTROL
        // (the emulator notes: without PF tgt answers 05/2400; header + 8-byte block descriptor = 12 bytes)
        assertCdb(Spc.modeSelect6(12), "MODE SELECT(6)", "15 10 00 00 0c 00", Direction.OUT, 0);
        rejects(() -> Spc.modeSelect6(0), "MODE SELECT(6)", "parameterListLength");
        rejects(() -> Spc.modeSelect6(256), "MODE SELECT(6)", "parameterListLength");
    }

    @Test
    void modeSelect10() {
        // SPC-4 MODE SELECT(10): 0 opcode 55h | 1 PF=1, SP=0 | 2-6 reserved | 7-8 PARAMETER LIST LENGTH=0118h | 9 CONTROL
        assertCdb(Spc.modeSelect10(0x118), "MODE SELECT(10)", "55 10 00 00 00 00 00 01 18 00", Direction.OUT, 0);
        rejects(() -> Spc.modeSelect10(0x10000), "MODE SELECT(10)", "parameterListLength");
    }

    @Test
    void logSense() {
        // SPC-4 LOG SENSE: 0 opcode 4Dh | 1 PPC=0, SP=0 | 2 PC=01b (cumulative) + PAGE CODE 2Eh = 6Eh | 3 SUBPAGE
        //                  | 4 reserved | 5-6 PARAMETER POINTER=0 | 7-8 ALLOCATION LENGTH=0200h | 9 CONTROL
        assertCdb(Spc.logSense(0x2E, 0, 0x200), "LOG SENSE", "4d 00 6e 00 00 00 00 02 00 00", Direction.IN, 0x200);
        assertCdb(Spc.logSense(0x00, 0xFF, 0x40), "LOG SENSE", "4d 00 40 ff 00 00 00 00 40 00", Direction.IN, 0x40);
        rejects(() -> Spc.logSense(0x40, 0, 10), "LOG SENSE", "page");
        rejects(() -> Spc.logSense(0x2E, 256, 10), "LOG SENSE", "subpage");
        rejects(() -> Spc.logSense(0x2E, 0, 0x10000), "LOG SENSE", "allocation");
    }

    @Test
    void reportLuns() {
        // SPC-4 REPORT LUNS: 0 opcode A0h | 1 reserved | 2 SELECT REPORT=00h | 3-5 reserved | 6-9 ALLOCATION LENGTH=0400h
        //                    | 10 reserved | 11 CONTROL
        assertCdb(Spc.reportLuns(0x400), "REPORT LUNS", "a0 00 00 00 00 00 00 00 04 00 00 00", Direction.IN, 0x400);
        assertCdb(Spc.reportLuns(Integer.MAX_VALUE), "REPORT LUNS", "a0 00 00 00 00 00 7f ff ff ff 00 00", Direction.IN,
                Integer.MAX_VALUE);
        // SPC-4: an allocation length below 16 is an error the device may reject
        rejects(() -> Spc.reportLuns(15), "REPORT LUNS", "allocation");
    }

    @Test
    void reportSupportedOperationCodes() {
        // SPC-4 REPORT SUPPORTED OPERATION CODES: 0 opcode A3h | 1 SERVICE ACTION 0Ch | 2 RCTD=0, REPORTING OPTIONS=000b
        //   | 3 REQUESTED OPCODE=0 | 4-5 REQUESTED SERVICE ACTION=0 | 6-9 ALLOCATION LENGTH=1000h | 10 reserved | 11 CONTROL
        assertCdb(Spc.reportSupportedOperationCodes(0x1000), "REPORT SUPPORTED OPERATION CODES",
                "a3 0c 00 00 00 00 00 00 10 00 00 00", Direction.IN, 0x1000);
        rejects(() -> Spc.reportSupportedOperationCodes(3), "REPORT SUPPORTED OPERATION CODES", "allocation");
    }

    @Test
    void readAttribute() {
        // SPC-4 READ ATTRIBUTE: 0 opcode 8Ch | 1 SERVICE ACTION=00h (values) | 2-4 restricted | 5 LOGICAL VOLUME=0
        //   | 6 reserved | 7 PARTITION=0 | 8-9 FIRST ATTRIBUTE=0400h | 10-13 ALLOCATION=00001000h | 14 CACHE=0 | 15 CONTROL
        assertCdb(Spc.readAttribute(Spc.READ_ATTRIBUTE_VALUES, 0, 0x0400, 0x1000), "READ ATTRIBUTE",
                "8c 00 00 00 00 00 00 00 04 00 00 00 10 00 00 00", Direction.IN, 0x1000);
        // attribute list (01h) of partition 1 from 0806h
        assertCdb(Spc.readAttribute(Spc.READ_ATTRIBUTE_LIST, 1, 0x0806, 0x100), "READ ATTRIBUTE",
                "8c 01 00 00 00 00 00 01 08 06 00 00 01 00 00 00", Direction.IN, 0x100);
        rejects(() -> Spc.readAttribute(0x20, 0, 0, 10), "READ ATTRIBUTE", "serviceAction");
        rejects(() -> Spc.readAttribute(0, 256, 0, 10), "READ ATTRIBUTE", "partition");
        rejects(() -> Spc.readAttribute(0, 0, 0x10000, 10), "READ ATTRIBUTE", "firstAttribute");
        rejects(() -> Spc.readAttribute(0, 0, 0, 0), "READ ATTRIBUTE", "allocation");
    }

    @Test
    void writeAttribute() {
        // SPC-4 WRITE ATTRIBUTE: 0 opcode 8Dh | 1 WTC=0 | 2-4 restricted | 5 LOGICAL VOLUME=0 | 6 reserved | 7 PARTITION=0
        //   | 8-9 reserved | 10-13 PARAMETER LIST LENGTH=00000029h | 14 reserved | 15 CONTROL
        // (4-byte header + barcode attribute 0806h: 5-byte attribute header + 32 bytes = 41)
        assertCdb(Spc.writeAttribute(41), "WRITE ATTRIBUTE", "8d 00 00 00 00 00 00 00 00 00 00 00 00 29 00 00", Direction.OUT, 0);
        rejects(() -> Spc.writeAttribute(0), "WRITE ATTRIBUTE", "parameterListLength");
    }

    @Test
    void preventAllowMediumRemoval() {
        // SPC-4 PREVENT ALLOW MEDIUM REMOVAL: 0 opcode 1Eh | 1-3 reserved | 4 PREVENT (bits 1-0) | 5 CONTROL
        assertCdb(Spc.preventAllowMediumRemoval(true), "PREVENT ALLOW MEDIUM REMOVAL", "1e 00 00 00 01 00", Direction.NONE, 0);
        assertCdb(Spc.preventAllowMediumRemoval(false), "PREVENT ALLOW MEDIUM REMOVAL", "1e 00 00 00 00 00", Direction.NONE, 0);
    }
}
