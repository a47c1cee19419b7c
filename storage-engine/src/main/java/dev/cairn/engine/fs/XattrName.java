package dev.cairn.engine.fs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The name of an extended attribute, as bytes: {@code namespace.rest}, where the namespace is
 * {@code user}, {@code trusted}, {@code security} or {@code system} and the rest may be any bytes but
 * NUL ('/' included, unlike a file name). POSIX ACLs are the attributes
 * {@code system.posix_acl_access} and {@code system.posix_acl_default} ({@link #POSIX_ACL_ACCESS},
 * {@link #POSIX_ACL_DEFAULT}).
 *
 * <p>Immutable; equality and order on the unsigned bytes. {@link #toString()} gives the namespace and
 * the length only, since a {@code user.*} name can say something about a patient; {@link #display()}
 * is the full, escaped form.
 */
public final class XattrName implements Comparable<XattrName> {
    public static final XattrName POSIX_ACL_ACCESS = of("system.posix_acl_access");
    public static final XattrName POSIX_ACL_DEFAULT = of("system.posix_acl_default");

    private final byte[] bytes;

    private XattrName(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException when empty or containing NUL */
    public static XattrName of(byte[] bytes) {
        return ofOwned(bytes.clone());
    }

    /** From text, encoded as UTF-8, for example {@code "user.cairn.test"}. */
    public static XattrName of(String name) {
        return ofOwned(name.getBytes(StandardCharsets.UTF_8));
    }

    static XattrName ofOwned(byte[] b) {
        if (b.length == 0) {
            throw new IllegalArgumentException("an xattr name is not empty");
        }
        for (byte x : b) {
            if (x == 0) {
                throw new IllegalArgumentException("an xattr name holds no NUL");
            }
        }
        return new XattrName(b);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] raw() {
        return bytes;
    }

    /** The part before the first dot ("user", "trusted", "security", "system"), or "" when none. */
    public String namespace() {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '.') {
                return new String(bytes, 0, i, StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** The escaped display form (see {@link NativeName#display()}). */
    public String display() {
        return NameBytes.display(bytes);
    }

    @Override
    public int compareTo(XattrName o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XattrName n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "XattrName[" + namespace() + ".*, " + bytes.length + " bytes]";
    }
}
