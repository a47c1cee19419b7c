package dev.cairn.engine.pack;

/** A pack (or another repository file) is malformed or does not authenticate. Names the file, never data. */
public class PackFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PackFormatException(String message) {
        super(message);
    }

    public PackFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
