package dev.cairn.engine.pack;

/** How a blob's plaintext is stored (docs/formats/repository.md 3.3). Frozen. */
public enum Compression {
    NONE(0),
    ZSTD(1);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Compression of(int code) {
        for (Compression c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw new PackFormatException("unknown compression " + code);
    }
}
