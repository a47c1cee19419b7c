package dev.cairn.hsm;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Signs with the audit key, an EC P-256 key pair whose private key never leaves the token
 * (SHA256withECDSA, DER signatures). Verification needs only the public key, exported as PEM for
 * offline verifiers. A thin view of the {@link TokenSigner} of {@code cairn/audit/1}. Thread safe.
 */
public final class AuditSigner {
    public static final String ALGORITHM = TokenSigner.ALGORITHM;

    private final TokenSigner signer;

    AuditSigner(TokenSigner signer) {
        this.signer = signer;
    }

    public String label() {
        return signer.label();
    }

    /** Signs {@code data} inside the token. */
    public byte[] sign(byte[] data) {
        return signer.sign(data);
    }

    public PublicKey publicKey() {
        return signer.publicKey();
    }

    /** The public key as PEM (SubjectPublicKeyInfo), for offline verifiers of the audit trail. */
    public String publicKeyPem() {
        return signer.publicKeyPem();
    }

    /** Verifies in software (SunEC) with the public key only, as an offline verifier would. */
    public static boolean verify(PublicKey publicKey, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(publicKey);
            s.update(data);
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA256withECDSA unavailable", e);
        }
    }

    public boolean verify(byte[] data, byte[] signature) {
        return verify(signer.publicKey(), data, signature);
    }
}
