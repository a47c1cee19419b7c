package dev.cairn.mgmt.access;

import dev.cairn.hsm.approval.ApprovalRecord;
import dev.cairn.hsm.approval.SignedApproval;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.util.Objects;

/**
 * The approval authority as {@link Approvals} sees it: signs a complete {@link ApprovalRecord}
 * (docs/formats/approval-record.md). In production the key is the HSM's approval signing key
 * ({@code KeyVault.approvalSigner()}); tests use a software EC P-256 key. Implementations must be thread safe.
 */
public interface ApprovalSigner {

    /**
     * Signs {@code record}.
     *
     * @throws IllegalStateException if the authority cannot sign (for example the token is gone); nothing is changed
     */
    SignedApproval sign(ApprovalRecord record);

    /** The authority's EC P-256 public key, for {@code SignedApprovalAuthorization}. */
    PublicKey publicKey();

    /**
     * A signer over an EC P-256 private key with {@link SignedApproval#sign}.
     *
     * @param key            the private key (a SunPKCS11 token key signs inside the HSM)
     * @param providerOrNull the provider holding {@code key}, or null to let the JCA choose
     * @param publicKey      the matching public key
     */
    static ApprovalSigner of(PrivateKey key, Provider providerOrNull, PublicKey publicKey) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publicKey, "publicKey");
        return new ApprovalSigner() {
            @Override
            public SignedApproval sign(ApprovalRecord record) {
                try {
                    return SignedApproval.sign(record, key, providerOrNull);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("the approval authority could not sign the record ("
                            + e.getClass().getSimpleName() + "); check that the key token is present and logged in", e);
                }
            }

            @Override
            public PublicKey publicKey() {
                return publicKey;
            }

            @Override
            public String toString() {
                return "ApprovalSigner[" + key.getAlgorithm() + (providerOrNull == null ? "" : ", " + providerOrNull.getName()) + "]";
            }
        };
    }
}
