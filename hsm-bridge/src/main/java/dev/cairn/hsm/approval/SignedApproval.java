package dev.cairn.hsm.approval;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An {@link ApprovalRecord} with the approval authority's signature over its
 * {@link ApprovalRecord#canonicalBytes() canonical bytes}: SHA256withECDSA on P-256, DER encoded.
 * Text form: docs/formats/approval-record.md, "Signed text".
 *
 * <p>Immutable: the signature array is copied in and out. Equality compares the signature bytes.
 *
 * @param record    the signed content
 * @param signature DER-encoded ECDSA signature ({@code SEQUENCE { INTEGER r, INTEGER s }}), not empty
 */
public record SignedApproval(ApprovalRecord record, byte[] signature) {

    /** Signature algorithm (JCA name). FROZEN for version 1. */
    static final String ALGORITHM = "SHA256withECDSA";

    public SignedApproval {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(signature, "signature");
        if (signature.length == 0) {
            throw new IllegalArgumentException("signature must not be empty");
        }
        signature = signature.clone();
    }

    /**
     * Signs {@code record} with the approval authority's private key.
     *
     * @param key            the EC P-256 private key; it may be a token key (SunPKCS11), in which case
     *                       the signature is computed inside the HSM
     * @param providerOrNull the provider that holds {@code key}, or null to let the JCA choose
     * @throws GeneralSecurityException if the provider cannot sign with this key, or returns something
     *                                  that is not a DER ECDSA signature
     */
    public static SignedApproval sign(ApprovalRecord record, PrivateKey key, Provider providerOrNull)
            throws GeneralSecurityException {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(key, "key");
        Signature s = providerOrNull == null
                ? Signature.getInstance(ALGORITHM)
                : Signature.getInstance(ALGORITHM, providerOrNull);
        s.initSign(key);
        s.update(record.canonicalBytes());
        byte[] sig = s.sign();
        // A provider that answers with raw r||s (P1363) would produce records no verifier accepts.
        if (sig.length < 8 || sig[0] != 0x30) {
            throw new SignatureException(s.getProvider().getName() + " returned a signature that is not DER encoded");
        }
        return new SignedApproval(record, sig);
    }

    /**
     * Parses the signed text strictly (exact line order, no unknown or duplicate keys, final LF,
     * canonical values). Does not verify the signature: that is {@link SignedApprovalAuthorization}'s job.
     *
     * @throws ApprovalFormatException naming the line and the problem
     */
    public static SignedApproval parse(String text) {
        Objects.requireNonNull(text, "text");
        return ApprovalText.parse(text);
    }

    /** The signed text: the canonical text, then {@code signature=<base64>} and a LF. */
    public String toText() {
        return ApprovalText.format(this);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedApproval other
                && record.equals(other.record)
                && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * record.hashCode() + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedApproval[id=" + record.id() + ", action=" + record.action() + ", target=" + record.target()
                + ", signature=" + signature.length + " bytes]";
    }
}
