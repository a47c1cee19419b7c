package dev.cairn.mgmt.identity;

import java.security.MessageDigest;
import java.util.Objects;

import dev.cairn.mgmt.auth.TotpSecret;
import dev.cairn.mgmt.auth.TotpVerifier;

/**
 * An account's TOTP enrollment as the sealed user store keeps it (docs/formats/user-store.md, section 3).
 *
 * @param secret       the shared secret (16..64 bytes; 20 when generated); copied in and out, never in
 *                     {@link #toString()}
 * @param confirmed    true once the user proved the authenticator app with a code
 * @param lastUsedStep the last accepted time step ({@link TotpVerifier#NO_STEP_USED} before the first); no code at
 *                     or before it is accepted again
 */
public record TotpState(byte[] secret, boolean confirmed, long lastUsedStep) {
    /** Validates and copies. */
    public TotpState {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16 || secret.length > 64) {
            throw new IllegalArgumentException("TOTP secret must be 16 to 64 bytes");
        }
        if (lastUsedStep < TotpVerifier.NO_STEP_USED) {
            throw new IllegalArgumentException("TOTP last used step must be -1 or more");
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** The secret as the verifier takes it. */
    public TotpSecret totpSecret() {
        return TotpSecret.of(secret);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TotpState t && MessageDigest.isEqual(secret, t.secret) && confirmed == t.confirmed
                && lastUsedStep == t.lastUsedStep;
    }

    @Override
    public int hashCode() {
        return Objects.hash(confirmed, lastUsedStep);
    }

    @Override
    public String toString() {
        return "TotpState[secret=<redacted>, confirmed=" + confirmed + ", lastUsedStep=" + lastUsedStep + "]";
    }
}
