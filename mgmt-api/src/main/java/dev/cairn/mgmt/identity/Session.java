package dev.cairn.mgmt.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A browser session as {@link Sessions} keeps it in memory. Holds no bearer token (only its hash is kept, as the
 * map key); the CSRF token is here because the server compares it, and {@link #toString()} hides it.
 *
 * @param id          a random ID for logs and the audit trail; never the token, and useless as one
 * @param username    the account
 * @param stage       how far the login has come
 * @param authMethod  how the user authenticated so far, e.g. {@code password}, {@code password+totp},
 *                    {@code password+webauthn}, {@code password+recovery-code}, {@code break-glass}
 * @param createdAt   when the session began
 * @param lastSeenAt  the last successful lookup (idle timeout counts from here)
 * @param absoluteEnd when the session ends whatever happens
 * @param mfaAt       the last successful MFA (step-up), or {@code null}
 * @param csrfToken   256-bit base64url, rotated with the session token
 * @param attributes  small string values the server keeps per session, e.g. a pending WebAuthn challenge
 */
public record Session(String id, String username, Stage stage, String authMethod, Instant createdAt,
        Instant lastSeenAt, Instant absoluteEnd, Instant mfaAt, String csrfToken, Map<String, String> attributes) {

    /** How far the login has come; only {@link #FULL} may do anything beyond finishing the login. */
    public enum Stage {
        /** The password is right; MFA is still to do. */
        PASSWORD_OK,
        /** The account has no MFA: it must enroll a factor first. */
        ENROLLING,
        /** Fully authenticated. */
        FULL
    }

    /** Validates and copies. */
    public Session {
        Objects.requireNonNull(id, "id");
        User.requireValidName(username);
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(authMethod, "authMethod");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
        Objects.requireNonNull(absoluteEnd, "absoluteEnd");
        Objects.requireNonNull(csrfToken, "csrfToken");
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    /** Whether MFA succeeded within {@code d} before {@code now} (step-up check); false if never or in the future. */
    public boolean mfaWithin(Duration d, Instant now) {
        return mfaAt != null && !mfaAt.isAfter(now) && Duration.between(mfaAt, now).compareTo(d) <= 0;
    }

    /** A copy at another stage with another method and MFA time (e.g. after MFA: FULL, "password+totp", now). */
    public Session withStage(Stage s, String method, Instant mfa) {
        return new Session(id, username, s, method, createdAt, lastSeenAt, absoluteEnd, mfa, csrfToken, attributes);
    }

    /** A copy with {@code key} set to {@code value}, or removed when {@code value} is null. */
    public Session withAttribute(String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(attributes);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value);
        }
        return new Session(id, username, stage, authMethod, createdAt, lastSeenAt, absoluteEnd, mfaAt, csrfToken, m);
    }

    Session seen(Instant now) {
        return new Session(id, username, stage, authMethod, createdAt, now, absoluteEnd, mfaAt, csrfToken, attributes);
    }

    Session withCsrf(String csrf) {
        return new Session(id, username, stage, authMethod, createdAt, lastSeenAt, absoluteEnd, mfaAt, csrf, attributes);
    }

    @Override
    public String toString() {
        return "Session[" + id + ", " + username + ", " + stage + ", " + authMethod + ", ends " + absoluteEnd
                + ", attributes=" + attributes.keySet() + "]";
    }
}
