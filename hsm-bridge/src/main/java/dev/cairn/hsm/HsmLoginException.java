package dev.cairn.hsm;

/** The token refused the PIN, or the PIN could not be read from its file or environment variable. */
public class HsmLoginException extends KeyVaultException {
    private static final long serialVersionUID = 1L;

    public HsmLoginException(String message) {
        super(message);
    }

    public HsmLoginException(String message, Throwable cause) {
        super(message, cause);
    }
}
