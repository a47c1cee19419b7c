package dev.cairn.engine.testing;

import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every node of a snapshot by its display path ("/tmp/x/src/a"), read through the repository. */
public final class SnapshotNodes {
    private SnapshotNodes() {
    }

    public static Map<String, Node> of(Repository repo, String tenant, Snapshot s) {
        Map<String, Node> out = new LinkedHashMap<>();
        walk(repo, tenant, s.tree(), "", out);
        return out;
    }

    private static void walk(Repository repo, String tenant, byte[] tree, String prefix, Map<String, Node> out) {
        for (Node n : repo.readTree(tenant, tree).nodes()) {
            String path = prefix + "/" + n.displayName();
            out.put(path, n);
            if (n.type() == Node.Type.DIRECTORY && n.subtree() != null) {
                walk(repo, tenant, n.subtree(), path, out);
            }
        }
    }
}
