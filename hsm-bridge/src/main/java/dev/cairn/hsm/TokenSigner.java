package dev.cairn.hsm;

import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Objects;

/**
 * An EC P-256 signing key pair in the token whose private key never leaves it: the audit key
 * ({@code cairn/audit/1}), the appliance CA key ({@code cairn/ca/1}) and the approval authority key
 * ({@code cairn/approval/1}); docs/keys.md, section 1. Signatures are SHA256withECDSA, DER encoded.
 *
 * <p>{@link #privateKey()} is the PKCS#11 handle (sensitive, not extractable, usage narrowed to
 * signing) and {@link #provider()} the token's SunPKCS11 provider, for libraries that sign through JCA
 * themselves (Bouncy Castle's {@code JcaContentSignerBuilder}, {@code SignedApproval.sign}). Signatures
 * made that way bypass {@link #sign} and so emit no {@link KeyEvent.Operation#SIGN} event.
 *
 * <p>Thread safe: every {@link #sign} uses its own {@code Signature} instance. {@code toString} names
 * the label only.
 */
public final class TokenSigner {
    /** The only signature algorithm of these keys. */
    public static final String ALGORITHM = "SHA256withECDSA";

    private final Pkcs11Token token;
    private final String label;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Runnable onSign;

    TokenSigner(Pkcs11Token token, String label, PrivateKey privateKey, PublicKey publicKey, Runnable onSign) {
        this.token = Objects.requireNonNull(token);
        this.label = Objects.requireNonNull(label);
        this.privateKey = Objects.requireNonNull(privateKey, "private key of " + label);
        this.publicKey = Objects.requireNonNull(publicKey, "public key of " + label);
        this.onSign = Objects.requireNonNull(onSign);
    }

    /** The token label, for example {@code cairn/ca/1}. */
    public String label() {
        return label;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public key as PEM (SubjectPublicKeyInfo). */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(publicKey.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * Signs {@code data} inside the token (SHA256withECDSA, DER) and emits a {@code SIGN} key event.
     *
     * @throws HsmUnavailableException when the token is gone (fail closed)
     */
    public byte[] sign(byte[] data) {
        byte[] sig = token.sign(label, privateKey, ALGORITHM, data);
        onSign.run();
        return sig;
    }

    /** The PKCS#11 private key handle; its value cannot be read out of the token. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The token's SunPKCS11 provider, the only provider that can use {@link #privateKey()}. */
    public Provider provider() {
        return token.provider();
    }

    @Override
    public String toString() {
        return "TokenSigner[" + label + "]";
    }
}
