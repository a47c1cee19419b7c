package dev.cairn.tape.scsi;

/** SPACE(6) CODE field (SSC-4): what to count. Setmarks (code 4) are obsolete and not offered. */
public enum SpaceCode {
    /** Logical blocks. */
    BLOCKS(0),
    /** Filemarks. */
    FILEMARKS(1),
    /** A run of COUNT consecutive filemarks. Not supported by tgt. */
    SEQUENTIAL_FILEMARKS(2),
    /** End of data; the count is ignored and must be 0. */
    END_OF_DATA(3);

    private final int code;

    SpaceCode(int code) {
        this.code = code;
    }

    /** The value of the CODE field (byte 1, bits 3-0). */
    public int code() {
        return code;
    }
}
