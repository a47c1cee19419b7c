package dev.cairn.hsm;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs with the audit key, an EC P-256 key pair whose private key never leaves the token
 * (SHA256withECDSA, DER signatures). Verification needs only the public key, exported as PEM for
 * offline verifiers. Thread safe.
 */
public final class AuditSigner {
    public static final String ALGORITHM = "SHA256withECDSA";

    private final Pkcs11Token token;
    private final String label;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Runnable onSign;

    AuditSigner(Pkcs11Token token, String label, PrivateKey privateKey, PublicKey publicKey, Runnable onSign) {
        this.token = token;
        this.label = label;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.onSign = onSign;
    }

    public String label() {
        return label;
    }

    /** Signs {@code data} inside the token. */
    public byte[] sign(byte[] data) {
        byte[] sig = token.sign(label, privateKey, ALGORITHM, data);
        onSign.run();
        return sig;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public key as PEM (SubjectPublicKeyInfo), for offline verifiers of the audit trail. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
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
        return verify(publicKey, data, signature);
    }
}
