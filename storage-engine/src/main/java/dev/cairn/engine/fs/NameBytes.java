package dev.cairn.engine.fs;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The display form shared by {@link NativeName} and {@link XattrName}: UTF-8 where the bytes are valid
 * UTF-8, {@code \xNN} (two lowercase hex digits) for every byte that is not, and also for the bytes of
 * characters that would garble or disguise a listing (control characters, line and paragraph separators,
 * bidirectional embeddings, overrides and isolates). A backslash is shown as {@code \\}, so the display
 * form is unambiguous and {@link #parseDisplay} inverts it.
 */
final class NameBytes {
    private static final HexFormat HEX = HexFormat.of();

    private NameBytes() {
    }

    static String display(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // UTF-8 never decodes to more UTF-16 chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true) {
            int chunkStart = in.position();
            CoderResult r = dec.decode(in, out, true);
            out.flip();
            appendDecoded(sb, out, bytes, chunkStart);
            out.clear();
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    escape(sb, in.get());
                }
                continue;
            }
            if (r.isUnderflow()) {
                break;
            }
            throw new IllegalStateException("UTF-8 decoder overflowed a buffer of the input's size");
        }
        return sb.toString();
    }

    /** Appends decoded text, escaping (as the original bytes) the characters that must not show raw. */
    private static void appendDecoded(StringBuilder sb, CharBuffer chars, byte[] bytes, int byteStart) {
        int bytePos = byteStart;
        while (chars.hasRemaining()) {
            int cp = Character.codePointAt(chars, 0);
            int n = Character.charCount(cp);
            chars.position(chars.position() + n);
            int len = utf8Length(cp);
            if (cp == '\\') {
                sb.append("\\\\");
            } else if (mustEscape(cp)) {
                for (int i = 0; i < len; i++) {
                    escape(sb, bytes[bytePos + i]);
                }
            } else {
                sb.appendCodePoint(cp);
            }
            bytePos += len;
        }
    }

    private static boolean mustEscape(int cp) {
        return Character.isISOControl(cp)                // C0, DEL, C1
                || cp == 0x2028 || cp == 0x2029           // line and paragraph separators
                || (cp >= 0x202A && cp <= 0x202E)         // bidi embeddings and overrides
                || (cp >= 0x2066 && cp <= 0x2069);        // bidi isolates
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    private static void escape(StringBuilder sb, byte b) {
        sb.append("\\x").append(HEX.toHexDigits(b));
    }

    /** The inverse of {@link #display}: {@code \\} and {@code \xNN} escapes, everything else as UTF-8. */
    static byte[] parseDisplay(String s) {
        ByteBuffer out = ByteBuffer.allocate(s.length() * 4);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                    out.put((byte) '\\');
                    i += 2;
                } else if (i + 3 < s.length() && s.charAt(i + 1) == 'x'
                        && HexFormat.isHexDigit(s.charAt(i + 2)) && HexFormat.isHexDigit(s.charAt(i + 3))) {
                    out.put((byte) HexFormat.fromHexDigits(s, i + 2, i + 4));
                    i += 4;
                } else {
                    throw new IllegalArgumentException("a backslash in a displayed name starts \\\\ or \\xNN "
                            + "(at index " + i + ")");
                }
            } else {
                int cp = s.codePointAt(i);
                out.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return Arrays.copyOf(out.array(), out.position());
    }
}
