package dev.cairn.tape.vtl;

/** The emulated library could not be started, changed or stopped; the message says which step and why. */
public final class VtlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VtlException(String message, Throwable cause) {
        super(message, cause);
    }
}
