package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.assertCdb;
import static dev.cairn.tape.scsi.CdbAssert.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Golden CDB bytes for every SMC-3 builder, with the SMC-3 field reading they were checked against. */
class SmcTest {

    @Test
    void readElementStatus() {
        // SMC-3 READ ELEMENT STATUS: 0 opcode B8h | 1 VOLTAG (bit 4) + ELEMENT TYPE CODE (bits 3-0) | 2-3 STARTING ELEMENT
        //   ADDRESS | 4-5 NUMBER OF ELEMENTS | 6 CURDATA=0 (bit 1), DVCID (bit 0) | 7-9 ALLOCATION LENGTH | 10 reserved | 11 CONTROL
        // golden from the brief: storage, VolTag, start 0, count FFFFh, allocation 100000h
        assertCdb(Smc.readElementStatus(ElementType.STORAGE, 0, 0xFFFF, true, false, 0x100000), "READ ELEMENT STATUS",
                "b8 12 00 00 ff ff 00 10 00 00 00 00", Direction.IN, 0x100000);
        // the notes' per-type query "B8 1t 0000 FFFF 00 001000 00 00" for drives with DVCID (byte 6 = 01h)
        assertCdb(Smc.readElementStatus(ElementType.DATA_TRANSFER, 0, 0xFFFF, true, true, 0x1000), "READ ELEMENT STATUS",
                "b8 14 00 00 ff ff 01 00 10 00 00 00", Direction.IN, 0x1000);
        assertCdb(Smc.readElementStatus(ElementType.MEDIUM_TRANSPORT, 1, 1, false, false, 8), "READ ELEMENT STATUS",
                "b8 01 00 01 00 01 00 00 00 08 00 00", Direction.IN, 8);
        rejects(() -> Smc.readElementStatus(null, 0, 1, true, false, 8), "READ ELEMENT STATUS", "type");
        rejects(() -> Smc.readElementStatus(ElementType.STORAGE, 0x10000, 1, true, false, 8), "READ ELEMENT STATUS", "startAddress");
        rejects(() -> Smc.readElementStatus(ElementType.STORAGE, 0, 0, true, false, 8), "READ ELEMENT STATUS", "count");
        rejects(() -> Smc.readElementStatus(ElementType.STORAGE, 0, 0x10000, true, false, 8), "READ ELEMENT STATUS", "count");
        rejects(() -> Smc.readElementStatus(ElementType.STORAGE, 0, 1, true, false, 7), "READ ELEMENT STATUS", "allocation");
        rejects(() -> Smc.readElementStatus(ElementType.STORAGE, 0, 1, true, false, 0x1000000), "READ ELEMENT STATUS", "allocation");
    }

    @Test
    void moveMedium() {
        // SMC-3 MOVE MEDIUM: 0 opcode A5h | 1 reserved | 2-3 MEDIUM TRANSPORT ADDRESS | 4-5 SOURCE ADDRESS
        //   | 6-7 DESTINATION ADDRESS | 8-9 reserved | 10 INVERT (bit 0) | 11 CONTROL
        // golden from the brief / notes 2.5: transport 1, slot 1000 -> drive 256
        assertCdb(Smc.moveMedium(1, 1000, 256, false), "MOVE MEDIUM", "a5 00 00 01 03 e8 01 00 00 00 00 00", Direction.NONE, 0);
        assertCdb(Smc.moveMedium(1, 16, 1005, true), "MOVE MEDIUM", "a5 00 00 01 00 10 03 ed 00 00 01 00", Direction.NONE, 0);
        rejects(() -> Smc.moveMedium(0x10000, 1, 2, false), "MOVE MEDIUM", "transportAddress");
        rejects(() -> Smc.moveMedium(1, -1, 2, false), "MOVE MEDIUM", "source");
        rejects(() -> Smc.moveMedium(1, 1, 0x10000, false), "MOVE MEDIUM", "destination");
    }

    @Test
    void initializeElementStatus() {
        // SMC-3 INITIALIZE ELEMENT STATUS: 0 opcode 07h | 1-4 reserved | 5 CONTROL; notes 2.5 "070000000000"
        assertCdb(Smc.initializeElementStatus(), "INITIALIZE ELEMENT STATUS", "07 00 00 00 00 00", Direction.NONE, 0);
    }

    @Test
    void initializeElementStatusWithRange() {
        // SMC-3 INITIALIZE ELEMENT STATUS WITH RANGE: 0 opcode 37h | 1 FAST=0 (bit 1), RANGE=1 (bit 0) | 2-3 STARTING
        //   ELEMENT ADDRESS | 4-5 reserved | 6-7 NUMBER OF ELEMENTS | 8 reserved | 9 CONTROL
        assertCdb(Smc.initializeElementStatusWithRange(1000, 10), "INITIALIZE ELEMENT STATUS WITH RANGE",
                "37 01 03 e8 00 00 00 0a 00 00", Direction.NONE, 0);
        rejects(() -> Smc.initializeElementStatusWithRange(-1, 1), "INITIALIZE ELEMENT STATUS WITH RANGE", "start");
        rejects(() -> Smc.initializeElementStatusWithRange(0, 0), "INITIALIZE ELEMENT STATUS WITH RANGE", "count");
    }

    @Test
    void elementTypeCodes() {
        assertThat(ElementType.values()).extracting(ElementType::code).containsExactly(0, 1, 2, 3, 4);
        for (ElementType t : ElementType.values()) {
            assertThat(ElementType.ofCode(t.code())).contains(t);
        }
        assertThat(ElementType.ofCode(5)).isEmpty();
        assertThat(ElementType.ofCode(-1)).isEmpty();
    }
}
