package dev.cairn.tape.scsi;

/** T10 ASCII fields (vendor, product, serial, volume tag) as Java text. */
final class Ascii {
    private Ascii() {
    }

    static String text(byte[] b, int offset, int length) {
        int start = offset;
        int end = offset + length;
        while (start < end && pad(b[start])) {
            start++;
        }
        while (end > start && pad(b[end - 1])) {
            end--;
        }
        StringBuilder s = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c <= 0x7E) {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02X", c));
            }
        }
        return s.toString();
    }

    private static boolean pad(byte c) {
        return c == ' ' || c == 0;
    }
}
