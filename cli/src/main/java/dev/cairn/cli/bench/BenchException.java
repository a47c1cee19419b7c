package dev.cairn.cli.bench;

/** A benchmark that cannot run or finish: the message says what failed and what to do. */
public final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
