package dev.cairn.hsm;

/** A key exists but may not be used for this operation (disabled, retired, destroyed), or the token and the state directory disagree. */
public class KeyStateException extends KeyVaultException {
    private static final long serialVersionUID = 1L;

    public KeyStateException(String message) {
        super(message);
    }

    public KeyStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
