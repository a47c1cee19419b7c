package dev.cairn.tape.scsi;

import java.util.HexFormat;

/**
 * One command descriptor block ready to send: its T10 name (for messages, e.g. "READ ELEMENT STATUS"),
 * the CDB bytes, the data direction, and for {@link Direction#IN} the allocation length the initiator
 * expects at most. Immutable; the bytes are copied in and out.
 */
public record Cdb(String name, byte[] bytes, Direction direction, int dataInLength) {
    public Cdb {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(bytes, "bytes");
        java.util.Objects.requireNonNull(direction, "direction");
        if (bytes.length != 6 && bytes.length != 10 && bytes.length != 12 && bytes.length != 16) {
            throw new IllegalArgumentException(name + ": a CDB has 6, 10, 12 or 16 bytes, not " + bytes.length);
        }
        if (dataInLength < 0 || (direction != Direction.IN && dataInLength != 0)) {
            throw new IllegalArgumentException(name + ": dataInLength only for data-in commands");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cdb c && name.equals(c.name) && java.util.Arrays.equals(bytes, c.bytes)
                && direction == c.direction && dataInLength == c.dataInLength;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, java.util.Arrays.hashCode(bytes), direction, dataInLength);
    }

    /** The operation code (byte 0). */
    public int opcode() {
        return bytes[0] & 0xff;
    }

    @Override
    public String toString() {
        return name + " [" + HexFormat.of().formatHex(bytes) + "]";
    }
}
