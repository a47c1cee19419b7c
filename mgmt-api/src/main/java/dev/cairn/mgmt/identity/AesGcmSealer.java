package dev.cairn.mgmt.identity;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-256-GCM, nonce || ciphertext || tag (docs/formats/user-store.md, section 2). */
final class AesGcmSealer implements Sealer {
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKey key;
    private final SecureRandom random;

    AesGcmSealer(SecretKey key, SecureRandom random) {
        if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException("the sealing key must be an AES key");
        }
        byte[] encoded = key.getEncoded();
        if (encoded != null && encoded.length != 32) {
            throw new IllegalArgumentException("the sealing key must be 256 bits");
        }
        this.key = key;
        this.random = random;
    }

    @Override
    public byte[] seal(byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] ct = c.doFinal(plaintext);
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public byte[] open(byte[] sealed, byte[] aad) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealException("sealed data is truncated: wrong key or damaged file");
        }
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            c.updateAAD(aad);
            return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealException("sealed data failed authentication: wrong key or damaged file");
        } catch (GeneralSecurityException e) {
            throw new SealException("sealed data cannot be opened (" + e.getClass().getSimpleName()
                    + "): wrong key or damaged file", e);
        }
    }
}
