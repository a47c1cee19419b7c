package dev.cairn.engine.browse;

import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code ls}: the entries of a snapshot, under its root or a path, one level or the whole subtree, in
 * name-byte order, depth first (a directory comes before its content). Reads tree blobs only.
 */
public final class Listing {
    private Listing() {
    }

    /** One entry: its absolute path in the snapshot and its node (type, mode, owner, size, times, ...). */
    public record Entry(SnapshotPath path, Node node) {
        /** The path for people (names through {@link Node#display}). */
        public String displayPath() {
            return path.display();
        }
    }

    /**
     * Streams the entries to {@code out}. A directory path lists what is in it (everything below it when
     * {@code recursive}); a path that names anything else lists that one entry.
     *
     * @param path what the operator typed (see {@link SnapshotPath#candidates}); null or "/" for the root
     * @return the number of entries given to {@code out}
     * @throws PathNotFoundException when the path names nothing in the snapshot
     */
    public static long walk(Repository repo, String tenant, Snapshot snapshot, String path, boolean recursive, Consumer<Entry> out) {
        SnapshotPath.Located at = path == null ? SnapshotPath.ROOT.locate(repo, tenant, snapshot)
                : SnapshotPath.locate(repo, tenant, snapshot, path);
        if (!at.isDirectory()) {
            out.accept(new Entry(at.path(), at.node()));
            return 1;
        }
        return walkTree(repo, tenant, at.path(), at.treeId(), recursive, out);
    }

    /**
     * Every snapshot of {@code tenant}, oldest first (ties by id). Each file is read and authenticated.
     */
    public static List<Snapshot> snapshots(Repository repo, String tenant) {
        List<Snapshot> all = new ArrayList<>();
        for (String id : repo.snapshots().ids(tenant)) {
            all.add(repo.snapshots().read(tenant, id, repo.keys(tenant)));
        }
        all.sort(java.util.Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id));
        return all;
    }

    /** The same, collected. */
    public static List<Entry> list(Repository repo, String tenant, Snapshot snapshot, String path, boolean recursive) {
        List<Entry> out = new ArrayList<>();
        walk(repo, tenant, snapshot, path, recursive, out::add);
        return out;
    }

    private static long walkTree(Repository repo, String tenant, SnapshotPath dir, byte[] treeId, boolean recursive, Consumer<Entry> out) {
        long n = 0;
        Tree t = repo.readTree(tenant, treeId);
        for (Node node : t.nodes()) {
            SnapshotPath p = dir.child(node.name());
            out.accept(new Entry(p, node));
            n++;
            if (recursive && node.type() == Node.Type.DIRECTORY && node.subtree() != null) {
                n += walkTree(repo, tenant, p, node.subtree(), true, out);
            }
        }
        return n;
    }
}
