package dev.cairn.hsm.recovery;

/**
 * A recovery share could not be read, or a set of shares cannot rebuild a recovery key. The message says
 * which check failed and what to do next; it never contains share text, key bytes or secret values.
 */
public final class RecoveryShareException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecoveryShareException(String message) {
        super(message);
    }
}
