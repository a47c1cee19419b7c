package dev.cairn.hsm;

/**
 * Base of every error the key plane reports. Messages name the token, tenant, key label or file and
 * say what to do next; they never contain key material, PINs or PHI.
 */
public class KeyVaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyVaultException(String message) {
        super(message);
    }

    public KeyVaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
