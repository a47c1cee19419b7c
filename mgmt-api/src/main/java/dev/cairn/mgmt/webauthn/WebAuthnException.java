package dev.cairn.mgmt.webauthn;

/**
 * A passkey ceremony failed: the response was malformed, did not verify, or the ceremony is unknown, used or
 * expired (docs/auth.md, section "WebAuthn passkeys"). The message says what failed and what to do; it never
 * contains the response, a challenge, a key or a signature. Always permanent for the ceremony at hand: the user
 * starts a new one.
 */
public final class WebAuthnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public WebAuthnException(String message) {
        super(message);
    }

    /**
     * With a cause kept for the caller's diagnostics. The cause comes from parsing or from webauthn4j; callers
     * must not show or log the cause's message to users (it may quote the input).
     */
    public WebAuthnException(String message, Throwable cause) {
        super(message, cause);
    }
}
