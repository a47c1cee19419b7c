package dev.cairn.engine.testing;

import dev.cairn.engine.fs.Dir;
import dev.cairn.engine.fs.FileStat;
import dev.cairn.engine.fs.FileType;
import dev.cairn.engine.fs.NativeName;
import dev.cairn.engine.fs.OpenFile;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A canonical listing of a directory tree, through the native layer so names are exact bytes: one line
 * per entry with type, mode, owner, size, mtime (ns), link target, xattrs, content SHA-256 and hardlink
 * class. Two trees are restored byte- and metadata-identical when their listings are equal.
 */
public final class TreeListing {
    private TreeListing() {
    }

    public static List<String> of(Path root) {
        List<String> out = new ArrayList<>();
        Map<Long, String> firstPathOfInode = new HashMap<>();
        try (Dir d = Dir.open(root)) {
            walk(d, "", out, firstPathOfInode);
        }
        return out;
    }

    private static void walk(Dir d, String prefix, List<String> out, Map<Long, String> inodes) {
        for (NativeName name : d.list()) {
            String path = prefix + "/" + HexFormat.of().formatHex(name.bytes());
            FileStat st = d.stat(name);
            StringBuilder line = new StringBuilder(path).append(' ').append(st.type()).append(" mode=")
                    .append(Integer.toOctalString(st.mode() & 07777)).append(" owner=").append(st.uid()).append(':').append(st.gid());
            if (st.type() != FileType.DIRECTORY) {
                line.append(" mtime=").append(st.mtime());
            }
            d.xattrs(name).forEach((k, v) -> line.append(" x:").append(k.display()).append('=').append(HexFormat.of().formatHex(v)));
            switch (st.type()) {
                case FILE -> {
                    line.append(" size=").append(st.size());
                    if (st.nlink() > 1) {
                        String first = inodes.putIfAbsent(st.inode(), path);
                        line.append(" hardlink=").append(first == null ? path : first);
                    }
                    line.append(" sha256=").append(sha(d, name, st.size()));
                }
                case SYMLINK -> line.append(" target=").append(HexFormat.of().formatHex(d.readlink(name)));
                case CHAR_DEVICE, BLOCK_DEVICE -> line.append(" rdev=").append(st.rdev());
                case DIRECTORY -> {
                    line.append(" mtime=").append(st.mtime());
                    out.add(line.toString());
                    try (Dir sub = d.openDir(name)) {
                        walk(sub, path, out, inodes);
                    }
                    continue;
                }
                default -> { }
            }
            out.add(line.toString());
        }
    }

    private static String sha(Dir d, NativeName name, long size) {
        try (OpenFile f = d.openRead(name)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            long pos = 0;
            while (pos < size) {
                int n = f.read(pos, buf, 0, (int) Math.min(buf.length, size - pos));
                if (n <= 0) {
                    break;
                }
                md.update(buf, 0, n);
                pos += n;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
