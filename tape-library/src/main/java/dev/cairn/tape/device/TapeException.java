package dev.cairn.tape.device;

import dev.cairn.tape.scsi.Sense;
import dev.cairn.tape.scsi.SenseCategory;

/**
 * A drive or changer refused or failed a command. The message names the device, the command and the
 * sense data in words ("NOT READY (3A/00: medium not present)"); {@link #sense()} has the decoded sense
 * when there was one. Subclasses are the cases callers act on.
 */
public class TapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Sense sense;

    public TapeException(String message, Sense sense) {
        super(message);
        this.sense = sense;
    }

    public TapeException(String message, Throwable cause) {
        super(message, cause);
        this.sense = null;
    }

    /** The decoded sense data, or null when the failure had none. */
    public Sense sense() {
        return sense;
    }

    /** The sense category (with its retry policy), or null. */
    public SenseCategory category() {
        return sense == null ? null : sense.category();
    }

    /** No cartridge in the drive (NOT READY, 3A/xx). */
    public static final class NoMediumException extends TapeException {
        private static final long serialVersionUID = 1L;

        public NoMediumException(String message, Sense sense) {
            super(message, sense);
        }
    }

    /** The cartridge is write protected (DATA PROTECT). */
    public static final class WriteProtectedException extends TapeException {
        private static final long serialVersionUID = 1L;

        public WriteProtectedException(String message, Sense sense) {
            super(message, sense);
        }
    }

    /** MOVE MEDIUM from an empty element (3B/0E). */
    public static final class SourceEmptyException extends TapeException {
        private static final long serialVersionUID = 1L;

        public SourceEmptyException(String message, Sense sense) {
            super(message, sense);
        }
    }

    /** MOVE MEDIUM into a full element (3B/0D). */
    public static final class DestinationFullException extends TapeException {
        private static final long serialVersionUID = 1L;

        public DestinationFullException(String message, Sense sense) {
            super(message, sense);
        }
    }

    /** The device does not implement the command (ILLEGAL REQUEST 20/00). */
    public static final class UnsupportedCommandException extends TapeException {
        private static final long serialVersionUID = 1L;

        public UnsupportedCommandException(String message, Sense sense) {
            super(message, sense);
        }
    }

    /**
     * The physical end of the medium was reached (VOLUME OVERFLOW, or EOM on a write that did not
     * complete): the data of this write is not on tape. Distinct from the early warning, which is a
     * successful write ({@link WriteStatus#EARLY_WARNING}).
     */
    public static final class EndOfMediumException extends TapeException {
        private static final long serialVersionUID = 1L;

        public EndOfMediumException(String message, Sense sense) {
            super(message, sense);
        }
    }

    /** A medium or hardware error: the data may be bad and the position is unknown until a rewind. */
    public static final class TapeIoException extends TapeException {
        private static final long serialVersionUID = 1L;

        public TapeIoException(String message, Sense sense) {
            super(message, sense);
        }
    }

    /** The drive's position is unknown (after an uncertain error); rewind or locate before reading or writing. */
    public static final class PositionUnknownException extends TapeException {
        private static final long serialVersionUID = 1L;

        public PositionUnknownException(String message) {
            super(message, (Sense) null);
        }
    }
}
