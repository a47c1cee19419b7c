package dev.cairn.mgmt.access;

/**
 * A state file of {@link Approvals}, {@link Elevations} or {@link BreakGlass} cannot be read or written
 * (docs/formats/access-state.md). The service refuses to run on a state it cannot trust (fail closed). The message
 * names the file and the problem, never a value from it, and says what to do.
 */
public final class AccessStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with a message that names the file and says what to do. */
    public AccessStateException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error with a message that names the file and says what to do. */
    public AccessStateException(String message) {
        super(message);
    }
}
