package dev.cairn.cli;

/** A user-facing failure of a command: the message says what went wrong and what to do. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
