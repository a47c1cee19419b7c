package dev.cairn.tape.scsi;

/**
 * READ POSITION data (SSC-4) in the short form (service action 00h, 20 bytes) or the long form
 * (service action 06h, 32 bytes).
 *
 * <p><b>Unknown is a state.</b> When the drive says it does not know where it is (short form BPU/LOLU
 * or PERR, long form MPU or LONU), or when the answer contradicts itself ({@link #selfContradictory()}:
 * logical object 0 is the beginning of the partition, so object 0 without BOP cannot be),
 * {@link #positionUnknown()} is true and the location fields carry whatever bytes the drive sent;
 * callers must not use them.
 *
 * <p>tgt 1.0.85 fills the answer with zeros except byte 0, where it writes the length (14h short,
 * 20h long). The short form thus has BYCU and BPU set, and the long form claims object 0 without BOP:
 * both decode as position unknown, which is the truth.
 */
public sealed interface ReadPosition permits ReadPosition.ShortForm, ReadPosition.LongForm {
    int SHORT_FORM_LENGTH = 20;
    int LONG_FORM_LENGTH = 32;

    /** At the beginning of the current partition. */
    boolean bop();

    /** Between early warning and the end of the partition (EOP). */
    boolean eop();

    /** Beyond the programmable early warning point. */
    boolean bpew();

    /** The current partition. */
    long partition();

    /** The logical object (block) number from the start of the partition. */
    long logicalObjectNumber();

    /**
     * The drive does not know its logical position, or its answer contradicts itself; nothing else here
     * may be relied on.
     */
    boolean positionUnknown();

    /** Logical object 0 without BOP: an answer no drive that knows its position can give. */
    default boolean selfContradictory() {
        return logicalObjectNumber() == 0 && !bop();
    }

    static ShortForm parseShort(byte[] data) {
        return ShortForm.parse(data);
    }

    static LongForm parseLong(byte[] data) {
        return LongForm.parse(data);
    }

    /**
     * The short form: byte 0 BOP(7) EOP(6) LOCU/BCU(5) BYCU(4) LOLU/BPU(2) PERR(1) BPEW(0), byte 1
     * PARTITION NUMBER, bytes 4-7 FIRST and 8-11 LAST LOGICAL OBJECT LOCATION, bytes 13-15 NUMBER OF
     * LOGICAL OBJECTS IN OBJECT BUFFER, bytes 16-19 NUMBER OF BYTES IN OBJECT BUFFER.
     *
     * @param blockPositionUnknown BPU (SSC-3 LOLU): the block locations are not known
     * @param positionError        PERR: the position overflowed the fields (more than 2^32 blocks)
     * @param blockCountUnknown    BCU (LOCU): the blocks-in-buffer count is not known
     * @param byteCountUnknown     BYCU: the bytes-in-buffer count is not known
     */
    record ShortForm(boolean bop, boolean eop, boolean bpew, boolean blockPositionUnknown, boolean positionError,
                     boolean blockCountUnknown, boolean byteCountUnknown, long partition, long firstBlockLocation,
                     long lastBlockLocation, int blocksInBuffer, long bytesInBuffer) implements ReadPosition {
        private static final String STRUCTURE = "READ POSITION short form data";

        public static ShortForm parse(byte[] data) {
            ByteReader r = ByteReader.of(STRUCTURE, data);
            r.require(0, SHORT_FORM_LENGTH, "short form");
            int flags = r.u8(0, "flags");
            return new ShortForm(
                    (flags & 0x80) != 0, (flags & 0x40) != 0, (flags & 0x01) != 0,
                    (flags & 0x04) != 0, (flags & 0x02) != 0, (flags & 0x20) != 0, (flags & 0x10) != 0,
                    r.u8(1, "PARTITION NUMBER"),
                    r.u32(4, "FIRST LOGICAL OBJECT LOCATION"),
                    r.u32(8, "LAST LOGICAL OBJECT LOCATION"),
                    r.u24(13, "NUMBER OF LOGICAL OBJECTS IN OBJECT BUFFER"),
                    r.u32(16, "NUMBER OF BYTES IN OBJECT BUFFER"));
        }

        @Override
        public boolean positionUnknown() {
            return blockPositionUnknown || positionError || selfContradictory();
        }

        /** The first block location: the next block to be read or written. */
        @Override
        public long logicalObjectNumber() {
            return firstBlockLocation;
        }
    }

    /**
     * The long form: byte 0 BOP(7) EOP(6) MPU(3) LONU(2) BPEW(0), bytes 4-7 PARTITION NUMBER, bytes
     * 8-15 LOGICAL OBJECT NUMBER, bytes 16-23 LOGICAL FILE IDENTIFIER (filemarks from the start of the
     * partition), bytes 24-31 obsolete.
     *
     * @param mappedPositionUnknown MPU: the logical file identifier is not known (Cairn tracks files, so
     *                              this also makes {@link #positionUnknown()} true)
     * @param logicalObjectNumberUnknown LONU: partition and logical object number are not known
     */
    record LongForm(boolean bop, boolean eop, boolean bpew, boolean mappedPositionUnknown,
                    boolean logicalObjectNumberUnknown, long partition, long logicalObjectNumber,
                    long logicalFileId) implements ReadPosition {
        private static final String STRUCTURE = "READ POSITION long form data";

        public static LongForm parse(byte[] data) {
            ByteReader r = ByteReader.of(STRUCTURE, data);
            r.require(0, LONG_FORM_LENGTH, "long form");
            int flags = r.u8(0, "flags");
            return new LongForm(
                    (flags & 0x80) != 0, (flags & 0x40) != 0, (flags & 0x01) != 0,
                    (flags & 0x08) != 0, (flags & 0x04) != 0,
                    r.u32(4, "PARTITION NUMBER"),
                    r.u64(8, "LOGICAL OBJECT NUMBER"),
                    r.u64(16, "LOGICAL FILE IDENTIFIER"));
        }

        @Override
        public boolean positionUnknown() {
            return mappedPositionUnknown || logicalObjectNumberUnknown || selfContradictory();
        }
    }
}
