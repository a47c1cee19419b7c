package dev.cairn.tape.scsi;

/** Which way data moves for a command, seen from the initiator. */
public enum Direction {
    NONE,
    /** Device to initiator (READ, INQUIRY...). */
    IN,
    /** Initiator to device (WRITE, MODE SELECT...). */
    OUT
}
