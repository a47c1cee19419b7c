package dev.cairn.tape.device;

/**
 * Where a drive is, as Cairn tracks it: the file number (filemarks passed from the beginning of the
 * partition), the block within that file, and the logical block number (blocks plus filemarks from the
 * beginning) when known. After an uncertain error the position is {@link #UNKNOWN}; it is never guessed.
 * Only a rewind (or a LOCATE on drives that have it) makes it known again.
 */
public record Position(boolean known, long file, long blockInFile, long logicalBlock) {
    public static final Position UNKNOWN = new Position(false, -1, -1, -1);
    public static final Position BEGINNING = new Position(true, 0, 0, 0);

    /** -1 in {@code logicalBlock} means the logical block number is not known (e.g. after spacing over filemarks to end of data). */
    public static Position at(long file, long blockInFile, long logicalBlock) {
        return new Position(true, file, blockInFile, logicalBlock);
    }

    Position afterBlocks(long n) {
        return known ? new Position(true, file, blockInFile + n, logicalBlock < 0 ? -1 : logicalBlock + n) : UNKNOWN;
    }

    Position afterFilemarks(long n) {
        return known ? new Position(true, file + n, 0, logicalBlock < 0 ? -1 : logicalBlock + n) : UNKNOWN;
    }

    @Override
    public String toString() {
        return known ? "file " + file + " block " + blockInFile + (logicalBlock >= 0 ? " (logical " + logicalBlock + ")" : "")
                : "unknown";
    }
}
