package dev.cairn.engine.tree;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory: nodes sorted by name bytes, and the tree blob codec, version 1
 * (docs/formats/repository.md section 4).
 */
public record Tree(List<Node> nodes) {
    public static final int VERSION = 1;
    /** Unsigned bytewise order of names. */
    public static final Comparator<byte[]> NAME_ORDER = Arrays::compareUnsigned;

    public Tree {
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort((a, b) -> NAME_ORDER.compare(a.name(), b.name()));
        for (int i = 1; i < sorted.size(); i++) {
            if (Arrays.equals(sorted.get(i - 1).name(), sorted.get(i).name())) {
                throw new IllegalArgumentException("a directory lists the name " + sorted.get(i).displayName() + " twice");
            }
        }
        nodes = List.copyOf(sorted);
    }

    /** The node called {@code name}, or null. */
    public Node find(byte[] name) {
        int lo = 0;
        int hi = nodes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = NAME_ORDER.compare(nodes.get(mid).name(), name);
            if (c == 0) {
                return nodes.get(mid);
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + nodes.size() * 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(nodes.size());
            for (Node n : nodes) {
                writeNode(out, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] encodeNode(Node n) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeNode(out, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeNode(DataOutputStream out, Node n) throws IOException {
        byte[] name = n.name();
        short16(out, name.length, "name");
        out.write(name);
        out.writeByte(n.type().code());
        out.writeInt(n.mode());
        out.writeInt(n.uid());
        out.writeInt(n.gid());
        shortString(out, n.user());
        shortString(out, n.group());
        out.writeLong(n.mtimeNs());
        out.writeLong(n.ctimeNs());
        out.writeLong(n.atimeNs());
        out.writeLong(n.size());
        out.writeLong(n.inode());
        out.writeLong(n.device());
        out.writeInt(n.nlink());
        out.writeLong(n.rdev());
        out.writeInt(n.hardlinkGroup());
        byte[] target = n.linkTarget();
        short16(out, target.length, "symlink target");
        out.write(target);
        short16(out, n.xattrs().size(), "xattr count");
        for (Map.Entry<String, byte[]> x : n.xattrs().entrySet()) {
            byte[] k = x.getKey().getBytes(StandardCharsets.ISO_8859_1);
            short16(out, k.length, "xattr name");
            out.write(k);
            out.writeInt(x.getValue().length);
            out.write(x.getValue());
        }
        out.writeInt(n.content().size());
        for (byte[] id : n.content()) {
            if (id.length != 32) {
                throw new IllegalArgumentException("a blob id has 32 bytes");
            }
            out.write(id);
        }
        out.writeInt(n.extents().size());
        for (long[] e : n.extents()) {
            out.writeLong(e[0]);
            out.writeLong(e[1]);
        }
        out.write(n.subtree() == null ? new byte[32] : n.subtree());
        out.writeByte(n.incomplete() ? 1 : 0);
        byte[] err = n.error().getBytes(StandardCharsets.UTF_8);
        short16(out, Math.min(err.length, 0xffff), "error");
        out.write(err, 0, Math.min(err.length, 0xffff));
    }

    private static void short16(DataOutputStream out, int v, String what) throws IOException {
        if (v > 0xffff) {
            throw new IllegalArgumentException(what + " longer than 65535 bytes");
        }
        out.writeShort(v);
    }

    private static void shortString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, 255);
        out.writeByte(n);
        out.write(b, 0, n);
    }

    /**
     * Decodes a tree blob.
     *
     * @throws TreeFormatException naming what is wrong (never a name from the tree)
     */
    public static Tree decode(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        try {
            int version = Byte.toUnsignedInt(b.get());
            if (version != VERSION) {
                throw new TreeFormatException("tree version " + version + "; this Cairn reads " + VERSION);
            }
            int count = b.getInt();
            if (count < 0 || count > data.length) {
                throw new TreeFormatException("tree claims " + count + " entries");
            }
            List<Node> nodes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] name = bytes(b, Short.toUnsignedInt(b.getShort()));
                Node.Type type = Node.Type.of(Byte.toUnsignedInt(b.get()));
                int mode = b.getInt();
                int uid = b.getInt();
                int gid = b.getInt();
                String user = new String(bytes(b, Byte.toUnsignedInt(b.get())), StandardCharsets.UTF_8);
                String group = new String(bytes(b, Byte.toUnsignedInt(b.get())), StandardCharsets.UTF_8);
                long mtime = b.getLong();
                long ctime = b.getLong();
                long atime = b.getLong();
                long size = b.getLong();
                long inode = b.getLong();
                long device = b.getLong();
                int nlink = b.getInt();
                long rdev = b.getLong();
                int hardlink = b.getInt();
                byte[] target = bytes(b, Short.toUnsignedInt(b.getShort()));
                int xc = Short.toUnsignedInt(b.getShort());
                Map<String, byte[]> xattrs = new LinkedHashMap<>();
                for (int x = 0; x < xc; x++) {
                    String k = new String(bytes(b, Short.toUnsignedInt(b.getShort())), StandardCharsets.ISO_8859_1);
                    xattrs.put(k, bytes(b, b.getInt()));
                }
                int cc = b.getInt();
                if (cc < 0 || (long) cc * 32 > b.remaining()) {
                    throw new TreeFormatException("entry " + i + " claims " + cc + " chunks");
                }
                List<byte[]> content = new ArrayList<>(cc);
                for (int c = 0; c < cc; c++) {
                    content.add(bytes(b, 32));
                }
                int ec = b.getInt();
                if (ec < 0 || (long) ec * 16 > b.remaining()) {
                    throw new TreeFormatException("entry " + i + " claims " + ec + " extents");
                }
                List<long[]> extents = new ArrayList<>(ec);
                for (int e = 0; e < ec; e++) {
                    extents.add(new long[] {b.getLong(), b.getLong()});
                }
                byte[] subtree = bytes(b, 32);
                boolean incomplete = (b.get() & 1) != 0;
                String error = new String(bytes(b, Short.toUnsignedInt(b.getShort())), StandardCharsets.UTF_8);
                nodes.add(new Node(name, type, mode, uid, gid, user, group, mtime, ctime, atime, size, inode, device, nlink, rdev,
                        hardlink, target, xattrs, content, extents, type == Node.Type.DIRECTORY ? subtree : null, incomplete, error));
            }
            if (b.hasRemaining()) {
                throw new TreeFormatException("tree has " + b.remaining() + " bytes after its last entry");
            }
            return new Tree(nodes);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            if (e instanceof TreeFormatException t) {
                throw t;
            }
            throw new TreeFormatException("tree blob is truncated or malformed: " + e.getClass().getSimpleName());
        }
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        if (n < 0 || n > b.remaining()) {
            throw new TreeFormatException("a length field runs past the end of the tree");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }
}
