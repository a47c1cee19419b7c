package dev.cairn.engine.pack;

/** Blob types (docs/formats/repository.md 3.3). Frozen: a retired number is never reused. */
public enum BlobType {
    DATA(1),
    TREE(2);

    private final int code;

    BlobType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static BlobType of(int code) {
        for (BlobType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new PackFormatException("unknown blob type " + code);
    }
}
