package dev.cairn.hsm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed fingerprint of a data key: the first 16 bytes of HMAC-SHA-256(key = the data key,
 * message = "cairn/key-fingerprint/v1"). It identifies a key in records, reports and rotation proofs
 * without revealing it. Frozen: see docs/formats/wrapped-key.md.
 */
public final class KeyFingerprint {
    static final byte[] LABEL = "cairn/key-fingerprint/v1".getBytes(StandardCharsets.US_ASCII);
    public static final int LENGTH = 16;

    private KeyFingerprint() {
    }

    public static byte[] of(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(LABEL), LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison. */
    public static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    public static String hex(byte[] fingerprint) {
        return HexFormat.of().formatHex(fingerprint);
    }
}
