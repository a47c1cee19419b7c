package dev.cairn.hsm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One wrapped key record, format version 1: docs/formats/wrapped-key.md. Immutable; the byte arrays
 * are copied in and out.
 *
 * @param scheme         how the body is sealed
 * @param purpose        what the data key is for
 * @param keyVersion     data key version of that purpose, from 1
 * @param wrappingKeyId  scheme 1: the KEK generation; scheme 2: the recovery kit id as 8 bytes big-endian
 * @param created        when the data key was first made (seconds precision)
 * @param fingerprint    {@link KeyFingerprint} of the data key
 * @param tenant         tenant id
 * @param body           scheme-specific body (nonce, ciphertext, tag...)
 */
public record WrappedKey(Scheme scheme, KeyPurpose purpose, int keyVersion, long wrappingKeyId, Instant created,
                         byte[] fingerprint, String tenant, byte[] body) {

    /** ASCII "CAIRN-WK". Frozen. */
    static final byte[] MAGIC = "CAIRN-WK".getBytes(StandardCharsets.US_ASCII);
    /** The format version this code writes. */
    public static final int FORMAT_VERSION = 1;
    static final int FIXED_HEADER = 49;
    /** 9999-12-31T23:59:59Z: the latest creation time a record may carry. */
    static final long MAX_CREATED = 253_402_300_799L;

    /** The frozen scheme codes. */
    public enum Scheme {
        /** AES-256-GCM under the tenant's KEK inside the HSM; body = nonce(12) ct(32) tag(16). */
        KEK_AES256_GCM(1, 60),
        /** Sealed to the recovery public key; body = ephemeral X25519 key(32) nonce(12) ct(32) tag(16). */
        RECOVERY_SEAL(2, 92);

        private final int code;
        private final int bodyLength;

        Scheme(int code, int bodyLength) {
            this.code = code;
            this.bodyLength = bodyLength;
        }

        public int code() {
            return code;
        }

        public int bodyLength() {
            return bodyLength;
        }

        static Scheme ofCode(int code) {
            for (Scheme s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw new WrappedKeyException("wrapped key record has unknown scheme " + code);
        }
    }

    public WrappedKey {
        TenantId.check(tenant);
        if (keyVersion < 1) {
            throw new IllegalArgumentException("key version starts at 1");
        }
        if (fingerprint.length != KeyFingerprint.LENGTH) {
            throw new IllegalArgumentException("fingerprint has " + KeyFingerprint.LENGTH + " bytes");
        }
        if (body.length != scheme.bodyLength()) {
            throw new IllegalArgumentException("a " + scheme + " body has " + scheme.bodyLength() + " bytes");
        }
        created = Instant.ofEpochSecond(created.getEpochSecond());
        fingerprint = fingerprint.clone();
        body = body.clone();
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The header bytes: the AAD of scheme 1, and the first part of the AAD of scheme 2. */
    public byte[] header() {
        return header(scheme, purpose, keyVersion, wrappingKeyId, created, fingerprint, tenant);
    }

    static byte[] header(Scheme scheme, KeyPurpose purpose, int keyVersion, long wrappingKeyId, Instant created,
                         byte[] fingerprint, String tenant) {
        byte[] t = tenant.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(FIXED_HEADER + t.length);
        b.put(MAGIC).putShort((short) FORMAT_VERSION).put((byte) scheme.code()).put((byte) purpose.code())
                .putInt(keyVersion).putLong(wrappingKeyId).putLong(created.getEpochSecond()).put(fingerprint)
                .put((byte) t.length).put(t);
        return b.array();
    }

    /** The whole record. */
    public byte[] encode() {
        byte[] h = header();
        byte[] out = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    /**
     * Parses and checks a record's structure (not its authenticity: that needs the key).
     *
     * @throws WrappedKeyException naming the first problem found
     */
    public static WrappedKey decode(byte[] bytes) {
        if (bytes.length < FIXED_HEADER + 1) {
            throw new WrappedKeyException("wrapped key record is truncated (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new WrappedKeyException("not a Cairn wrapped key record (bad magic)");
        }
        int version = Short.toUnsignedInt(b.getShort());
        if (version != FORMAT_VERSION) {
            throw new WrappedKeyException("wrapped key record has format version " + version
                    + "; this Cairn reads version " + FORMAT_VERSION + ". Upgrade Cairn to read it.");
        }
        Scheme scheme = Scheme.ofCode(Byte.toUnsignedInt(b.get()));
        KeyPurpose purpose = KeyPurpose.ofCode(Byte.toUnsignedInt(b.get()));
        long keyVersion = Integer.toUnsignedLong(b.getInt());
        long wrappingKeyId = b.getLong();
        long created = b.getLong();
        byte[] fp = new byte[KeyFingerprint.LENGTH];
        b.get(fp);
        int tl = Byte.toUnsignedInt(b.get());
        if (tl < 1 || tl > 48) {
            throw new WrappedKeyException("wrapped key record has an invalid tenant length " + tl);
        }
        int expected = FIXED_HEADER + tl + scheme.bodyLength();
        if (bytes.length != expected) {
            throw new WrappedKeyException("wrapped key record has " + bytes.length + " bytes; a " + scheme
                    + " record for this tenant has " + expected);
        }
        if (created < 0 || created > MAX_CREATED) {
            throw new WrappedKeyException("wrapped key record has an invalid creation time");
        }
        if (keyVersion < 1 || keyVersion > Integer.MAX_VALUE) {
            throw new WrappedKeyException("wrapped key record has an invalid key version " + keyVersion);
        }
        byte[] t = new byte[tl];
        b.get(t);
        String tenant = new String(t, StandardCharsets.US_ASCII);
        if (!TenantId.isValid(tenant)) {
            throw new WrappedKeyException("wrapped key record has an invalid tenant id");
        }
        byte[] body = new byte[scheme.bodyLength()];
        b.get(body);
        return new WrappedKey(scheme, purpose, (int) keyVersion, wrappingKeyId, Instant.ofEpochSecond(created), fp,
                tenant, body);
    }

    /** The file name of this record in the tenant's key directory. */
    public String fileName() {
        String base = purpose.fileName() + "-v" + keyVersion;
        return scheme == Scheme.KEK_AES256_GCM
                ? base + ".g" + wrappingKeyId + ".cwk"
                : base + ".recovery-" + HexFormat.of().toHexDigits(wrappingKeyId) + ".cwk";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey w && Arrays.equals(encode(), w.encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        String wrapping = scheme == Scheme.KEK_AES256_GCM ? "KEK generation " + wrappingKeyId
                : "recovery kit " + HexFormat.of().toHexDigits(wrappingKeyId);
        return "WrappedKey[" + tenant + "/" + purpose.fileName() + "/v" + keyVersion + " " + scheme
                + ", " + wrapping + ", fingerprint " + KeyFingerprint.hex(fingerprint) + "]";
    }
}
