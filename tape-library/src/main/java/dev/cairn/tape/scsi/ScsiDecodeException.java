package dev.cairn.tape.scsi;

import java.util.OptionalInt;

/**
 * A device answer could not be decoded: it is shorter than its structure needs, or a length or code
 * field contradicts the bytes that are there. The message names the structure (for example
 * "READ ELEMENT STATUS data") and the byte offset where decoding stopped; it never contains the data.
 *
 * <p>Every {@code parse} method in this package throws this and nothing else for bad input, so a
 * caller can treat it as "the device (or the transport) sent something we cannot trust". When the
 * answer was merely cut short by the allocation length, {@link #requiredLength()} says how many bytes
 * the structure's own length field declares, so the caller can ask again with that allocation.
 */
public final class ScsiDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String structure;
    private final int offset;
    private final int requiredLength;

    public ScsiDecodeException(String structure, int offset, String problem) {
        this(structure, offset, problem, -1);
    }

    ScsiDecodeException(String structure, int offset, String problem, int requiredLength) {
        super(structure + " at offset " + offset + ": " + problem);
        this.structure = structure;
        this.offset = offset;
        this.requiredLength = requiredLength;
    }

    /** The structure being decoded, e.g. "fixed-format sense data". */
    public String structure() {
        return structure;
    }

    /** The byte offset (from the start of the structure) where decoding failed. */
    public int offset() {
        return offset;
    }

    /**
     * When the answer was shorter than its own length field declares (typically cut by the allocation
     * length): the total length it declares. Empty for every other problem.
     */
    public OptionalInt requiredLength() {
        return requiredLength < 0 ? OptionalInt.empty() : OptionalInt.of(requiredLength);
    }
}
