package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbFields.MAX_16;
import static dev.cairn.tape.scsi.CdbFields.MAX_24;
import static dev.cairn.tape.scsi.CdbFields.check;
import static dev.cairn.tape.scsi.CdbFields.notNull;
import static dev.cairn.tape.scsi.CdbFields.put16;
import static dev.cairn.tape.scsi.CdbFields.put24;

/** CDB builders for SMC-3 medium changer commands. Pure functions like {@link Spc}. */
public final class Smc {
    private Smc() {
    }

    /**
     * READ ELEMENT STATUS of up to {@code count} elements of one type from {@code startAddress}, with
     * volume tags (barcodes) when {@code volTag} and drive identifiers when {@code dvcid}. CURDATA=0
     * lets the library scan if it has to. Query one type at a time: tgt's {@link ElementType#ALL}
     * answer is corrupt (see {@link ElementStatus}).
     */
    public static Cdb readElementStatus(ElementType type, int startAddress, int count, boolean volTag, boolean dvcid, int allocation) {
        String name = "READ ELEMENT STATUS";
        notNull(name, "type", type);
        check(name, "startAddress", startAddress, 0, MAX_16);
        check(name, "count", count, 1, MAX_16);
        check(name, "allocation", allocation, 8, MAX_24);
        byte[] b = new byte[12];
        b[0] = (byte) OpCodes.READ_ELEMENT_STATUS;          // byte 0: OPERATION CODE B8h
        b[1] = (byte) ((volTag ? 0x10 : 0) | type.code());  // byte 1: bit 4 VOLTAG, bits 3-0 ELEMENT TYPE CODE
        put16(b, 2, startAddress);                          // bytes 2-3: STARTING ELEMENT ADDRESS
        put16(b, 4, count);                                 // bytes 4-5: NUMBER OF ELEMENTS
        b[6] = (byte) (dvcid ? 0x01 : 0);                   // byte 6: bit 1 CURDATA=0, bit 0 DVCID
        put24(b, 7, allocation);                            // bytes 7-9: ALLOCATION LENGTH
        b[10] = 0;                                          // byte 10: reserved
        b[11] = 0;                                          // byte 11: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /**
     * MOVE MEDIUM from {@code source} to {@code destination} with the given transport element.
     * {@code invert} turns a two-sided medium over (tgt accepts it only when the slot has sides > 1).
     */
    public static Cdb moveMedium(int transportAddress, int source, int destination, boolean invert) {
        String name = "MOVE MEDIUM";
        check(name, "transportAddress", transportAddress, 0, MAX_16);
        check(name, "source", source, 0, MAX_16);
        check(name, "destination", destination, 0, MAX_16);
        byte[] b = new byte[12];
        b[0] = (byte) OpCodes.MOVE_MEDIUM;  // byte 0: OPERATION CODE A5h
        b[1] = 0;                            // byte 1: reserved
        put16(b, 2, transportAddress);       // bytes 2-3: MEDIUM TRANSPORT ADDRESS
        put16(b, 4, source);                 // bytes 4-5: SOURCE ADDRESS
        put16(b, 6, destination);            // bytes 6-7: DESTINATION ADDRESS
        // bytes 8-9: reserved
        b[10] = (byte) (invert ? 0x01 : 0);  // byte 10: bit 0 INVERT
        b[11] = 0;                           // byte 11: CONTROL
        return new Cdb(name, b, Direction.NONE, 0);
    }

    /** INITIALIZE ELEMENT STATUS: inventory every element (tgt returns GOOD without doing anything). */
    public static Cdb initializeElementStatus() {
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.INITIALIZE_ELEMENT_STATUS; // byte 0: OPERATION CODE 07h
        // bytes 1-4: reserved
        b[5] = 0;                                         // byte 5: CONTROL
        return new Cdb("INITIALIZE ELEMENT STATUS", b, Direction.NONE, 0);
    }

    /** INITIALIZE ELEMENT STATUS WITH RANGE over {@code count} elements from {@code start} (RANGE=1, FAST=0). */
    public static Cdb initializeElementStatusWithRange(int start, int count) {
        String name = "INITIALIZE ELEMENT STATUS WITH RANGE";
        check(name, "start", start, 0, MAX_16);
        check(name, "count", count, 1, MAX_16);
        byte[] b = new byte[10];
        b[0] = (byte) OpCodes.INITIALIZE_ELEMENT_STATUS_WITH_RANGE; // byte 0: OPERATION CODE 37h
        b[1] = 0x01;                                                 // byte 1: bit 1 FAST=0 (full scan), bit 0 RANGE=1 (use the range below)
        put16(b, 2, start);                                          // bytes 2-3: STARTING ELEMENT ADDRESS
        // bytes 4-5: reserved
        put16(b, 6, count);                                          // bytes 6-7: NUMBER OF ELEMENTS
        b[8] = 0;                                                    // byte 8: reserved
        b[9] = 0;                                                    // byte 9: CONTROL
        return new Cdb(name, b, Direction.NONE, 0);
    }
}
