package dev.cairn.hsm;

/**
 * What a tenant data key is for. The codes are written into wrapped key records
 * (docs/formats/wrapped-key.md): frozen, and a retired code is never reused.
 */
public enum KeyPurpose {
    /** Encrypts chunks, trees, snapshots and indexes (AES-256-GCM in the engine). */
    DATA(1, "data"),
    /** Keys the chunk IDs (HMAC-SHA-256), so a chunk ID reveals nothing about the content. */
    DEDUPE(2, "dedupe");

    private final int code;
    private final String fileName;

    KeyPurpose(int code, String fileName) {
        this.code = code;
        this.fileName = fileName;
    }

    /** The frozen on-disk code. */
    public int code() {
        return code;
    }

    /** The name used in file names and JSON. */
    public String fileName() {
        return fileName;
    }

    public static KeyPurpose ofCode(int code) {
        for (KeyPurpose p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new WrappedKeyException("unknown key purpose code " + code);
    }

    public static KeyPurpose ofName(String name) {
        for (KeyPurpose p : values()) {
            if (p.fileName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown key purpose '" + name + "' (expected data or dedupe)");
    }
}
