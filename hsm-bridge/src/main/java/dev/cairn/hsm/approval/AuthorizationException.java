package dev.cairn.hsm.approval;

/**
 * An {@link Authorization} refused an action. The message names the approval record (if any) and
 * the rule that failed; it never carries key material, signatures or PHI. Permanent: retrying the
 * same call with the same authorization gives the same answer.
 */
public final class AuthorizationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuthorizationException(String message) {
        super(message);
    }

    public AuthorizationException(String message, Throwable cause) {
        super(message, cause);
    }
}
