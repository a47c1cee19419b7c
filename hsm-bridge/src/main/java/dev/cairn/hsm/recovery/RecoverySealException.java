package dev.cairn.hsm.recovery;

/**
 * A sealed data key (scheme 2 body) could not be opened: it does not authenticate under the given recovery
 * key, or it is malformed. The message never contains key bytes.
 */
public final class RecoverySealException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecoverySealException(String message) {
        super(message);
    }

    public RecoverySealException(String message, Throwable cause) {
        super(message, cause);
    }
}
