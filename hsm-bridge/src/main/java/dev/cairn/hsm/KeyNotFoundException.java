package dev.cairn.hsm;

/** A tenant, KEK generation or data key that was asked for does not exist. */
public class KeyNotFoundException extends KeyVaultException {
    private static final long serialVersionUID = 1L;

    public KeyNotFoundException(String message) {
        super(message);
    }

    public KeyNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
