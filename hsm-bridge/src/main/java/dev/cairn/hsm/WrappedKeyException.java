package dev.cairn.hsm;

/** A wrapped key record is malformed or does not authenticate under the key it names. */
public class WrappedKeyException extends KeyVaultException {
    private static final long serialVersionUID = 1L;

    public WrappedKeyException(String message) {
        super(message);
    }

    public WrappedKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
