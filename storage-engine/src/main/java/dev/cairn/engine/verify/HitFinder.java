package dev.cairn.engine.verify;

import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import dev.cairn.engine.tree.TreeFormatException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names what bad blobs hit: walks a tenant's snapshots with paths and adds to each waiting finding the
 * files whose content uses its DATA blob, or the directory whose tree is its TREE blob. Only subtrees that
 * lead to a bad blob are walked with paths; which those are is found once per tree (memoized), so the cost
 * is one more read of each tree, not one per snapshot. Not thread safe.
 */
final class HitFinder {
    private final Repository repo;
    private final String tenant;
    private final Map<String, List<Findings.Draft>> wanted;
    private final Map<String, Boolean> leadsToBad = new HashMap<>();
    private final Map<String, Tree> badTrees = new HashMap<>();

    HitFinder(Repository repo, String tenant, Map<String, List<Findings.Draft>> wanted) {
        this.repo = repo;
        this.tenant = tenant;
        this.wanted = wanted;
    }

    void walk(Snapshot s) {
        walk(s.id(), s.tree(), "/");
    }

    private void walk(String snapshot, byte[] treeId, String path) {
        String hex = Findings.hex(treeId);
        for (Findings.Draft d : wanted.getOrDefault(Findings.wantKey(BlobType.TREE, hex), List.of())) {
            d.hit(snapshot, path);
        }
        if (!leadsToBad(treeId)) {
            return;
        }
        Tree t = badTrees.get(hex);
        if (t == null) {
            return; // the tree itself cannot be read: it was named above
        }
        String prefix = path.equals("/") ? "" : path;
        for (Node n : t.nodes()) {
            String child = prefix + "/" + n.displayName();
            if (n.type() == Node.Type.DIRECTORY && n.subtree() != null) {
                walk(snapshot, n.subtree(), child);
                continue;
            }
            Set<Findings.Draft> seen = new HashSet<>();
            for (byte[] id : n.content()) {
                for (Findings.Draft d : wanted.getOrDefault(Findings.wantKey(BlobType.DATA, Findings.hex(id)), List.of())) {
                    if (seen.add(d)) {
                        d.hit(snapshot, child);
                    }
                }
            }
        }
    }

    /** True when the tree is bad itself or a bad blob is somewhere below it. */
    private boolean leadsToBad(byte[] treeId) {
        String hex = Findings.hex(treeId);
        Boolean known = leadsToBad.get(hex);
        if (known != null) {
            return known;
        }
        boolean bad = wanted.containsKey(Findings.wantKey(BlobType.TREE, hex));
        Tree t;
        try {
            t = repo.readTree(tenant, treeId);
        } catch (PackFormatException | TreeFormatException | RepoException | UncheckedIOException e) {
            t = null; // unreadable trees are findings of their own (structure check)
        }
        if (t != null) {
            for (Node n : t.nodes()) {
                if (n.type() == Node.Type.DIRECTORY && n.subtree() != null) {
                    bad |= leadsToBad(n.subtree());
                }
                for (byte[] id : n.content()) {
                    bad |= wanted.containsKey(Findings.wantKey(BlobType.DATA, Findings.hex(id)));
                }
            }
            if (bad) {
                badTrees.put(hex, t);
            }
        }
        leadsToBad.put(hex, bad);
        return bad;
    }
}

