package dev.cairn.cli;

import dev.cairn.engine.browse.SnapshotPath;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * How the storage commands show snapshots and entries, in text and JSON (docs/cli.md). Paths are shown
 * with {@link Node#display} escapes; JSON also carries each path's exact bytes in base64.
 */
final class NodeOutput {
    private NodeOutput() {
    }

    static String typeName(Node.Type t) {
        return switch (t) {
            case FILE -> "file";
            case DIRECTORY -> "dir";
            case SYMLINK -> "symlink";
            case FIFO -> "fifo";
            case SOCKET -> "socket";
            case CHAR_DEVICE -> "chardev";
            case BLOCK_DEVICE -> "blockdev";
        };
    }

    /** {@code ls -l} style: type letter and the nine permission bits with setuid, setgid and sticky. */
    static String modeString(Node n) {
        char type = switch (n.type()) {
            case FILE -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case FIFO -> 'p';
            case SOCKET -> 's';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
        };
        int m = n.mode();
        StringBuilder s = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        special(s, 3, (m & 04000) != 0, 's');
        special(s, 6, (m & 02000) != 0, 's');
        special(s, 9, (m & 01000) != 0, 't');
        return s.toString();
    }

    private static void special(StringBuilder s, int at, boolean set, char letter) {
        if (set) {
            s.setCharAt(at, s.charAt(at) == '-' ? Character.toUpperCase(letter) : letter);
        }
    }

    static String octalMode(Node n) {
        return String.format(Locale.ROOT, "%04o", n.mode());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** Seconds, UTC, ISO-8601: what text output shows. */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String owner(Node n) {
        String u = n.user().isEmpty() ? Integer.toUnsignedString(n.uid()) : n.user();
        String g = n.group().isEmpty() ? Integer.toUnsignedString(n.gid()) : n.group();
        return u + "/" + g;
    }

    /** One {@code ls -l} style line: mode, owner, size, mtime, path (and link target, incompleteness). */
    static String line(SnapshotPath path, Node n) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s %-11s %13d %s  %s", modeString(n), owner(n), n.size(),
                time(instant(n.mtimeNs())), path.display()));
        if (n.type() == Node.Type.SYMLINK) {
            s.append(" -> ").append(Node.display(n.linkTarget()));
        }
        if (n.incomplete()) {
            s.append("  [incomplete: ").append(n.error()).append(']');
        }
        return s.toString();
    }

    /** An entry in JSON (docs/cli.md, "entry"). */
    static Map<String, Object> entryJson(SnapshotPath path, Node n) {
        Map<String, Object> m = Json.object("path", path.display(), "pathBase64", Base64.getEncoder().encodeToString(path.bytes()),
                "type", typeName(n.type()), "mode", octalMode(n), "size", n.size(), "mtime", instant(n.mtimeNs()).toString(),
                "uid", Integer.toUnsignedLong(n.uid()), "gid", Integer.toUnsignedLong(n.gid()),
                "user", n.user().isEmpty() ? null : n.user(), "group", n.group().isEmpty() ? null : n.group());
        if (n.type() == Node.Type.SYMLINK) {
            m.put("linkTarget", Node.display(n.linkTarget()));
        }
        m.put("incomplete", n.incomplete());
        if (n.incomplete()) {
            m.put("error", n.error());
        }
        return m;
    }

    /** A snapshot in JSON (docs/cli.md, "snapshot"). */
    static Map<String, Object> snapshotJson(Snapshot s) {
        Snapshot.Summary m = s.summary();
        return Json.object("id", s.id(), "shortId", s.shortId(), "tenant", s.tenant(), "time", s.time().toString(),
                "hostname", s.hostname(), "paths", s.paths().stream().map(Node::display).toList(), "tags", s.tags().stream().toList(),
                "parent", s.parent(), "tree", s.treeHex(),
                "summary", Json.object("files", m.files(), "dirs", m.dirs(), "bytes", m.bytes(), "bytesRead", m.bytesRead(),
                        "newBlobs", m.newBlobs(), "newBytes", m.newBytes(), "errors", m.errors(), "seconds", m.seconds()));
    }
}
