package dev.cairn.tape.device;

/** How a write ended. Both mean the data is on tape. */
public enum WriteStatus {
    WRITTEN,
    /**
     * Written, and the drive is past the early-warning point near the end of the medium: finish the
     * current file (write a filemark, the session catalog) and continue on the next cartridge.
     */
    EARLY_WARNING
}
