package dev.cairn.engine.browse;

import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An absolute path inside a snapshot as its name components, each the exact bytes of a name. Immutable.
 *
 * <p>People type paths as text. {@link #candidates} reads such text two ways: as UTF-8 exactly as
 * typed, and, when it contains escapes, with {@code \xNN} read as the byte NN and {@code \\} as one
 * backslash, the form {@link Node#display} shows names that are not UTF-8 in. {@link #locate} tries
 * the literal reading first, so a name that really contains {@code \x41} is still found.
 */
public final class SnapshotPath {
    /** The root of a snapshot: the directory that holds the chains of the backed-up paths. */
    public static final SnapshotPath ROOT = new SnapshotPath(List.of());

    private final List<byte[]> components;

    private SnapshotPath(List<byte[]> components) {
        this.components = components.stream().map(byte[]::clone).toList();
    }

    public static SnapshotPath of(List<byte[]> components) {
        for (byte[] c : components) {
            if (c.length == 0 || indexOf(c, (byte) '/') >= 0 || indexOf(c, (byte) 0) >= 0) {
                throw new IllegalArgumentException("a name is not empty and holds neither '/' nor NUL");
            }
        }
        return new SnapshotPath(components);
    }

    /** The path as typed, in UTF-8; empty components and "." are dropped, ".." is refused. */
    public static SnapshotPath literal(String text) {
        return parse(text, false);
    }

    /** The path with {@code \xNN} read as byte NN and {@code \\} as a backslash. */
    public static SnapshotPath unescaped(String text) {
        return parse(text, true);
    }

    /** The readings of {@code text} to try, literal first; one reading when there is nothing to unescape. */
    public static List<SnapshotPath> candidates(String text) {
        SnapshotPath lit = literal(text);
        SnapshotPath unesc;
        try {
            unesc = unescaped(text);
        } catch (IllegalArgumentException e) {
            return List.of(lit); // a backslash that is no escape: only the literal reading exists
        }
        return lit.equals(unesc) ? List.of(lit) : List.of(lit, unesc);
    }

    private static SnapshotPath parse(String text, boolean unescape) {
        List<byte[]> out = new ArrayList<>();
        for (String c : text.split("/", -1)) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new IllegalArgumentException("a snapshot path cannot contain '..'; give it from the snapshot's root");
            }
            byte[] b = unescape ? unescape(c) : c.getBytes(StandardCharsets.UTF_8);
            if (b.length == 0 || indexOf(b, (byte) 0) >= 0 || indexOf(b, (byte) '/') >= 0) {
                throw new IllegalArgumentException("an escaped name cannot contain NUL or '/'");
            }
            out.add(b);
        }
        return new SnapshotPath(out);
    }

    /** Decodes {@code \xNN} and {@code \\}; any other backslash is an error. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '\\') {
                int end = i + Character.charCount(s.codePointAt(i));
                b.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
                continue;
            }
            if (i + 1 < s.length() && s.charAt(i + 1) == '\\') {
                b.write('\\');
                i += 2;
            } else if (i + 3 < s.length() && s.charAt(i + 1) == 'x' && hex(s.charAt(i + 2)) >= 0 && hex(s.charAt(i + 3)) >= 0) {
                b.write(hex(s.charAt(i + 2)) << 4 | hex(s.charAt(i + 3)));
                i += 4;
            } else {
                throw new IllegalArgumentException("a backslash starts \\xNN (a byte in hex) or \\\\ (a backslash)");
            }
        }
        return b.toByteArray();
    }

    static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static int indexOf(byte[] b, byte v) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    public List<byte[]> components() {
        return components.stream().map(byte[]::clone).toList();
    }

    public int depth() {
        return components.size();
    }

    public boolean isRoot() {
        return components.isEmpty();
    }

    public SnapshotPath child(byte[] name) {
        List<byte[]> c = new ArrayList<>(components);
        c.add(name);
        return new SnapshotPath(c);
    }

    /** The last component, or an empty array for the root. */
    public byte[] name() {
        return components.isEmpty() ? new byte[0] : components.getLast().clone();
    }

    /** The exact bytes of the path: "/" then the names joined by "/" ("/" alone for the root). */
    public byte[] bytes() {
        if (components.isEmpty()) {
            return new byte[] {'/'};
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] c : components) {
            b.write('/');
            b.writeBytes(c);
        }
        return b.toByteArray();
    }

    /**
     * The path as text that addresses exactly these bytes: UTF-8 decoded, and each byte that is not part of
     * a well-formed UTF-8 sequence as the lone surrogate U+DC00 + byte (PEP 383), the form
     * {@link dev.cairn.engine.restore.Restore} takes paths in.
     */
    public String escapedText() {
        byte[] b = bytes();
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int len = NameGlob.charLength(b, i);
            if (len == 1 && (b[i] & 0x80) != 0) {
                sb.append((char) (0xDC00 + (b[i] & 0xff)));
            } else {
                sb.append(new String(b, i, len, StandardCharsets.UTF_8));
            }
            i += len;
        }
        return sb.toString();
    }

    /** For people: each name through {@link Node#display}. Never use it to address a file. */
    public String display() {
        return Node.display(bytes());
    }

    /** What a path names in a snapshot: the node (null for the root) and, for a directory, its tree. */
    public record Located(SnapshotPath path, Node node, byte[] treeId) {
        public boolean isDirectory() {
            return treeId != null;
        }
    }

    /**
     * Finds what {@code text} names in {@code snapshot}, trying each of its {@link #candidates}.
     *
     * @throws PathNotFoundException when no reading names anything (the message has no name in it)
     */
    public static Located locate(Repository repo, String tenant, Snapshot snapshot, String text) {
        PathNotFoundException first = null;
        for (SnapshotPath p : candidates(text)) {
            try {
                return p.locate(repo, tenant, snapshot);
            } catch (PathNotFoundException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /** Finds this path in {@code snapshot}. */
    public Located locate(Repository repo, String tenant, Snapshot snapshot) {
        byte[] treeId = snapshot.tree();
        Node node = null;
        for (int i = 0; i < components.size(); i++) {
            if (treeId == null) {
                throw new PathNotFoundException(snapshot.shortId(), i + 1, components.size(), "is not a directory");
            }
            Tree t = repo.readTree(tenant, treeId);
            node = t.find(components.get(i));
            if (node == null) {
                throw new PathNotFoundException(snapshot.shortId(), i + 1, components.size(), "does not exist");
            }
            treeId = node.type() == Node.Type.DIRECTORY ? node.subtree() : null;
        }
        return new Located(this, node, treeId);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SnapshotPath p) || p.components.size() != components.size()) {
            return false;
        }
        for (int i = 0; i < components.size(); i++) {
            if (!Arrays.equals(components.get(i), p.components.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    /** Hides the names (they are PHI); use {@link #display()} for output the operator asked for. */
    @Override
    public String toString() {
        return "SnapshotPath[depth " + components.size() + "]";
    }
}
