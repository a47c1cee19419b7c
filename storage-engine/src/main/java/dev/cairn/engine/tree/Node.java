package dev.cairn.engine.tree;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One directory entry in a snapshot (docs/formats/repository.md section 4). Names, symlink targets and
 * xattr names and values are bytes exactly as on disk. Immutable.
 *
 * @param content       file content: DATA blob ids in order
 * @param extents       data extents of a sparse file (offset, length pairs), empty when not sparse
 * @param subtree       directories: the TREE blob id; else null
 * @param incomplete    the content could not be read completely (the reason is in {@code error})
 */
public record Node(byte[] name, Type type, int mode, int uid, int gid, String user, String group, long mtimeNs,
                   long ctimeNs, long atimeNs, long size, long inode, long device, int nlink, long rdev, int hardlinkGroup,
                   byte[] linkTarget, Map<String, byte[]> xattrs, List<byte[]> content, List<long[]> extents,
                   byte[] subtree, boolean incomplete, String error) {

    /** Node types (frozen codes). */
    public enum Type {
        FILE(1), DIRECTORY(2), SYMLINK(3), FIFO(4), SOCKET(5), CHAR_DEVICE(6), BLOCK_DEVICE(7);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown node type " + code);
        }
    }

    public Node {
        name = name.clone();
        linkTarget = linkTarget == null ? new byte[0] : linkTarget.clone();
        xattrs = xattrs == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(xattrs));
        content = content == null ? List.of() : List.copyOf(content);
        extents = extents == null ? List.of() : List.copyOf(extents);
        user = user == null ? "" : user;
        group = group == null ? "" : group;
        error = error == null ? "" : error;
    }

    @Override
    public byte[] name() {
        return name.clone();
    }

    /** The name for people: UTF-8 with invalid bytes as \xNN. Never use it to address a file. */
    public String displayName() {
        return display(name);
    }

    public static String display(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        var dec = StandardCharsets.UTF_8.newDecoder();
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int len = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
            if (len > 0 && i + len <= bytes.length) {
                try {
                    sb.append(dec.decode(java.nio.ByteBuffer.wrap(bytes, i, len)));
                    i += len;
                    continue;
                } catch (java.nio.charset.CharacterCodingException e) {
                    // fall through to escaping
                }
            }
            sb.append(String.format("\\x%02x", b));
            i++;
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Node n && Arrays.equals(Tree.encodeNode(this), Tree.encodeNode(n));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(name);
    }
}
