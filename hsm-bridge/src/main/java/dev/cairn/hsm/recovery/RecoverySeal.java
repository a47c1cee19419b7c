package dev.cairn.hsm.recovery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Seals a 32-byte data key to the recovery public key, and opens it again with the rebuilt recovery key pair.
 * This is scheme 2 of the wrapped-key record; the body layout and every input below are a frozen on-disk
 * format. Spec: {@code docs/formats/recovery-share.md} §7 "Sealed data key (scheme 2 body)".
 *
 * <pre>
 * body    = ephemeralPublic(32) || nonce(12) || AES-256-GCM ciphertext(32) || tag(16)      (92 bytes)
 * shared  = X25519(ephemeralPrivate, recipientPublic)                 (all zero: rejected)
 * key     = HKDF-SHA-256(IKM = shared, salt = ephemeralPublic || recipientPublic,
 *                        info = "cairn/recovery-seal/v1", L = 32)
 * AAD     = header || ephemeralPublic
 * </pre>
 *
 * <p>{@code random} is read exactly twice per seal, in this order: 32 bytes of ephemeral private key, then the
 * 12-byte nonce. The shared secret, the ephemeral private key and the derived key bytes are zeroed after use
 * (the JDK's internal copy inside {@link SecretKeySpec} cannot be zeroed). Stateless and thread safe.
 */
public final class RecoverySeal {
    // ---- Frozen identifiers of scheme 2. DO NOT CHANGE: every sealed key on disk and on tape depends on them.
    // ---- A change is a new scheme number in the wrapped-key record, never an edit here.
    /** HKDF info string of the v1 seal. */
    static final String KDF_INFO = "cairn/recovery-seal/v1";
    /** The only plaintext this scheme seals: one data key. */
    public static final int DATA_KEY_LENGTH = 32;
    static final int EPHEMERAL_LENGTH = 32;
    static final int NONCE_LENGTH = 12;
    static final int TAG_LENGTH = 16;
    static final int WRAPPING_KEY_LENGTH = 32;
    /** Length of every scheme 2 body: 32 + 12 + 32 + 16. */
    public static final int BODY_LENGTH = EPHEMERAL_LENGTH + NONCE_LENGTH + DATA_KEY_LENGTH + TAG_LENGTH;

    static final String AUTH_FAILURE = "sealed key does not authenticate under this recovery key: "
            + "wrong kit, wrong shares, or a damaged record";

    private static final byte[] KDF_INFO_BYTES = KDF_INFO.getBytes(StandardCharsets.US_ASCII);

    private RecoverySeal() {}

    /**
     * Seals {@code plaintext} (a 32-byte data key) to {@code recipientPublic}, binding it to {@code header}.
     *
     * @param header the wrapped-key record header the body will be stored under (authenticated, not stored
     *               here; may be empty)
     * @return the 92-byte body: ephemeralPublic || nonce || ciphertext || tag
     * @throws IllegalArgumentException if the public key is not 32 bytes or is a low-order point, or the
     *                                  plaintext is not 32 bytes
     */
    public static byte[] seal(byte[] recipientPublic, byte[] header, byte[] plaintext, SecureRandom random) {
        Objects.requireNonNull(recipientPublic, "recipientPublic");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(random, "random");
        if (recipientPublic.length != RecoveryKeyPair.KEY_LENGTH) {
            throw new IllegalArgumentException("a recovery public key is 32 bytes, got " + recipientPublic.length);
        }
        if (plaintext.length != DATA_KEY_LENGTH) {
            throw new IllegalArgumentException("scheme 2 seals a 32-byte data key, got " + plaintext.length + " bytes");
        }

        byte[] ephemeralPrivate = new byte[EPHEMERAL_LENGTH];
        byte[] shared = new byte[32];
        byte[] wrappingKey = null;
        try {
            random.nextBytes(ephemeralPrivate);
            byte[] ephemeralPublic = new byte[EPHEMERAL_LENGTH];
            X25519.generatePublicKey(ephemeralPrivate, 0, ephemeralPublic, 0);
            if (!X25519.calculateAgreement(ephemeralPrivate, 0, recipientPublic, 0, shared, 0)) {
                throw new IllegalArgumentException(
                        "the recovery public key is a low-order point (shared secret is zero); it is not a valid recovery key");
            }
            byte[] nonce = new byte[NONCE_LENGTH];
            random.nextBytes(nonce);
            wrappingKey = deriveWrappingKey(shared, ephemeralPublic, recipientPublic);

            byte[] body = new byte[BODY_LENGTH];
            System.arraycopy(ephemeralPublic, 0, body, 0, EPHEMERAL_LENGTH);
            System.arraycopy(nonce, 0, body, EPHEMERAL_LENGTH, NONCE_LENGTH);
            Cipher gcm = gcm(Cipher.ENCRYPT_MODE, wrappingKey, nonce);
            gcm.updateAAD(header);
            gcm.updateAAD(ephemeralPublic);
            int written = gcm.doFinal(plaintext, 0, plaintext.length, body, EPHEMERAL_LENGTH + NONCE_LENGTH);
            if (written != DATA_KEY_LENGTH + TAG_LENGTH) {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes, expected 48");
            }
            return body;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM (SunJCE) failed while sealing", e);
        } finally {
            Arrays.fill(ephemeralPrivate, (byte) 0);
            Arrays.fill(shared, (byte) 0);
            if (wrappingKey != null) {
                Arrays.fill(wrappingKey, (byte) 0);
            }
        }
    }

    /**
     * Opens a scheme 2 body with the rebuilt recovery key.
     *
     * @return the 32-byte data key; the caller zeroes it
     * @throws RecoverySealException if the body is not 92 bytes, or it does not authenticate (wrong kit, wrong
     *                               shares, wrong header, or damage)
     * @throws IllegalStateException if {@code key} is closed
     */
    public static byte[] open(RecoveryKeyPair key, byte[] header, byte[] body) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
        if (body.length != BODY_LENGTH) {
            throw new RecoverySealException("a scheme 2 sealed key body is " + BODY_LENGTH + " bytes, got "
                    + body.length + ": the record is truncated or damaged");
        }
        byte[] ephemeralPublic = Arrays.copyOfRange(body, 0, EPHEMERAL_LENGTH);
        byte[] nonce = Arrays.copyOfRange(body, EPHEMERAL_LENGTH, EPHEMERAL_LENGTH + NONCE_LENGTH);
        byte[] shared = new byte[32];
        byte[] wrappingKey = null;
        try {
            if (!key.agree(ephemeralPublic, shared)) {
                // A low-order ephemeral key cannot come from seal(): the record is damaged or forged.
                throw new RecoverySealException(AUTH_FAILURE);
            }
            wrappingKey = deriveWrappingKey(shared, ephemeralPublic, key.publicKey());
            Cipher gcm = gcm(Cipher.DECRYPT_MODE, wrappingKey, nonce);
            gcm.updateAAD(header);
            gcm.updateAAD(ephemeralPublic);
            return gcm.doFinal(body, EPHEMERAL_LENGTH + NONCE_LENGTH, DATA_KEY_LENGTH + TAG_LENGTH);
        } catch (AEADBadTagException e) {
            throw new RecoverySealException(AUTH_FAILURE, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM (SunJCE) failed while opening", e);
        } finally {
            Arrays.fill(shared, (byte) 0);
            if (wrappingKey != null) {
                Arrays.fill(wrappingKey, (byte) 0);
            }
        }
    }

    /** HKDF-SHA-256(IKM = shared, salt = ephemeralPublic || recipientPublic, info = KDF_INFO, L = 32). */
    static byte[] deriveWrappingKey(byte[] shared, byte[] ephemeralPublic, byte[] recipientPublic)
            throws GeneralSecurityException {
        byte[] salt = new byte[EPHEMERAL_LENGTH + RecoveryKeyPair.KEY_LENGTH];
        System.arraycopy(ephemeralPublic, 0, salt, 0, EPHEMERAL_LENGTH);
        System.arraycopy(recipientPublic, 0, salt, EPHEMERAL_LENGTH, RecoveryKeyPair.KEY_LENGTH);
        KDF hkdf = KDF.getInstance("HKDF-SHA256");
        return hkdf.deriveData(HKDFParameterSpec.ofExtract()
                .addIKM(shared)
                .addSalt(salt)
                .thenExpand(KDF_INFO_BYTES, WRAPPING_KEY_LENGTH));
    }

    private static Cipher gcm(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
        return cipher;
    }
}
