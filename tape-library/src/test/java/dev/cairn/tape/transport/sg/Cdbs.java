package dev.cairn.tape.transport.sg;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;

/** A few real CDBs for the tests (SPC/SSC/SMC opcodes; field values are what a caller would send). */
final class Cdbs {
    private Cdbs() {}

    /** TEST UNIT READY: opcode 00h, no data. */
    static Cdb testUnitReady() {
        return new Cdb("TEST UNIT READY", new byte[] {0x00, 0, 0, 0, 0, 0}, Direction.NONE, 0);
    }

    /** INQUIRY: opcode 12h, allocation length in bytes 3-4. */
    static Cdb inquiry(int allocationLength) {
        return new Cdb("INQUIRY", new byte[] {0x12, 0, 0, (byte) (allocationLength >> 8), (byte) allocationLength, 0},
                Direction.IN, allocationLength);
    }

    /** READ(6) for a tape in variable-block mode: opcode 08h, FIXED=0, transfer length in bytes 2-4. */
    static Cdb read6(int length) {
        return new Cdb("READ(6)", new byte[] {0x08, 0, (byte) (length >> 16), (byte) (length >> 8), (byte) length, 0},
                Direction.IN, length);
    }

    /** WRITE(6) for a tape in variable-block mode: opcode 0Ah, FIXED=0, transfer length in bytes 2-4. */
    static Cdb write6(int length) {
        return new Cdb("WRITE(6)", new byte[] {0x0a, 0, (byte) (length >> 16), (byte) (length >> 8), (byte) length, 0},
                Direction.OUT, 0);
    }

    /** LOCATE(16): opcode 92h, logical object identifier in bytes 4-11; no data. */
    static Cdb locate16(long block) {
        byte[] b = new byte[16];
        b[0] = (byte) 0x92;
        for (int i = 0; i < 8; i++) {
            b[4 + i] = (byte) (block >>> (56 - 8 * i));
        }
        return new Cdb("LOCATE(16)", b, Direction.NONE, 0);
    }

    /** READ ELEMENT STATUS: opcode B8h, 12 bytes, allocation length in bytes 7-9. */
    static Cdb readElementStatus(int allocationLength) {
        byte[] b = new byte[12];
        b[0] = (byte) 0xb8;
        b[7] = (byte) (allocationLength >> 16);
        b[8] = (byte) (allocationLength >> 8);
        b[9] = (byte) allocationLength;
        return new Cdb("READ ELEMENT STATUS", b, Direction.IN, allocationLength);
    }

    /** Fixed-format sense (70h), NOT READY / MEDIUM NOT PRESENT (3A/00), 18 bytes. */
    static byte[] senseNotReadyNoMedium() {
        byte[] s = new byte[18];
        s[0] = 0x70;
        s[2] = 0x02;
        s[7] = 10;
        s[12] = 0x3a;
        return s;
    }
}
