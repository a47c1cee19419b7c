package dev.cairn.mgmt.webauthn;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the server keeps (in the session) between starting and finishing a passkey ceremony. Made only by
 * {@link WebAuthn#startRegistration} and {@link WebAuthn#startAssertion}; the {@link WebAuthn} instance that made
 * it accepts it once, before {@code expiresAt} (5 minutes after it was started, by the injected clock).
 *
 * @param optionsJson the options sent to the browser ({@code PublicKeyCredentialCreationOptionsJSON} or
 *                    {@code PublicKeyCredentialRequestOptionsJSON}, docs/auth.md)
 * @param challenge   the 32 random challenge bytes
 * @param expiresAt   after this instant the ceremony is refused
 * @param kind        {@link #CREATE} (registration) or {@link #GET} (assertion)
 */
public record Ceremony(String optionsJson, byte[] challenge, Instant expiresAt, String kind) {
    /** The kind of a registration ceremony ({@code navigator.credentials.create()}). */
    public static final String CREATE = "create";
    /** The kind of an assertion ceremony ({@code navigator.credentials.get()}). */
    public static final String GET = "get";

    public Ceremony {
        Objects.requireNonNull(optionsJson, "optionsJson");
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(kind, "kind");
        if (!kind.equals(CREATE) && !kind.equals(GET)) {
            throw new IllegalArgumentException("passkey ceremony kind must be \"create\" or \"get\"");
        }
        challenge = challenge.clone();
    }

    @Override
    public byte[] challenge() {
        return challenge.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ceremony c && optionsJson.equals(c.optionsJson) && Arrays.equals(challenge, c.challenge)
                && expiresAt.equals(c.expiresAt) && kind.equals(c.kind);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(challenge);
    }

    @Override
    public String toString() {
        return "Ceremony[" + kind + ", expiresAt=" + expiresAt + "]";
    }
}
