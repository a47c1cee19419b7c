package dev.cairn.engine.fs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One path component exactly as the kernel stores it: a non-empty sequence of bytes without {@code '/'}
 * and without NUL, other than {@code "."} and {@code ".."}. Nothing is decoded: names that are not
 * UTF-8 (Latin-1 names from an old Samba share, say) stay byte-identical from backup to restore.
 *
 * <p>Immutable. {@code equals}, {@code hashCode} and {@code compareTo} work on the bytes, compared as
 * unsigned (the order {@link Dir#list()} returns, and the order a key-value store keeps). The length is
 * not checked here: the file system decides (usually 255 bytes) and says {@code ENAMETOOLONG}.
 *
 * <p>File names are PHI. {@link #toString()} therefore shows only the length; {@link #display()} is the
 * readable form, for output that a user authorised to see this path asked for.
 */
public final class NativeName implements Comparable<NativeName> {
    private final byte[] bytes;

    private NativeName(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A name from its bytes (copied).
     *
     * @throws IllegalArgumentException when empty, {@code "."}, {@code ".."}, or containing '/' or NUL
     */
    public static NativeName of(byte[] bytes) {
        return ofOwned(bytes.clone());
    }

    /** A name from text, encoded as UTF-8. Same rules as {@link #of(byte[])}. */
    public static NativeName of(String name) {
        return ofOwned(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The inverse of {@link #display()}: {@code \xNN} and {@code \\} escapes, the rest as UTF-8. */
    public static NativeName fromDisplay(String display) {
        return ofOwned(NameBytes.parseDisplay(display));
    }

    /** Takes ownership of {@code b} (no copy): for bytes this package has just read from the kernel. */
    static NativeName ofOwned(byte[] b) {
        if (b.length == 0) {
            throw new IllegalArgumentException("a file name is not empty");
        }
        if (b.length <= 2 && b[0] == '.' && (b.length == 1 || b[1] == '.')) {
            throw new IllegalArgumentException("\".\" and \"..\" are not file names here");
        }
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '/' || b[i] == 0) {
                throw new IllegalArgumentException("a file name holds no '/' and no NUL (byte " + i + " of "
                        + b.length + ")");
            }
        }
        return new NativeName(b);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes without a copy, for this package's native calls only. */
    byte[] raw() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** Whether the bytes are valid UTF-8. */
    public boolean isUtf8() {
        return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes), java.nio.CharBuffer
                .allocate(bytes.length), true).isUnderflow();
    }

    /**
     * For user output only: UTF-8 where valid, {@code \xNN} for each invalid byte and for the bytes of
     * control, line-separator and bidirectional-formatting characters, {@code \\} for a backslash. The
     * mapping is one-to-one ({@link #fromDisplay(String)} reverses it). This is PHI: show it only to
     * someone allowed to see the path.
     */
    public String display() {
        return NameBytes.display(bytes);
    }

    @Override
    public int compareTo(NativeName o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NativeName n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Only the length: a name in a log line or an exception by accident must not leak the name. */
    @Override
    public String toString() {
        return "NativeName[" + bytes.length + " bytes]";
    }
}
