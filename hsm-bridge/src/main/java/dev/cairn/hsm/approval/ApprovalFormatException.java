package dev.cairn.hsm.approval;

/**
 * A signed approval text (docs/formats/approval-record.md) is not well formed. The message is
 * {@code line <n>: <problem>}; it names keys and rules but never echoes the text or field values.
 * Permanent: the same text always fails the same way.
 */
public final class ApprovalFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    ApprovalFormatException(int line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    /** The 1-based line number of the problem. */
    public int line() {
        return line;
    }
}
