package dev.cairn.tape.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A small builder for test answers: hex, space-padded ASCII fields, big-endian integers. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Bytes of() {
        return new Bytes();
    }

    Bytes hex(String spaced) {
        out.writeBytes(CdbAssert.hex(spaced));
        return this;
    }

    /** {@code text} left-aligned in a field of {@code width} bytes, padded with spaces. */
    Bytes ascii(String text, int width) {
        byte[] field = new byte[width];
        java.util.Arrays.fill(field, (byte) ' ');
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, field, 0, Math.min(width, t.length));
        out.writeBytes(field);
        return this;
    }

    Bytes raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    Bytes u8(int v) {
        out.write(v);
        return this;
    }

    Bytes u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    Bytes u24(int v) {
        out.write(v >>> 16);
        return u16(v & 0xFFFF);
    }

    Bytes u32(long v) {
        u16((int) (v >>> 16) & 0xFFFF);
        return u16((int) v & 0xFFFF);
    }

    Bytes zeros(int n) {
        out.writeBytes(new byte[n]);
        return this;
    }

    int length() {
        return out.size();
    }

    byte[] build() {
        return out.toByteArray();
    }
}
