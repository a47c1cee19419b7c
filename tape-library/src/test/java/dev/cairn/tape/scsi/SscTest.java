package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbAssert.assertCdb;
import static dev.cairn.tape.scsi.CdbAssert.rejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Golden CDB bytes for every SSC-4 builder, each with the field-by-field reading of the SSC-4 CDB
 * table it was checked against, and the byte examples from the emulator notes (section 2.5).
 */
class SscTest {

    @Test
    void loadUnload() {
        // SSC-4 LOAD UNLOAD: 0 opcode 1Bh | 1 IMMED (bit 0) | 2-3 reserved | 4 HOLD(3) EOT(2) RETEN(1) LOAD(0) | 5 CONTROL
        assertCdb(Ssc.loadUnload(true, false), "LOAD UNLOAD", "1b 00 00 00 01 00", Direction.NONE, 0);
        assertCdb(Ssc.loadUnload(false, false), "LOAD UNLOAD", "1b 00 00 00 00 00", Direction.NONE, 0);
        assertCdb(Ssc.loadUnload(false, true), "LOAD UNLOAD", "1b 01 00 00 00 00", Direction.NONE, 0);
    }

    @Test
    void loadUnloadRawCarriesTgtsStartStopBytes() {
        // tgt treats 1Bh as START STOP UNIT: byte 4 = 02h takes the LUN offline, 03h brings it back (notes 2.5)
        assertCdb(Ssc.loadUnloadRaw(0x02, false), "LOAD UNLOAD", "1b 00 00 00 02 00", Direction.NONE, 0);
        assertCdb(Ssc.loadUnloadRaw(0x03, true), "LOAD UNLOAD", "1b 01 00 00 03 00", Direction.NONE, 0);
        rejects(() -> Ssc.loadUnloadRaw(0x100, false), "LOAD UNLOAD", "byte4");
        rejects(() -> Ssc.loadUnloadRaw(-1, false), "LOAD UNLOAD", "byte4");
    }

    @Test
    void rewind() {
        // SSC-4 REWIND: 0 opcode 01h | 1 IMMED (bit 0) | 2-4 reserved | 5 CONTROL
        assertCdb(Ssc.rewind(false), "REWIND", "01 00 00 00 00 00", Direction.NONE, 0);
        assertCdb(Ssc.rewind(true), "REWIND", "01 01 00 00 00 00", Direction.NONE, 0);
    }

    @Test
    void read6Variable() {
        // SSC-4 READ(6): 0 opcode 08h | 1 SILI (bit 1), FIXED=0 (bit 0) | 2-4 TRANSFER LENGTH in bytes | 5 CONTROL
        // notes 2.5: "READ(6) var 4096" and "READ(6) var alloc 8192"
        assertCdb(Ssc.read6Variable(4096, false), "READ(6)", "08 00 00 10 00 00", Direction.IN, 4096);
        assertCdb(Ssc.read6Variable(8192, true), "READ(6)", "08 02 00 20 00 00", Direction.IN, 8192);
        assertCdb(Ssc.read6Variable(0xFFFFFF, false), "READ(6)", "08 00 ff ff ff 00", Direction.IN, 0xFFFFFF);
        rejects(() -> Ssc.read6Variable(0, false), "READ(6)", "maxLength");
        rejects(() -> Ssc.read6Variable(0x1000000, false), "READ(6)", "maxLength");
    }

    @Test
    void read6Fixed() {
        // SSC-4 READ(6): 1 SILI=0, FIXED=1 | 2-4 TRANSFER LENGTH in blocks; notes 2.5 "READ(6) fixed 4" of 512-byte blocks
        assertCdb(Ssc.read6Fixed(4, 512, false), "READ(6)", "08 01 00 00 04 00", Direction.IN, 2048);
        // SSC: SILI with FIXED is an illegal request (tgt: 24/00); the builder refuses it outright
        rejects(() -> Ssc.read6Fixed(4, 512, true), "READ(6)", "sili");
        rejects(() -> Ssc.read6Fixed(0, 512, false), "READ(6)", "blocks");
        rejects(() -> Ssc.read6Fixed(1, 0, false), "READ(6)", "blockLength");
        rejects(() -> Ssc.read6Fixed(0x1000000, 1, false), "READ(6)", "blocks");
        // the data-in length must fit an int
        rejects(() -> Ssc.read6Fixed(0xFFFFFF, 0x1000, false), "READ(6)", "blocks*blockLength");
    }

    @Test
    void write6Variable() {
        // SSC-4 WRITE(6): 0 opcode 0Ah | 1 FIXED=0 | 2-4 TRANSFER LENGTH in bytes | 5 CONTROL; golden from the brief / notes 2.5
        assertCdb(Ssc.write6Variable(4096), "WRITE(6)", "0a 00 00 10 00 00", Direction.OUT, 0);
        assertCdb(Ssc.write6Variable(1000), "WRITE(6)", "0a 00 00 03 e8 00", Direction.OUT, 0);
        rejects(() -> Ssc.write6Variable(0), "WRITE(6)", "length");
        rejects(() -> Ssc.write6Variable(0x1000000), "WRITE(6)", "length");
    }

    @Test
    void write6Fixed() {
        // SSC-4 WRITE(6): 1 FIXED=1 | 2-4 TRANSFER LENGTH in blocks; notes 2.5 "WRITE(6) fixed 4x512"
        assertCdb(Ssc.write6Fixed(4), "WRITE(6)", "0a 01 00 00 04 00", Direction.OUT, 0);
        rejects(() -> Ssc.write6Fixed(0), "WRITE(6)", "blocks");
        rejects(() -> Ssc.write6Fixed(0x1000000), "WRITE(6)", "blocks");
    }

    @Test
    void writeFilemarks6() {
        // SSC-4 WRITE FILEMARKS(6): 0 opcode 10h | 1 WSMK=0 (bit 1), IMMED (bit 0) | 2-4 TRANSFER LENGTH (count) | 5 CONTROL
        assertCdb(Ssc.writeFilemarks6(1, false), "WRITE FILEMARKS(6)", "10 00 00 00 01 00", Direction.NONE, 0);
        assertCdb(Ssc.writeFilemarks6(2, true), "WRITE FILEMARKS(6)", "10 01 00 00 02 00", Direction.NONE, 0);
        // count 0 flushes the buffer
        assertCdb(Ssc.writeFilemarks6(0, false), "WRITE FILEMARKS(6)", "10 00 00 00 00 00", Direction.NONE, 0);
        rejects(() -> Ssc.writeFilemarks6(-1, false), "WRITE FILEMARKS(6)", "count");
        rejects(() -> Ssc.writeFilemarks6(0x1000000, false), "WRITE FILEMARKS(6)", "count");
    }

    @Test
    void space6() {
        // SSC-4 SPACE(6): 0 opcode 11h | 1 CODE (bits 3-0) | 2-4 COUNT (24-bit two's complement) | 5 CONTROL
        // goldens from the brief: SPACE 1 filemark, SPACE -1 block
        assertCdb(Ssc.space6(SpaceCode.FILEMARKS, 1), "SPACE(6)", "11 01 00 00 01 00", Direction.NONE, 0);
        assertCdb(Ssc.space6(SpaceCode.BLOCKS, -1), "SPACE(6)", "11 00 ff ff ff 00", Direction.NONE, 0);
        assertCdb(Ssc.space6(SpaceCode.FILEMARKS, -2), "SPACE(6)", "11 01 ff ff fe 00", Direction.NONE, 0);
        assertCdb(Ssc.space6(SpaceCode.SEQUENTIAL_FILEMARKS, 2), "SPACE(6)", "11 02 00 00 02 00", Direction.NONE, 0);
        // notes 2.5 "SPACE EOD (code 3)"
        assertCdb(Ssc.space6(SpaceCode.END_OF_DATA, 0), "SPACE(6)", "11 03 00 00 00 00", Direction.NONE, 0);
        // the extremes of a signed 24-bit count
        assertCdb(Ssc.space6(SpaceCode.BLOCKS, 0x7FFFFF), "SPACE(6)", "11 00 7f ff ff 00", Direction.NONE, 0);
        assertCdb(Ssc.space6(SpaceCode.BLOCKS, -0x800000), "SPACE(6)", "11 00 80 00 00 00", Direction.NONE, 0);
        rejects(() -> Ssc.space6(SpaceCode.BLOCKS, 0x800000), "SPACE(6)", "count");
        rejects(() -> Ssc.space6(SpaceCode.BLOCKS, -0x800001), "SPACE(6)", "count");
        rejects(() -> Ssc.space6(SpaceCode.END_OF_DATA, 1), "SPACE(6)", "count");
        rejects(() -> Ssc.space6(null, 1), "SPACE(6)", "code");
    }

    @Test
    void spaceCodes() {
        assertThat(SpaceCode.BLOCKS.code()).isZero();
        assertThat(SpaceCode.FILEMARKS.code()).isEqualTo(1);
        assertThat(SpaceCode.SEQUENTIAL_FILEMARKS.code()).isEqualTo(2);
        assertThat(SpaceCode.END_OF_DATA.code()).isEqualTo(3);
    }

    @Test
    void locate10() {
        // SSC-4 LOCATE(10): 0 opcode 2Bh | 1 BT=0 (bit 2), CP (bit 1), IMMED=0 | 2 reserved | 3-6 LOGICAL OBJECT IDENTIFIER
        //                   | 7 reserved | 8 PARTITION | 9 CONTROL
        assertCdb(Ssc.locate10(0x12345678L, false, 0), "LOCATE(10)", "2b 00 00 12 34 56 78 00 00 00", Direction.NONE, 0);
        assertCdb(Ssc.locate10(0xFFFFFFFFL, true, 1), "LOCATE(10)", "2b 02 00 ff ff ff ff 00 01 00", Direction.NONE, 0);
        rejects(() -> Ssc.locate10(0x1_0000_0000L, false, 0), "LOCATE(10)", "blockAddress");
        rejects(() -> Ssc.locate10(-1, false, 0), "LOCATE(10)", "blockAddress");
        rejects(() -> Ssc.locate10(0, true, 256), "LOCATE(10)", "partition");
        rejects(() -> Ssc.locate10(0, false, 1), "LOCATE(10)", "partition");
    }

    @Test
    void locate16() {
        // SSC-4 LOCATE(16): 0 opcode 92h | 1 DEST_TYPE=000b (bits 5-3), CP (bit 1), IMMED=0 | 2 BAM=0 | 3 PARTITION
        //                   | 4-11 LOGICAL IDENTIFIER | 12-14 reserved | 15 CONTROL
        assertCdb(Ssc.locate16(0x0102030405060708L, false, 0), "LOCATE(16)",
                "92 00 00 00 01 02 03 04 05 06 07 08 00 00 00 00", Direction.NONE, 0);
        assertCdb(Ssc.locate16(5, true, 2), "LOCATE(16)", "92 02 00 02 00 00 00 00 00 00 00 05 00 00 00 00", Direction.NONE, 0);
        rejects(() -> Ssc.locate16(-1, false, 0), "LOCATE(16)", "blockAddress");
        rejects(() -> Ssc.locate16(0, false, 3), "LOCATE(16)", "partition");
    }

    @Test
    void readPosition() {
        // SSC-4 READ POSITION: 0 opcode 34h | 1 SERVICE ACTION (bits 4-0) | 2-6 reserved | 7-8 ALLOCATION LENGTH | 9 CONTROL
        // The ALLOCATION LENGTH is meaningful for the extended form (08h) only; short (00h) and long (06h) answers have
        // fixed sizes, 20 and 32 bytes, and leave the field 0 (as IBM LTFS and Proxmox do).
        assertCdb(Ssc.readPositionShort(), "READ POSITION", "34 00 00 00 00 00 00 00 00 00", Direction.IN, 20);
        assertCdb(Ssc.readPositionLong(), "READ POSITION", "34 06 00 00 00 00 00 00 00 00", Direction.IN, 32);
    }

    @Test
    void readBlockLimits() {
        // SSC-4 READ BLOCK LIMITS: 0 opcode 05h | 1 MLOI=0 | 2-4 reserved | 5 CONTROL; answer 6 bytes
        assertCdb(Ssc.readBlockLimits(), "READ BLOCK LIMITS", "05 00 00 00 00 00", Direction.IN, 6);
    }

    @Test
    void eraseNeedsAConfirmationNamingTheTape() {
        // SSC-4 ERASE(6): 0 opcode 19h | 1 IMMED=0 (bit 1), LONG (bit 0) | 2-4 reserved | 5 CONTROL
        EraseConfirmation ok = EraseConfirmation.iUnderstandThisDestroysTheTape(" FEA001L6 ");
        assertThat(ok.barcode()).isEqualTo("FEA001L6");
        assertCdb(Ssc.erase(false, ok), "ERASE(6)", "19 00 00 00 00 00", Direction.NONE, 0);
        assertCdb(Ssc.erase(true, ok), "ERASE(6)", "19 01 00 00 00 00", Direction.NONE, 0);
        rejects(() -> Ssc.erase(true, null), "ERASE(6)", "confirm");
        assertThatThrownBy(() -> EraseConfirmation.iUnderstandThisDestroysTheTape("  "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("barcode");
        assertThatThrownBy(() -> EraseConfirmation.iUnderstandThisDestroysTheTape(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("barcode");
    }

    @Test
    void eraseConfirmationHasNoOtherWayIn() {
        // one private constructor, no subclassing: the static factory is the only source of instances
        assertThat(EraseConfirmation.class.getDeclaredConstructors()).hasSize(1)
                .allSatisfy(c -> assertThat(java.lang.reflect.Modifier.isPrivate(c.getModifiers())).isTrue());
        assertThat(java.lang.reflect.Modifier.isFinal(EraseConfirmation.class.getModifiers())).isTrue();
    }

    @Test
    void securityProtocolIn() {
        // SPC-4 SECURITY PROTOCOL IN: 0 opcode A2h | 1 SECURITY PROTOCOL=20h | 2-3 PROTOCOL SPECIFIC=0020h (data encryption
        //   status page) | 4 INC_512=0 | 5 reserved | 6-9 ALLOCATION LENGTH=00002000h | 10 reserved | 11 CONTROL
        assertCdb(Ssc.securityProtocolIn(Ssc.TAPE_DATA_ENCRYPTION, 0x0020, 0x2000), "SECURITY PROTOCOL IN",
                "a2 20 00 20 00 00 00 00 20 00 00 00", Direction.IN, 0x2000);
        rejects(() -> Ssc.securityProtocolIn(256, 0, 10), "SECURITY PROTOCOL IN", "protocol");
        rejects(() -> Ssc.securityProtocolIn(0x20, 0x10000, 10), "SECURITY PROTOCOL IN", "protocolSpecific");
        rejects(() -> Ssc.securityProtocolIn(0x20, 0, 0), "SECURITY PROTOCOL IN", "allocation");
    }

    @Test
    void securityProtocolOut() {
        // SPC-4 SECURITY PROTOCOL OUT: 0 opcode B5h | 1 SECURITY PROTOCOL=20h | 2-3 PROTOCOL SPECIFIC=0010h (set data
        //   encryption page) | 4 INC_512=0 | 5 reserved | 6-9 TRANSFER LENGTH=00000034h | 10 reserved | 11 CONTROL
        assertCdb(Ssc.securityProtocolOut(0x20, 0x0010, 0x34), "SECURITY PROTOCOL OUT",
                "b5 20 00 10 00 00 00 00 00 34 00 00", Direction.OUT, 0);
        rejects(() -> Ssc.securityProtocolOut(0x20, 0x0010, 0), "SECURITY PROTOCOL OUT", "length");
        rejects(() -> Ssc.securityProtocolOut(-1, 0x0010, 1), "SECURITY PROTOCOL OUT", "protocol");
    }
}
