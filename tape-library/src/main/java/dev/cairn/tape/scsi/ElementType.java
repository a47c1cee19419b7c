package dev.cairn.tape.scsi;

import java.util.Optional;

/** SMC-3 ELEMENT TYPE CODE: in READ ELEMENT STATUS CDBs and in element status page headers. */
public enum ElementType {
    /** All element types (CDB only). tgt answers this query with corrupt data: query per type. */
    ALL(0),
    /** The robot's gripper. */
    MEDIUM_TRANSPORT(1),
    /** Storage slots. */
    STORAGE(2),
    /** Import/export (mail) slots. */
    IMPORT_EXPORT(3),
    /** Tape drives. */
    DATA_TRANSFER(4);

    private final int code;

    ElementType(int code) {
        this.code = code;
    }

    /** The 4-bit element type code. */
    public int code() {
        return code;
    }

    /** The element type with this code, or empty for reserved codes (5-15 and anything else). */
    public static Optional<ElementType> ofCode(int code) {
        for (ElementType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
