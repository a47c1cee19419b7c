package dev.cairn.tape.scsi;

import static dev.cairn.tape.scsi.CdbFields.MAX_16;
import static dev.cairn.tape.scsi.CdbFields.MAX_24;
import static dev.cairn.tape.scsi.CdbFields.MAX_32;
import static dev.cairn.tape.scsi.CdbFields.MAX_8;
import static dev.cairn.tape.scsi.CdbFields.MAX_S24;
import static dev.cairn.tape.scsi.CdbFields.MIN_S24;
import static dev.cairn.tape.scsi.CdbFields.check;
import static dev.cairn.tape.scsi.CdbFields.notNull;
import static dev.cairn.tape.scsi.CdbFields.put16;
import static dev.cairn.tape.scsi.CdbFields.put24;
import static dev.cairn.tape.scsi.CdbFields.put32;
import static dev.cairn.tape.scsi.CdbFields.put64;

/**
 * CDB builders for SSC-4 stream commands (tape drives). Pure functions like {@link Spc}: validated
 * arguments, a comment on every byte, CONTROL=0. Positioning commands never set IMMED unless the
 * method takes an {@code immed} argument, so GOOD means the motion has finished.
 */
public final class Ssc {
    private Ssc() {
    }

    /**
     * LOAD UNLOAD with LOAD set or clear and HOLD, EOT, RETEN clear. On tgt the opcode is handled as
     * START STOP UNIT and this form has no effect; see {@link #loadUnloadRaw}.
     */
    public static Cdb loadUnload(boolean load, boolean immed) {
        return loadUnload("LOAD UNLOAD", load ? 0x01 : 0x00, immed);
    }

    /**
     * LOAD UNLOAD with byte 4 given as is. tgt emulates opcode 1Bh as START STOP UNIT, where byte 4
     * 0x02 (LOEJ=1, START=0) takes the drive LUN offline (TEST UNIT READY then answers 02/3A00) and
     * 0x03 brings it back online without rewinding; the device layer uses this form for that quirk.
     */
    public static Cdb loadUnloadRaw(int byte4, boolean immed) {
        check("LOAD UNLOAD", "byte4", byte4, 0, MAX_8);
        return loadUnload("LOAD UNLOAD", byte4, immed);
    }

    private static Cdb loadUnload(String name, int byte4, boolean immed) {
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.LOAD_UNLOAD; // byte 0: OPERATION CODE 1Bh
        b[1] = (byte) (immed ? 0x01 : 0);   // byte 1: bit 0 IMMED
        // bytes 2-3: reserved
        b[4] = (byte) byte4;                // byte 4: bit 3 HOLD, bit 2 EOT, bit 1 RETEN, bit 0 LOAD
        b[5] = 0;                           // byte 5: CONTROL
        return new Cdb(name, b, Direction.NONE, 0);
    }

    /** REWIND to the beginning of the current partition. */
    public static Cdb rewind(boolean immed) {
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.REWIND;     // byte 0: OPERATION CODE 01h
        b[1] = (byte) (immed ? 0x01 : 0); // byte 1: bit 0 IMMED
        // bytes 2-4: reserved
        b[5] = 0;                         // byte 5: CONTROL
        return new Cdb("REWIND", b, Direction.NONE, 0);
    }

    /**
     * READ(6) of one variable-length block of at most {@code maxLength} bytes (FIXED=0). With SILI=0 a
     * block of a different length gives CHECK CONDITION with ILI and the residue in INFORMATION.
     */
    public static Cdb read6Variable(int maxLength, boolean sili) {
        String name = "READ(6)";
        check(name, "maxLength", maxLength, 1, MAX_24);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.READ_6;      // byte 0: OPERATION CODE 08h
        b[1] = (byte) (sili ? 0x02 : 0);   // byte 1: bit 1 SILI, bit 0 FIXED=0 (variable: length in bytes)
        put24(b, 2, maxLength);            // bytes 2-4: TRANSFER LENGTH in bytes
        b[5] = 0;                          // byte 5: CONTROL
        return new Cdb(name, b, Direction.IN, maxLength);
    }

    /**
     * READ(6) of {@code blocks} fixed-length blocks (FIXED=1) of {@code blockLength} bytes each (the
     * block length set by MODE SELECT). SSC makes SILI together with FIXED an illegal request
     * (tgt answers 24/00), so {@code sili=true} is refused here.
     */
    public static Cdb read6Fixed(int blocks, int blockLength, boolean sili) {
        String name = "READ(6)";
        if (sili) {
            throw new IllegalArgumentException(name + ": sili must be false with FIXED=1 (SSC: SILI and FIXED together are an illegal request)");
        }
        check(name, "blocks", blocks, 1, MAX_24);
        check(name, "blockLength", blockLength, 1, MAX_24);
        long total = (long) blocks * blockLength;
        check(name, "blocks*blockLength", total, 1, Integer.MAX_VALUE);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.READ_6; // byte 0: OPERATION CODE 08h
        b[1] = 0x01;                   // byte 1: bit 1 SILI=0, bit 0 FIXED=1 (length in blocks)
        put24(b, 2, blocks);           // bytes 2-4: TRANSFER LENGTH in blocks
        b[5] = 0;                      // byte 5: CONTROL
        return new Cdb(name, b, Direction.IN, (int) total);
    }

    /** WRITE(6) of one variable-length block of {@code length} bytes (FIXED=0). */
    public static Cdb write6Variable(int length) {
        String name = "WRITE(6)";
        check(name, "length", length, 1, MAX_24);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.WRITE_6; // byte 0: OPERATION CODE 0Ah
        b[1] = 0;                       // byte 1: bit 0 FIXED=0 (variable: length in bytes)
        put24(b, 2, length);            // bytes 2-4: TRANSFER LENGTH in bytes
        b[5] = 0;                       // byte 5: CONTROL
        return new Cdb(name, b, Direction.OUT, 0);
    }

    /**
     * WRITE(6) of {@code blocks} fixed-length blocks (FIXED=1). The data-out buffer must hold exactly
     * blocks * block length bytes: tgt appends the blocks even when fewer bytes arrive (03/0C00).
     */
    public static Cdb write6Fixed(int blocks) {
        String name = "WRITE(6)";
        check(name, "blocks", blocks, 1, MAX_24);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.WRITE_6; // byte 0: OPERATION CODE 0Ah
        b[1] = 0x01;                    // byte 1: bit 0 FIXED=1 (length in blocks)
        put24(b, 2, blocks);            // bytes 2-4: TRANSFER LENGTH in blocks
        b[5] = 0;                       // byte 5: CONTROL
        return new Cdb(name, b, Direction.OUT, 0);
    }

    /**
     * WRITE FILEMARKS(6). A count of 0 writes nothing but flushes the drive's buffer to the medium
     * (with IMMED=0), which is how a writer makes earlier blocks durable.
     */
    public static Cdb writeFilemarks6(int count, boolean immed) {
        String name = "WRITE FILEMARKS(6)";
        check(name, "count", count, 0, MAX_24);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.WRITE_FILEMARKS_6; // byte 0: OPERATION CODE 10h
        b[1] = (byte) (immed ? 0x01 : 0);         // byte 1: bit 1 WSMK=0 (filemarks, not setmarks), bit 0 IMMED
        put24(b, 2, count);                       // bytes 2-4: TRANSFER LENGTH = number of filemarks
        b[5] = 0;                                 // byte 5: CONTROL
        return new Cdb(name, b, Direction.NONE, 0);
    }

    /**
     * SPACE(6): move {@code count} blocks or filemarks, forward when positive and backward when
     * negative (24-bit two's complement), or to end of data ({@link SpaceCode#END_OF_DATA}, count 0).
     */
    public static Cdb space6(SpaceCode code, int count) {
        String name = "SPACE(6)";
        notNull(name, "code", code);
        check(name, "count", count, MIN_S24, MAX_S24);
        if (code == SpaceCode.END_OF_DATA && count != 0) {
            throw new IllegalArgumentException(name + ": count must be 0 with END_OF_DATA (the drive ignores it), was " + count);
        }
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.SPACE_6; // byte 0: OPERATION CODE 11h
        b[1] = (byte) code.code();      // byte 1: bits 3-0 CODE (0 blocks, 1 filemarks, 2 sequential filemarks, 3 end of data)
        put24(b, 2, count);             // bytes 2-4: COUNT, 24-bit two's complement (negative = toward BOP)
        b[5] = 0;                       // byte 5: CONTROL
        return new Cdb(name, b, Direction.NONE, 0);
    }

    /**
     * LOCATE(10) to a logical object (block) address (BT=0: logical, not device-specific). With
     * {@code changePartition} the drive first changes to {@code partition}; without it, partition must be 0.
     * Not implemented by tgt (05/2000).
     */
    public static Cdb locate10(long blockAddress, boolean changePartition, int partition) {
        String name = "LOCATE(10)";
        check(name, "blockAddress", blockAddress, 0, MAX_32);
        checkPartition(name, changePartition, partition);
        byte[] b = new byte[10];
        b[0] = (byte) OpCodes.LOCATE_10;           // byte 0: OPERATION CODE 2Bh
        b[1] = (byte) (changePartition ? 0x02 : 0); // byte 1: bit 2 BT=0 (logical address), bit 1 CP, bit 0 IMMED=0
        b[2] = 0;                                   // byte 2: reserved
        put32(b, 3, blockAddress);                  // bytes 3-6: LOGICAL OBJECT IDENTIFIER (block address)
        b[7] = 0;                                   // byte 7: reserved
        b[8] = (byte) partition;                    // byte 8: PARTITION (used only when CP=1)
        b[9] = 0;                                   // byte 9: CONTROL
        return new Cdb(name, b, Direction.NONE, 0);
    }

    /**
     * LOCATE(16) to a logical object identifier (DEST_TYPE=000b: logical object, BAM=0: implicit
     * address mode). Not implemented by tgt (05/2000).
     */
    public static Cdb locate16(long blockAddress, boolean changePartition, int partition) {
        String name = "LOCATE(16)";
        check(name, "blockAddress", blockAddress, 0, Long.MAX_VALUE);
        checkPartition(name, changePartition, partition);
        byte[] b = new byte[16];
        b[0] = (byte) OpCodes.LOCATE_16;           // byte 0: OPERATION CODE 92h
        b[1] = (byte) (changePartition ? 0x02 : 0); // byte 1: bits 5-3 DEST_TYPE=000b (logical object), bit 1 CP, bit 0 IMMED=0
        b[2] = 0;                                   // byte 2: bit 0 BAM=0 (implicit address mode)
        b[3] = (byte) partition;                    // byte 3: PARTITION (used only when CP=1)
        put64(b, 4, blockAddress);                  // bytes 4-11: LOGICAL IDENTIFIER
        // bytes 12-14: reserved
        b[15] = 0;                                  // byte 15: CONTROL
        return new Cdb(name, b, Direction.NONE, 0);
    }

    private static void checkPartition(String name, boolean changePartition, int partition) {
        check(name, "partition", partition, 0, MAX_8);
        if (!changePartition && partition != 0) {
            throw new IllegalArgumentException(name + ": partition must be 0 unless changePartition is set, was " + partition);
        }
    }

    /**
     * READ POSITION short form (service action 00h: block addresses). The answer is always 20 bytes;
     * the ALLOCATION LENGTH field is used only by the extended form and stays 0. tgt answers with
     * all zeros.
     */
    public static Cdb readPositionShort() {
        byte[] b = new byte[10];
        b[0] = (byte) OpCodes.READ_POSITION;          // byte 0: OPERATION CODE 34h
        b[1] = (byte) OpCodes.SA_READ_POSITION_SHORT; // byte 1: bits 4-0 SERVICE ACTION 00h (short form, block id)
        // bytes 2-6: reserved
        put16(b, 7, 0);                               // bytes 7-8: ALLOCATION LENGTH=0 (extended form only)
        b[9] = 0;                                     // byte 9: CONTROL
        return new Cdb("READ POSITION", b, Direction.IN, ReadPosition.SHORT_FORM_LENGTH);
    }

    /**
     * READ POSITION long form (service action 06h): 64-bit logical object number and file number.
     * The answer is always 32 bytes. The ALLOCATION LENGTH field stays 0 as for the short form:
     * SSC uses it for the extended form only, and IBM's LTFS and Proxmox send 0 here too.
     */
    public static Cdb readPositionLong() {
        byte[] b = new byte[10];
        b[0] = (byte) OpCodes.READ_POSITION;         // byte 0: OPERATION CODE 34h
        b[1] = (byte) OpCodes.SA_READ_POSITION_LONG; // byte 1: bits 4-0 SERVICE ACTION 06h (long form)
        // bytes 2-6: reserved
        put16(b, 7, 0);                              // bytes 7-8: ALLOCATION LENGTH=0 (extended form only)
        b[9] = 0;                                    // byte 9: CONTROL
        return new Cdb("READ POSITION", b, Direction.IN, ReadPosition.LONG_FORM_LENGTH);
    }

    /** READ BLOCK LIMITS (MLOI=0): granularity, maximum and minimum block length, 6 bytes. */
    public static Cdb readBlockLimits() {
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.READ_BLOCK_LIMITS; // byte 0: OPERATION CODE 05h
        b[1] = 0;                                 // byte 1: bit 0 MLOI=0 (block limits, not maximum logical object identifier)
        // bytes 2-4: reserved
        b[5] = 0;                                 // byte 5: CONTROL
        return new Cdb("READ BLOCK LIMITS", b, Direction.IN, BlockLimits.LENGTH);
    }

    /**
     * ERASE(6) from the current position: with {@code longErase} to the end of the partition
     * (overwrites everything, takes hours), otherwise just an end-of-data mark. IMMED=0. Requires a
     * {@link EraseConfirmation}. Not implemented by tgt (05/2000).
     */
    public static Cdb erase(boolean longErase, EraseConfirmation confirm) {
        notNull("ERASE(6)", "confirm", confirm);
        byte[] b = new byte[6];
        b[0] = (byte) OpCodes.ERASE_6;        // byte 0: OPERATION CODE 19h
        b[1] = (byte) (longErase ? 0x01 : 0); // byte 1: bit 1 IMMED=0, bit 0 LONG
        // bytes 2-4: reserved
        b[5] = 0;                             // byte 5: CONTROL
        return new Cdb("ERASE(6)", b, Direction.NONE, 0);
    }

    /** SECURITY PROTOCOL 20h: tape data encryption (SSC-4), used with the pages of SECURITY PROTOCOL IN/OUT. */
    public static final int TAPE_DATA_ENCRYPTION = 0x20;

    /** SECURITY PROTOCOL IN (INC_512=0: allocation in bytes), e.g. protocol 20h page 0x0020 data encryption status. */
    public static Cdb securityProtocolIn(int protocol, int protocolSpecific, int allocation) {
        String name = "SECURITY PROTOCOL IN";
        check(name, "protocol", protocol, 0, MAX_8);
        check(name, "protocolSpecific", protocolSpecific, 0, MAX_16);
        check(name, "allocation", allocation, 1, Integer.MAX_VALUE);
        byte[] b = new byte[12];
        b[0] = (byte) OpCodes.SECURITY_PROTOCOL_IN; // byte 0: OPERATION CODE A2h
        b[1] = (byte) protocol;                      // byte 1: SECURITY PROTOCOL
        put16(b, 2, protocolSpecific);               // bytes 2-3: SECURITY PROTOCOL SPECIFIC (for 20h: the page code)
        b[4] = 0;                                    // byte 4: bit 7 INC_512=0 (length in bytes)
        b[5] = 0;                                    // byte 5: reserved
        put32(b, 6, allocation);                     // bytes 6-9: ALLOCATION LENGTH
        b[10] = 0;                                   // byte 10: reserved
        b[11] = 0;                                   // byte 11: CONTROL
        return new Cdb(name, b, Direction.IN, allocation);
    }

    /** SECURITY PROTOCOL OUT (INC_512=0), e.g. protocol 20h page 0x0010 set data encryption; data-out is the page. */
    public static Cdb securityProtocolOut(int protocol, int protocolSpecific, int length) {
        String name = "SECURITY PROTOCOL OUT";
        check(name, "protocol", protocol, 0, MAX_8);
        check(name, "protocolSpecific", protocolSpecific, 0, MAX_16);
        check(name, "length", length, 1, Integer.MAX_VALUE);
        byte[] b = new byte[12];
        b[0] = (byte) OpCodes.SECURITY_PROTOCOL_OUT; // byte 0: OPERATION CODE B5h
        b[1] = (byte) protocol;                       // byte 1: SECURITY PROTOCOL
        put16(b, 2, protocolSpecific);                // bytes 2-3: SECURITY PROTOCOL SPECIFIC (for 20h: the page code)
        b[4] = 0;                                     // byte 4: bit 7 INC_512=0 (length in bytes)
        b[5] = 0;                                     // byte 5: reserved
        put32(b, 6, length);                          // bytes 6-9: TRANSFER LENGTH
        b[10] = 0;                                    // byte 10: reserved
        b[11] = 0;                                    // byte 11: CONTROL
        return new Cdb(name, b, Direction.OUT, 0);
    }
}
