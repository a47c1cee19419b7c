package dev.cairn.hsm;

/** hsm.conf is missing, unreadable or names something that does not exist. */
public class HsmConfigException extends KeyVaultException {
    private static final long serialVersionUID = 1L;

    public HsmConfigException(String message) {
        super(message);
    }

    public HsmConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
