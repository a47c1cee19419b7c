package dev.cairn.tape.transport;

/**
 * A command could not be delivered or answered: the connection dropped, the device did not answer in
 * time, or it broke the protocol. The message names the target and the command, never data.
 */
public class TransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean timeout;

    public TransportException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public TransportException(String message, Throwable cause, boolean timeout) {
        super(message, cause);
        this.timeout = timeout;
    }

    /** True when the command did not complete within its timeout. */
    public boolean isTimeout() {
        return timeout;
    }
}
