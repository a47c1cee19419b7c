package dev.cairn.mgmt.webauthn;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A registered WebAuthn/FIDO2 credential as the user store keeps it (docs/formats/user-store.md).
 *
 * @param credentialId the authenticator's credential ID (1 to 1023 bytes)
 * @param credential   the credential's public data as the WebAuthn ceremony code serialises it (attested credential
 *                     data: AAGUID, credential ID, COSE public key); opaque to the store
 * @param signCount    the last signature counter the authenticator reported (0 if it keeps none)
 * @param label        the user's name for it, e.g. {@code YubiKey 5C}; 1 to 64 printable characters
 * @param createdAt    when it was registered
 */
public record Passkey(byte[] credentialId, byte[] credential, long signCount, String label, Instant createdAt) {
    public Passkey {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(createdAt, "createdAt");
        if (credentialId.length == 0 || credentialId.length > 1023) {
            throw new IllegalArgumentException("passkey credential ID must be 1 to 1023 bytes");
        }
        if (signCount < 0 || signCount > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("passkey signature counter must be a 32-bit unsigned value");
        }
        if (label.isEmpty() || label.length() > 64 || label.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("passkey label must be 1 to 64 printable characters");
        }
        credentialId = credentialId.clone();
        credential = credential.clone();
    }

    @Override
    public byte[] credentialId() {
        return credentialId.clone();
    }

    @Override
    public byte[] credential() {
        return credential.clone();
    }

    /** The same passkey with a new signature counter, after a successful assertion. */
    public Passkey withSignCount(long count) {
        return new Passkey(credentialId, credential, count, label, createdAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Passkey p && Arrays.equals(credentialId, p.credentialId)
                && Arrays.equals(credential, p.credential) && signCount == p.signCount && label.equals(p.label)
                && createdAt.equals(p.createdAt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(credentialId);
    }

    @Override
    public String toString() {
        return "Passkey[" + label + ", signCount=" + signCount + "]";
    }
}
