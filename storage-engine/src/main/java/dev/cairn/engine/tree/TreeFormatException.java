package dev.cairn.engine.tree;

/** A tree blob is malformed. */
public final class TreeFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TreeFormatException(String message) {
        super(message);
    }
}
