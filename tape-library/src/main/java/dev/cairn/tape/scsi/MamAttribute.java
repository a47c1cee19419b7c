package dev.cairn.tape.scsi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One medium auxiliary memory attribute (SPC-4 READ ATTRIBUTE): bytes 0-1 ATTRIBUTE IDENTIFIER, byte
 * 2 bit 7 READ ONLY and bits 1-0 FORMAT (00b binary, 01b ASCII, 10b text), bytes 3-4 ATTRIBUTE
 * LENGTH, then the value.
 */
public record MamAttribute(int id, int format, boolean readOnly, byte[] value) {
    public static final int FORMAT_BINARY = 0;
    public static final int FORMAT_ASCII = 1;
    public static final int FORMAT_TEXT = 2;

    public MamAttribute {
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** ASCII values trimmed, text (UTF-8 by default) values without padding, binary values as hex. */
    public String text() {
        return switch (format) {
            case FORMAT_ASCII -> Ascii.text(value, 0, value.length);
            case FORMAT_TEXT -> new String(value, StandardCharsets.UTF_8).replace("\0", "").strip();
            default -> HexFormat.of().formatHex(value);
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MamAttribute a && a.id == id && a.format == format && a.readOnly == readOnly && Arrays.equals(a.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return String.format("MamAttribute[%04Xh format=%d%s %s]", id, format, readOnly ? " read-only" : "", text());
    }
}
