package dev.cairn.engine.browse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A shell-style pattern matched against the bytes of one name (no '/' in it). Immutable, thread safe.
 *
 * <ul>
 * <li>{@code *} any run of bytes, {@code ?} one character;</li>
 * <li>{@code [abc]}, {@code [a-z]}, {@code [!a-z]} or {@code [^a-z]}: one character in (or not in) the set;</li>
 * <li>{@code \xNN} the byte NN (how {@link dev.cairn.engine.tree.Node#display} shows bytes that are not
 *     UTF-8), {@code \\}, {@code \*}, {@code \?}, {@code \[}, {@code \]}: the character itself;</li>
 * <li>any other character: its UTF-8 bytes.</li>
 * </ul>
 *
 * A character of a name is a well-formed UTF-8 sequence, or a single byte that does not start one. Matching
 * is case-sensitive and on bytes, so names that are not UTF-8 match exactly.
 */
public final class NameGlob {
    /** Character values above Unicode stand for single bytes that are not UTF-8. */
    private static final int RAW_BYTE = 0x110000;

    private sealed interface Token permits Lit, One, Star, Set {
    }

    private record Lit(byte b) implements Token {
    }

    private record One() implements Token {
    }

    private record Star() implements Token {
    }

    private record Set(List<int[]> ranges, boolean negated) implements Token {
        boolean contains(int c) {
            boolean in = false;
            for (int[] r : ranges) {
                if (c >= r[0] && c <= r[1]) {
                    in = true;
                    break;
                }
            }
            return in != negated;
        }
    }

    private final String pattern;
    private final List<Token> tokens;
    private final byte[] literal;

    private NameGlob(String pattern, List<Token> tokens) {
        this.pattern = pattern;
        this.tokens = List.copyOf(tokens);
        boolean lit = tokens.stream().allMatch(t -> t instanceof Lit);
        if (lit) {
            literal = new byte[tokens.size()];
            for (int i = 0; i < literal.length; i++) {
                literal[i] = ((Lit) tokens.get(i)).b();
            }
        } else {
            literal = null;
        }
    }

    /**
     * Compiles {@code pattern}.
     *
     * @throws IllegalArgumentException for a '/' or NUL, a dangling backslash, an unknown escape or an
     *                                  unclosed {@code [}
     */
    public static NameGlob compile(String pattern) {
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("an empty pattern matches no name");
        }
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            int cp = pattern.codePointAt(i);
            int len = Character.charCount(cp);
            switch (cp) {
                case '/', 0 -> throw new IllegalArgumentException("a name pattern cannot contain '/' or NUL");
                case '*' -> {
                    if (out.isEmpty() || !(out.getLast() instanceof Star)) {
                        out.add(new Star());
                    }
                    i++;
                }
                case '?' -> {
                    out.add(new One());
                    i++;
                }
                case '[' -> i = parseSet(pattern, i, out);
                case '\\' -> {
                    int[] e = escape(pattern, i);
                    if (e[0] >= RAW_BYTE) {
                        out.add(new Lit((byte) (e[0] - RAW_BYTE)));
                    } else {
                        addLiteral(out, e[0]);
                    }
                    i = e[1];
                }
                default -> {
                    addLiteral(out, cp);
                    i += len;
                }
            }
        }
        return new NameGlob(pattern, out);
    }

    private static void addLiteral(List<Token> out, int cp) {
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
            out.add(new Lit(b));
        }
    }

    /** Reads the escape at {@code i}: {value, next index}; value is a code point or RAW_BYTE + byte. */
    private static int[] escape(String p, int i) {
        if (i + 1 >= p.length()) {
            throw new IllegalArgumentException("the pattern ends with a backslash; write \\\\ for a backslash");
        }
        char c = p.charAt(i + 1);
        if (c == 'x') {
            if (i + 3 < p.length() && SnapshotPath.hex(p.charAt(i + 2)) >= 0 && SnapshotPath.hex(p.charAt(i + 3)) >= 0) {
                int v = SnapshotPath.hex(p.charAt(i + 2)) << 4 | SnapshotPath.hex(p.charAt(i + 3));
                if (v == 0 || v == '/') {
                    throw new IllegalArgumentException("a name pattern cannot contain '/' or NUL");
                }
                return new int[] {v < 0x80 ? v : RAW_BYTE + v, i + 4};
            }
            throw new IllegalArgumentException("\\x is followed by two hex digits (a byte)");
        }
        if ("\\*?[]!^-".indexOf(c) >= 0) {
            return new int[] {c, i + 2};
        }
        throw new IllegalArgumentException("unknown escape \\" + c + " in the pattern; escapes are \\xNN, \\\\, \\*, \\?, \\[ and \\]");
    }

    private static int parseSet(String p, int open, List<Token> out) {
        int i = open + 1;
        boolean negated = false;
        if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
            negated = true;
            i++;
        }
        List<int[]> ranges = new ArrayList<>();
        boolean first = true;
        while (true) {
            if (i >= p.length()) {
                throw new IllegalArgumentException("a '[' in the pattern is not closed; write \\[ for the character");
            }
            int cp = p.codePointAt(i);
            if (cp == ']' && !first) {
                i++;
                break;
            }
            first = false;
            int[] lo = member(p, i);
            i = lo[1];
            int hi = lo[0];
            if (i + 1 < p.length() && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
                int[] h = member(p, i + 1);
                hi = h[0];
                i = h[1];
                if (hi < lo[0]) {
                    throw new IllegalArgumentException("a range in [...] runs backwards");
                }
            }
            ranges.add(new int[] {lo[0], hi});
        }
        out.add(new Set(ranges, negated));
        return i;
    }

    private static int[] member(String p, int i) {
        int cp = p.codePointAt(i);
        if (cp == '\\') {
            return escape(p, i);
        }
        if (cp == '/' || cp == 0) {
            throw new IllegalArgumentException("a name pattern cannot contain '/' or NUL");
        }
        return new int[] {cp, i + Character.charCount(cp)};
    }

    /** The pattern as given. */
    public String pattern() {
        return pattern;
    }

    /** The exact name when the pattern has no wildcard, else null (lets a caller look the name up directly). */
    public byte[] literal() {
        return literal == null ? null : literal.clone();
    }

    public boolean matches(byte[] name) {
        int n = name.length;
        int t = tokens.size();
        // reach[k][i]: tokens k.. can match name[i..]; filled from the end
        boolean[] next = new boolean[n + 1];
        next[n] = true; // no tokens left matches only the empty rest
        for (int k = t - 1; k >= 0; k--) {
            boolean[] cur = new boolean[n + 1];
            Token tok = tokens.get(k);
            for (int i = n; i >= 0; i--) {
                cur[i] = switch (tok) {
                    case Star s -> next[i] || (i < n && cur[i + 1]);
                    case Lit l -> i < n && name[i] == l.b() && next[i + 1];
                    case One o -> {
                        int len = charLength(name, i);
                        yield len > 0 && next[i + len];
                    }
                    case Set s -> {
                        int len = charLength(name, i);
                        yield len > 0 && s.contains(charValue(name, i, len)) && next[i + len];
                    }
                };
            }
            next = cur;
        }
        return next[0];
    }

    /** Bytes of the character at {@code i}: a well-formed UTF-8 sequence, else 1; 0 at the end. */
    static int charLength(byte[] b, int i) {
        if (i >= b.length) {
            return 0;
        }
        int b0 = b[i] & 0xff;
        if (b0 < 0x80) {
            return 1;
        }
        int len;
        int lo = 0x80;
        int hi = 0xbf;
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            len = 2;
        } else if (b0 >= 0xe0 && b0 <= 0xef) {
            len = 3;
            lo = b0 == 0xe0 ? 0xa0 : 0x80;
            hi = b0 == 0xed ? 0x9f : 0xbf;
        } else if (b0 >= 0xf0 && b0 <= 0xf4) {
            len = 4;
            lo = b0 == 0xf0 ? 0x90 : 0x80;
            hi = b0 == 0xf4 ? 0x8f : 0xbf;
        } else {
            return 1;
        }
        if (i + len > b.length) {
            return 1;
        }
        int b1 = b[i + 1] & 0xff;
        if (b1 < lo || b1 > hi) {
            return 1;
        }
        for (int k = 2; k < len; k++) {
            int c = b[i + k] & 0xff;
            if (c < 0x80 || c > 0xbf) {
                return 1;
            }
        }
        return len;
    }

    private static int charValue(byte[] b, int i, int len) {
        int b0 = b[i] & 0xff;
        if (len == 1) {
            return b0 < 0x80 ? b0 : RAW_BYTE + b0;
        }
        int v = b0 & (0xff >> (len + 1));
        for (int k = 1; k < len; k++) {
            v = v << 6 | (b[i + k] & 0x3f);
        }
        return v;
    }

    @Override
    public String toString() {
        return "NameGlob[" + tokens.size() + " tokens]";
    }
}
