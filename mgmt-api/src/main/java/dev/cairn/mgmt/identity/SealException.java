package dev.cairn.mgmt.identity;

/**
 * Sealed data could not be opened: a wrong key or a damaged file. Permanent: retrying does not help; restore the
 * file from a backup or supply the right key. Never carries key material or plaintext.
 */
public final class SealException extends RuntimeException {
    /** An error with a message that says what is wrong and what to do. */
    public SealException(String message) {
        super(message);
    }

    /** An error with its cause. */
    public SealException(String message, Throwable cause) {
        super(message, cause);
    }
}
