package dev.cairn.engine.pack;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Pack format version 1 (docs/formats/repository.md section 3): constants, the header codec, nonces
 * and AADs. Frozen identifiers live here and nowhere else.
 */
public final class PackFormat {
    /** ASCII "CAIRN-PK". Frozen. */
    static final byte[] MAGIC = "CAIRN-PK".getBytes(StandardCharsets.US_ASCII);
    /** ASCII "CAIRN-PF". Frozen. */
    static final byte[] TRAILER_MAGIC = "CAIRN-PF".getBytes(StandardCharsets.US_ASCII);
    /** HKDF info of pack keys. Frozen. */
    public static final String KEY_INFO = "cairn/pack/v1";
    static final byte[] FOOTER_AAD = "footer".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    public static final int TAG = 16;
    static final int FOOTER_ENTRY = 50;
    static final int TRAILER = 12;
    public static final int SALT = 32;

    private PackFormat() {
    }

    /** The plaintext header of a pack. */
    public record Header(int keyVersion, byte[] salt, long created, String tenant) {
        public Header {
            if (salt.length != SALT) {
                throw new IllegalArgumentException("a pack salt has 32 bytes");
            }
            salt = salt.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        public byte[] encode() {
            byte[] t = tenant.getBytes(StandardCharsets.US_ASCII);
            return ByteBuffer.allocate(55 + t.length).put(MAGIC).putShort((short) VERSION).putInt(keyVersion).put(salt)
                    .putLong(created).put((byte) t.length).put(t).array();
        }

        public byte[] hash() {
            return sha256(encode());
        }

        /** Parses the header at the start of {@code b}; {@code name} is the file, for messages. */
        public static Header decode(ByteBuffer b, String name) {
            if (b.remaining() < 56) {
                throw new PackFormatException(name + " is too short to be a pack");
            }
            byte[] magic = new byte[8];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new PackFormatException(name + " is not a Cairn pack (bad magic)");
            }
            int version = Short.toUnsignedInt(b.getShort());
            if (version != VERSION) {
                throw new PackFormatException(name + " has pack format version " + version + "; this Cairn reads version " + VERSION);
            }
            int keyVersion = b.getInt();
            byte[] salt = new byte[SALT];
            b.get(salt);
            long created = b.getLong();
            int len = Byte.toUnsignedInt(b.get());
            if (len < 1 || len > 48 || b.remaining() < len) {
                throw new PackFormatException(name + " has a damaged header (tenant length " + len + ")");
            }
            byte[] t = new byte[len];
            b.get(t);
            return new Header(keyVersion, salt, created, new String(t, StandardCharsets.US_ASCII));
        }

        public int length() {
            return 55 + tenant.length();
        }
    }

    /** Nonce of blob {@code index}: 4 zero bytes and the index. */
    static byte[] blobNonce(long index) {
        return ByteBuffer.allocate(12).putInt(0).putLong(index).array();
    }

    /** Nonce of the footer: FF FF FF FF and the blob count. */
    static byte[] footerNonce(long count) {
        return ByteBuffer.allocate(12).putInt(0xffffffff).putLong(count).array();
    }

    static byte[] blobAad(byte[] headerHash, BlobType type, byte[] id, Compression c, int rawLength) {
        return ByteBuffer.allocate(32 + 1 + 32 + 1 + 4).put(headerHash).put((byte) type.code()).put(id)
                .put((byte) c.code()).putInt(rawLength).array();
    }

    static byte[] footerAad(byte[] headerHash) {
        return ByteBuffer.allocate(32 + FOOTER_AAD.length).put(headerHash).put(FOOTER_AAD).array();
    }

    public static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
