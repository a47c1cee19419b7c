package dev.cairn.mgmt.auth;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.util.encoders.Base32;

/**
 * A TOTP shared secret (docs/auth.md, section 4). Immutable (copies in and out); {@link #toString()} never shows
 * it. Store it encrypted; show its base32 form only at enrollment.
 */
public final class TotpSecret {
    /** Generated secrets have 20 bytes (160 bits, RFC 4226 section 4). */
    public static final int GENERATED_BYTES = 20;

    private final byte[] key;

    private TotpSecret(byte[] key) {
        this.key = key.clone();
    }

    /** A new 160-bit secret from {@code random}. */
    public static TotpSecret generate(SecureRandom random) {
        byte[] k = new byte[GENERATED_BYTES];
        random.nextBytes(k);
        return new TotpSecret(k);
    }

    /** Wraps raw key bytes (at least 16 bytes; RFC 6238 vectors and stored secrets). */
    public static TotpSecret of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < 16 || key.length > 64) {
            throw new IllegalArgumentException("TOTP key length out of range 16..64 bytes");
        }
        return new TotpSecret(key);
    }

    /** Parses the RFC 4648 base32 form (case-insensitive, padding optional). */
    public static TotpSecret fromBase32(String b32) throws MalformedCredentialException {
        if (b32 == null || !b32.matches("[A-Za-z2-7]+=*")) {
            throw new MalformedCredentialException("TOTP secret is not base32");
        }
        String s = b32.replace("=", "").toUpperCase(Locale.ROOT);
        String padded = s + "=".repeat((8 - s.length() % 8) % 8);
        byte[] k;
        try {
            k = Base32.decode(padded);
        } catch (RuntimeException e) {
            throw new MalformedCredentialException("TOTP secret is not base32");
        }
        if (k.length < 16 || k.length > 64 || !base32(k).equals(s)) {
            throw new MalformedCredentialException("TOTP secret has a bad length or is not canonical base32");
        }
        return new TotpSecret(k);
    }

    /** The unpadded upper-case base32 form for the enrollment URI. */
    public String toBase32() {
        return base32(key);
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return key.clone();
    }

    byte[] keyForMac() {
        return key;
    }

    static String base32(byte[] b) {
        return Base32.toBase32String(b).replace("=", "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TotpSecret t && java.security.MessageDigest.isEqual(key, t.key);
    }

    @Override
    public int hashCode() {
        return key.length; // not derived from the key bytes
    }

    @Override
    public String toString() {
        return "TotpSecret[" + key.length + " bytes, <redacted>]";
    }
}
