package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbFields.MAX_16;
import static dev.cairn.tape.scsi.CdbFields.MAX_8;
import static dev.cairn.tape.scsi.CdbFields.check;
import static dev.cairn.tape.scsi.CdbFields.put16;
import static dev.cairn.tape.scsi.CdbFields.put32;

/**
 * CDB builders for SPC-4 primary commands (every device type: drives and changers). Pure functions:
 * no I/O, no state; each validates its arguments with an {@link IllegalArgumentException} naming the
 * field, and every CDB byte carries a comment with the T10 field layout. The CONTROL byte (last byte)
 * is always 0 (no NACA, no linking).
 *
 * <p>Allocation lengths must be at least 1: a data-in command that asks for no data is never what
 * Cairn means, and some transports mishandle a zero-length data-in phase.
 */
public final class Spc {
    private Spc() {
    }

    /** INQUIRY, standard data (EVPD=0). 36 bytes hold vendor, product and revision. */
    public static Cdb inquiry(int allocation) {
        String name = "INQUIRY";
        check(name, "allocation", allocation, 1, MAX_16);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.INQUIRY; // byte 0: OPERATION CODE 12h
        b[1] = 0;                       // byte 1: bit 0 EVPD=0 (standard data), bit 1 CMDDT (obsolete)=0
        b[2] = 0;                       // byte 2: PAGE CODE, must be 0 when EVPD=0
        put16(b, 3, allocation);        // bytes 3-4: ALLOCATION LENGTH (16 bits since SPC-3; SPC-2 devices read byte 4 only)
        b[5] = 0;                       // byte 5: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /** INQUIRY for a vital product data page (EVPD=1), e.g. 0x80 unit serial, 0x83 device identification. */
    public static Cdb inquiryVpd(int page, int allocation) {
        String name = "INQUIRY";
        check(name, "page", page, 0, MAX_8);
        check(name, "allocation", allocation, 1, MAX_16);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.INQUIRY; // byte 0: OPERATION CODE 12h
        b[1] = 0x01;                    // byte 1: bit 0 EVPD=1 (vital product data), bit 1 CMDDT=0
        b[2] = (byte) page;             // byte 2: PAGE CODE of the VPD page
        put16(b, 3, allocation);        // bytes 3-4: ALLOCATION LENGTH
        b[5] = 0;                       // byte 5: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /** TEST UNIT READY: no data; GOOD, or CHECK CONDITION with the reason (no medium, becoming ready...). */
    public static Cdb testUnitReady() {
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.TEST_UNIT_READY; // byte 0: OPERATION CODE 00h
        // bytes 1-4: reserved
        b[5] = 0;                               // byte 5: CONTROL
        return new Cdb("TEST UNIT READY", b, Direction.NONE, 0);
    }

    /** REQUEST SENSE in fixed format (DESC=0); 18 bytes hold the standard fixed sense data. */
    public static Cdb requestSense(int allocation) {
        String name = "REQUEST SENSE";
        check(name, "allocation", allocation, 1, MAX_8);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.REQUEST_SENSE; // byte 0: OPERATION CODE 03h
        b[1] = 0;                             // byte 1: bit 0 DESC=0 (fixed-format sense data)
        // bytes 2-3: reserved
        b[4] = (byte) allocation;             // byte 4: ALLOCATION LENGTH
        b[5] = 0;                             // byte 5: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /** MODE SENSE(6), current values (PC=00b). Page 0x3F with subpage 0xFF asks for everything. */
    public static Cdb modeSense6(int page, int subpage, boolean dbd, int allocation) {
        String name = "MODE SENSE(6)";
        check(name, "page", page, 0, 0x3F);
        check(name, "subpage", subpage, 0, MAX_8);
        check(name, "allocation", allocation, 1, MAX_8);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.MODE_SENSE_6; // byte 0: OPERATION CODE 1Ah
        b[1] = (byte) (dbd ? 0x08 : 0);      // byte 1: bit 3 DBD (disable block descriptors)
        b[2] = (byte) page;                  // byte 2: bits 7-6 PC=00b (current values), bits 5-0 PAGE CODE
        b[3] = (byte) subpage;               // byte 3: SUBPAGE CODE
        b[4] = (byte) allocation;            // byte 4: ALLOCATION LENGTH
        b[5] = 0;                            // byte 5: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /** MODE SENSE(10), current values (PC=00b), short block descriptors (LLBAA=0). */
    public static Cdb modeSense10(int page, int subpage, boolean dbd, int allocation) {
        String name = "MODE SENSE(10)";
        check(name, "page", page, 0, 0x3F);
        check(name, "subpage", subpage, 0, MAX_8);
        check(name, "allocation", allocation, 1, MAX_16);
        byte[] b = new byte[10];
        b[0] = (byte) OpCodes.MODE_SENSE_10; // byte 0: OPERATION CODE 5Ah
        b[1] = (byte) (dbd ? 0x08 : 0);       // byte 1: bit 4 LLBAA=0, bit 3 DBD
        b[2] = (byte) page;                   // byte 2: bits 7-6 PC=00b (current values), bits 5-0 PAGE CODE
        b[3] = (byte) subpage;                // byte 3: SUBPAGE CODE
        // bytes 4-6: reserved
        put16(b, 7, allocation);              // bytes 7-8: ALLOCATION LENGTH
        b[9] = 0;                             // byte 9: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /**
     * MODE SELECT(6) with PF=1 (pages follow the standard format; tgt answers 24/00 without it) and
     * SP=0 (do not save). The parameter list (header, block descriptor, pages) is the data-out buffer.
     */
    public static Cdb modeSelect6(int parameterListLength) {
        String name = "MODE SELECT(6)";
        check(name, "parameterListLength", parameterListLength, 1, MAX_8);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.MODE_SELECT_6; // byte 0: OPERATION CODE 15h
        b[1] = 0x10;                          // byte 1: bit 4 PF=1 (page format), bit 0 SP=0 (do not save pages)
        // bytes 2-3: reserved
        b[4] = (byte) parameterListLength;    // byte 4: PARAMETER LIST LENGTH
        b[5] = 0;                             // byte 5: CONTROL
        return new Cdb(name, b, Direction.OUT, 0);
    }

    /** MODE SELECT(10) with PF=1, SP=0. tgt does not implement it (05/2000). */
    public static Cdb modeSelect10(int parameterListLength) {
        String name = "MODE SELECT(10)";
        check(name, "parameterListLength", parameterListLength, 1, MAX_16);
        byte[] b = new byte[10];
        b[0] = (byte) OpCodes.MODE_SELECT_10; // byte 0: OPERATION CODE 55h
        b[1] = 0x10;                           // byte 1: bit 4 PF=1 (page format), bit 0 SP=0 (do not save pages)
        // bytes 2-6: reserved
        put16(b, 7, parameterListLength);      // bytes 7-8: PARAMETER LIST LENGTH
        b[9] = 0;                              // byte 9: CONTROL
        return new Cdb(name, b, Direction.OUT, 0);
    }

    /**
     * LOG SENSE of cumulative values (PC=01b), from the first parameter (PARAMETER POINTER=0), without
     * resetting anything (PPC=0, SP=0). Page 0x2E is TapeAlert.
     */
    public static Cdb logSense(int page, int subpage, int allocation) {
        String name = "LOG SENSE";
        check(name, "page", page, 0, 0x3F);
        check(name, "subpage", subpage, 0, MAX_8);
        check(name, "allocation", allocation, 1, MAX_16);
        byte[] b = new byte[10];
        b[0] = (byte) OpCodes.LOG_SENSE; // byte 0: OPERATION CODE 4Dh
        b[1] = 0;                         // byte 1: bit 1 PPC=0 (parameter pointer control), bit 0 SP=0 (do not save)
        b[2] = (byte) (0x40 | page);      // byte 2: bits 7-6 PC=01b (cumulative values), bits 5-0 PAGE CODE
        b[3] = (byte) subpage;            // byte 3: SUBPAGE CODE
        b[4] = 0;                         // byte 4: reserved
        put16(b, 5, 0);                   // bytes 5-6: PARAMETER POINTER=0 (from the first parameter)
        put16(b, 7, allocation);          // bytes 7-8: ALLOCATION LENGTH
        b[9] = 0;                         // byte 9: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /** REPORT LUNS, all logical units (SELECT REPORT=00h). SPC requires an allocation of at least 16. */
    public static Cdb reportLuns(int allocation) {
        String name = "REPORT LUNS";
        check(name, "allocation", allocation, 16, Integer.MAX_VALUE);
        byte[] b = new byte[12];
        b[0] = (byte) OpCodes.REPORT_LUNS; // byte 0: OPERATION CODE A0h
        b[1] = 0;                           // byte 1: reserved
        b[2] = 0;                           // byte 2: SELECT REPORT=00h (all logical units except well-known ones)
        // bytes 3-5: reserved
        put32(b, 6, allocation);            // bytes 6-9: ALLOCATION LENGTH
        b[10] = 0;                          // byte 10: reserved
        b[11] = 0;                          // byte 11: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /**
     * REPORT SUPPORTED OPERATION CODES (MAINTENANCE IN, service action 0Ch), all commands
     * (REPORTING OPTIONS=000b) without timeout descriptors (RCTD=0). At least 4 bytes (the header).
     */
    public static Cdb reportSupportedOperationCodes(int allocation) {
        String name = "REPORT SUPPORTED OPERATION CODES";
        check(name, "allocation", allocation, 4, Integer.MAX_VALUE);
        byte[] b = new byte[12];
        b[0] = (byte) OpCodes.MAINTENANCE_IN;                      // byte 0: OPERATION CODE A3h
        b[1] = (byte) OpCodes.SA_REPORT_SUPPORTED_OPERATION_CODES; // byte 1: bits 4-0 SERVICE ACTION 0Ch
        b[2] = 0;                                                  // byte 2: bit 7 RCTD=0, bits 2-0 REPORTING OPTIONS=000b (all)
        b[3] = 0;                                                  // byte 3: REQUESTED OPERATION CODE (unused for "all")
        put16(b, 4, 0);                                            // bytes 4-5: REQUESTED SERVICE ACTION (unused for "all")
        put32(b, 6, allocation);                                   // bytes 6-9: ALLOCATION LENGTH
        b[10] = 0;                                                 // byte 10: reserved
        b[11] = 0;                                                 // byte 11: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /** READ ATTRIBUTE service action 00h: attribute values. */
    public static final int READ_ATTRIBUTE_VALUES = 0x00;
    /** READ ATTRIBUTE service action 01h: attribute list (identifiers only). */
    public static final int READ_ATTRIBUTE_LIST = 0x01;

    /**
     * READ ATTRIBUTE (medium auxiliary memory) of logical volume 0. Cairn uses service action
     * {@link #READ_ATTRIBUTE_VALUES}; the answer decodes with {@link MamAttributes}.
     */
    public static Cdb readAttribute(int serviceAction, int partition, int firstAttribute, int allocation) {
        String name = "READ ATTRIBUTE";
        check(name, "serviceAction", serviceAction, 0, 0x1F);
        check(name, "partition", partition, 0, MAX_8);
        check(name, "firstAttribute", firstAttribute, 0, MAX_16);
        check(name, "allocation", allocation, 1, Integer.MAX_VALUE);
        byte[] b = new byte[16];
        b[0] = (byte) OpCodes.READ_ATTRIBUTE; // byte 0: OPERATION CODE 8Ch
        b[1] = (byte) serviceAction;           // byte 1: bits 4-0 SERVICE ACTION
        // bytes 2-4: restricted (MMC) / reserved
        b[5] = 0;                              // byte 5: LOGICAL VOLUME NUMBER=0
        b[6] = 0;                              // byte 6: reserved
        b[7] = (byte) partition;               // byte 7: PARTITION NUMBER
        put16(b, 8, firstAttribute);           // bytes 8-9: FIRST ATTRIBUTE IDENTIFIER
        put32(b, 10, allocation);              // bytes 10-13: ALLOCATION LENGTH
        b[14] = 0;                             // byte 14: bit 0 CACHE=0 (read the medium's memory, not a cached copy)
        b[15] = 0;                             // byte 15: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /**
     * WRITE ATTRIBUTE to logical volume 0, partition 0; the parameter list (4-byte length header and
     * attributes) is the data-out buffer. WTC=0: the bit is reserved before SPC-4, and an SPC-3 drive
     * could reject it; read the attribute back to verify.
     */
    public static Cdb writeAttribute(int parameterListLength) {
        String name = "WRITE ATTRIBUTE";
        check(name, "parameterListLength", parameterListLength, 1, Integer.MAX_VALUE);
        byte[] b = new byte[16];
        b[0] = (byte) OpCodes.WRITE_ATTRIBUTE; // byte 0: OPERATION CODE 8Dh
        b[1] = 0;                               // byte 1: bit 0 WTC=0 (write-through cache not requested)
        // bytes 2-4: restricted (MMC) / reserved
        b[5] = 0;                               // byte 5: LOGICAL VOLUME NUMBER=0
        b[6] = 0;                               // byte 6: reserved
        b[7] = 0;                               // byte 7: PARTITION NUMBER=0
        // bytes 8-9: reserved
        put32(b, 10, parameterListLength);      // bytes 10-13: PARAMETER LIST LENGTH
        b[14] = 0;                              // byte 14: reserved
        b[15] = 0;                              // byte 15: CONTROL
        return new Cdb(name, b, Direction.OUT, 0);
    }

    /**
     * PREVENT ALLOW MEDIUM REMOVAL for the initiator's I_T nexus only (on tgt a new session can move
     * the cartridge out after the preventing session logged out).
     */
    public static Cdb preventAllowMediumRemoval(boolean prevent) {
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.PREVENT_ALLOW_MEDIUM_REMOVAL; // byte 0: OPERATION CODE 1Eh
        // bytes 1-3: reserved
        b[4] = (byte) (prevent ? 0x01 : 0x00);               // byte 4: bits 1-0 PREVENT (00b allow, 01b prevent)
        b[5] = 0;                                            // byte 5: CONTROL
        return new Cdb("PREVENT ALLOW MEDIUM REMOVAL", b, Direction.NONE, 0);
    }
}
