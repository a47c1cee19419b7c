package dev.cairn.engine.browse;

import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code diff}: what changed from one snapshot of a tenant to another. Both trees are walked together in
 * name-byte order, and a directory whose TREE blob id is the same in both is skipped without being read
 * (same id, same content: the id is a MAC of the encoded tree), so the work follows the size of the change,
 * not of the snapshots.
 *
 * <p>An entry is <b>added</b>, <b>removed</b> or <b>modified</b>. Everything under an added or removed
 * directory is reported too. A modification says whether the <b>content</b> changed (a file's chunks,
 * extents, size or completeness; a symlink's target; a device's number; a change of type) and which
 * <b>metadata</b> did: {@code type}, {@code mode}, {@code owner} (uid, gid or names), {@code mtime},
 * {@code xattrs} (ACLs included). ctime, atime, inode and link counts are not compared: they change without
 * the file changing (a restore, a copy to another disk). A directory is modified only by its own metadata;
 * changes inside it are reported as their own entries.
 */
public final class SnapshotDiff {
    /** The kinds of change. */
    public enum Kind { ADDED, REMOVED, MODIFIED }

    /**
     * One changed path.
     *
     * @param before   the node in the first snapshot (null when added)
     * @param after    the node in the second snapshot (null when removed)
     * @param content  for MODIFIED: the content differs
     * @param metadata for MODIFIED: the metadata fields that differ, in a fixed order
     */
    public record Change(SnapshotPath path, Kind kind, Node before, Node after, boolean content, List<String> metadata) {
        public Change {
            metadata = List.copyOf(metadata);
        }

        public String displayPath() {
            return path.display();
        }

        /** The node as it is now (after), or as it was when removed. */
        public Node node() {
            return after != null ? after : before;
        }
    }

    /** Counts of a diff; {@code treesRead} is the number of tree blobs read (work done). */
    public record Stats(long added, long removed, long modified, long treesRead) {
    }

    private final Repository repo;
    private final String tenant;
    private final Consumer<Change> out;
    private long added;
    private long removed;
    private long modified;
    private long treesRead;

    private SnapshotDiff(Repository repo, String tenant, Consumer<Change> out) {
        this.repo = repo;
        this.tenant = tenant;
        this.out = out;
    }

    /**
     * Streams the changes from {@code from} to {@code to} (both of {@code tenant}) to {@code out}, depth first
     * in name-byte order.
     */
    public static Stats run(Repository repo, String tenant, Snapshot from, Snapshot to, Consumer<Change> out) {
        if (!tenant.equals(from.tenant()) || !tenant.equals(to.tenant())) {
            throw new RepoException("both snapshots of a diff must belong to tenant " + tenant);
        }
        SnapshotDiff d = new SnapshotDiff(repo, tenant, out);
        d.trees(SnapshotPath.ROOT, from.tree(), to.tree());
        return new Stats(d.added, d.removed, d.modified, d.treesRead);
    }

    /** The same, collected. */
    public static List<Change> changes(Repository repo, String tenant, Snapshot from, Snapshot to) {
        List<Change> out = new ArrayList<>();
        run(repo, tenant, from, to, out::add);
        return out;
    }

    private Tree read(byte[] id) {
        treesRead++;
        return repo.readTree(tenant, id);
    }

    private void trees(SnapshotPath dir, byte[] a, byte[] b) {
        if (Arrays.equals(a, b)) {
            return;
        }
        List<Node> left = read(a).nodes();
        List<Node> right = read(b).nodes();
        int i = 0;
        int j = 0;
        while (i < left.size() || j < right.size()) {
            int c = i >= left.size() ? 1 : j >= right.size() ? -1 : Tree.NAME_ORDER.compare(left.get(i).name(), right.get(j).name());
            if (c < 0) {
                Node n = left.get(i++);
                all(dir.child(n.name()), n, Kind.REMOVED);
            } else if (c > 0) {
                Node n = right.get(j++);
                all(dir.child(n.name()), n, Kind.ADDED);
            } else {
                both(dir.child(left.get(i).name()), left.get(i++), right.get(j++));
            }
        }
    }

    private void both(SnapshotPath p, Node a, Node b) {
        boolean aDir = a.type() == Node.Type.DIRECTORY;
        boolean bDir = b.type() == Node.Type.DIRECTORY;
        boolean content = a.type() != b.type() || (!aDir && contentDiffers(a, b));
        List<String> meta = metadataDiffers(a, b);
        if (content || !meta.isEmpty()) {
            modified++;
            out.accept(new Change(p, Kind.MODIFIED, a, b, content, meta));
        }
        if (aDir && bDir) {
            trees(p, a.subtree(), b.subtree());
        } else if (aDir) {
            below(p, a.subtree(), Kind.REMOVED);
        } else if (bDir) {
            below(p, b.subtree(), Kind.ADDED);
        }
    }

    /** Reports {@code n} and, for a directory, everything below it. */
    private void all(SnapshotPath p, Node n, Kind kind) {
        if (kind == Kind.ADDED) {
            added++;
            out.accept(new Change(p, kind, null, n, false, List.of()));
        } else {
            removed++;
            out.accept(new Change(p, kind, n, null, false, List.of()));
        }
        if (n.type() == Node.Type.DIRECTORY && n.subtree() != null) {
            below(p, n.subtree(), kind);
        }
    }

    private void below(SnapshotPath dir, byte[] treeId, Kind kind) {
        for (Node n : read(treeId).nodes()) {
            all(dir.child(n.name()), n, kind);
        }
    }

    static boolean contentDiffers(Node a, Node b) {
        return a.size() != b.size() || a.incomplete() != b.incomplete() || a.rdev() != b.rdev()
                || !Arrays.equals(a.linkTarget(), b.linkTarget()) || !sameIds(a.content(), b.content())
                || !sameExtents(a.extents(), b.extents());
    }

    static List<String> metadataDiffers(Node a, Node b) {
        List<String> m = new ArrayList<>();
        if (a.type() != b.type()) {
            m.add("type");
        }
        if (a.mode() != b.mode()) {
            m.add("mode");
        }
        if (a.uid() != b.uid() || a.gid() != b.gid() || !a.user().equals(b.user()) || !a.group().equals(b.group())) {
            m.add("owner");
        }
        if (a.mtimeNs() != b.mtimeNs()) {
            m.add("mtime");
        }
        if (!sameXattrs(a.xattrs(), b.xattrs())) {
            m.add("xattrs");
        }
        return m;
    }

    private static boolean sameIds(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameExtents(List<long[]> a, List<long[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameXattrs(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
