package dev.cairn.engine.index;

/** The index (RocksDB) failed: the message says what was being done and what to do. */
public final class IndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
