package dev.cairn.hsm;

/** The HSM token is missing, unreadable or stopped answering. The vault fails closed: no software fallback, and after a lost token it stays unhealthy until the process restarts. */
public class HsmUnavailableException extends KeyVaultException {
    private static final long serialVersionUID = 1L;

    public HsmUnavailableException(String message) {
        super(message);
    }

    public HsmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
