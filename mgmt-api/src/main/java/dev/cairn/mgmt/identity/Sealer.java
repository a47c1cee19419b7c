package dev.cairn.mgmt.identity;

import java.security.SecureRandom;
import java.util.Objects;

import javax.crypto.SecretKey;

/**
 * Authenticated encryption of a whole file's contents (docs/formats/user-store.md, section 2). Implementations are
 * thread safe.
 */
public interface Sealer {
    /**
     * Encrypts and authenticates {@code plaintext}, binding {@code aad} (authenticated, not stored).
     *
     * @return the sealed bytes (for {@link #aesGcm}: 12-byte nonce, ciphertext, 16-byte tag)
     */
    byte[] seal(byte[] plaintext, byte[] aad);

    /**
     * Checks and decrypts what {@link #seal} returned for the same {@code aad}.
     *
     * @throws SealException for a wrong key, a wrong {@code aad}, or any changed, missing or added byte
     */
    byte[] open(byte[] sealed, byte[] aad);

    /**
     * AES-256-GCM with a fresh 96-bit random nonce per {@link #seal} and a 128-bit tag.
     *
     * @param key    a 256-bit AES key, e.g. {@code vault.dataKey("appliance", KeyPurpose.DATA).secretKey()}
     * @param random the nonce source
     */
    static Sealer aesGcm(SecretKey key, SecureRandom random) {
        return new AesGcmSealer(Objects.requireNonNull(key, "key"), Objects.requireNonNull(random, "random"));
    }
}
