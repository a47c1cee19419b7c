package dev.cairn.mgmt.identity;

import java.util.Objects;

/**
 * What the user needs to add a TOTP secret to an authenticator app, returned once by {@link Mfa#beginTotp}: the
 * {@code otpauth://} URI (for the QR code) and the base32 secret (for typing). Both contain the secret: show once,
 * never log, never store. {@link #toString()} hides them.
 *
 * @param username the account
 * @param secretBase32 the secret, RFC 4648 base32 without padding
 * @param uri the enrollment URI (docs/auth.md, section 4)
 */
public record TotpSetup(String username, String secretBase32, String uri) {
    /** Validates. */
    public TotpSetup {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secretBase32, "secretBase32");
        Objects.requireNonNull(uri, "uri");
    }

    @Override
    public String toString() {
        return "TotpSetup[" + username + ", <secret redacted>]";
    }
}
