package dev.cairn.engine.browse;

import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code find}: where a path or a name occurs across snapshots of a tenant.
 *
 * <ul>
 * <li>A pattern that starts with {@code /} is a <b>path</b>: each of its components is a {@link NameGlob}
 *     matched against the name at that depth ({@code /srv/clinic/db.sql}, {@code /srv/*}{@code /*.sql}).
 *     Only matching directories are read.</li>
 * <li>Any other pattern is a <b>name</b> glob matched against every entry's name at any depth
 *     ({@code *.sql}, {@code report-2026-??.pdf}).</li>
 * </ul>
 *
 * Snapshots are searched oldest first. A directory whose TREE blob was already searched (an unchanged
 * directory in a later snapshot) is not read again: its matches are remembered by blob id.
 */
public final class Find {
    /** One hit: the snapshot, the entry's absolute path in it, and its node (size, mtime, type, ...). */
    public record Match(Snapshot snapshot, SnapshotPath path, Node node) {
        public String displayPath() {
            return path.display();
        }
    }

    private record Relative(List<byte[]> components, Node node) {
    }

    private final Repository repo;
    private final String tenant;
    private final Map<String, List<Relative>> searched = new HashMap<>();
    private long treesRead;

    private Find(Repository repo, String tenant) {
        this.repo = repo;
        this.tenant = tenant;
    }

    /**
     * Searches {@code snapshots} (in the order given) for {@code pattern} and streams the matches to {@code out},
     * each snapshot's in name-byte order, depth first.
     *
     * @return the number of tree blobs read
     * @throws IllegalArgumentException when the pattern is not valid (see {@link NameGlob})
     */
    public static long run(Repository repo, String tenant, List<Snapshot> snapshots, String pattern, Consumer<Match> out) {
        Find f = new Find(repo, tenant);
        if (pattern.startsWith("/")) {
            List<NameGlob> parts = new ArrayList<>();
            for (String c : pattern.split("/")) {
                if (!c.isEmpty() && !c.equals(".")) {
                    parts.add(NameGlob.compile(c));
                }
            }
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("the pattern names no path below the root");
            }
            for (Snapshot s : snapshots) {
                f.path(s, SnapshotPath.ROOT, s.tree(), parts, 0, out);
            }
        } else {
            NameGlob glob = NameGlob.compile(pattern);
            for (Snapshot s : snapshots) {
                for (Relative r : f.names(s.tree(), glob)) {
                    out.accept(new Match(s, SnapshotPath.of(r.components()), r.node()));
                }
            }
        }
        return f.treesRead;
    }

    /** The same, collected. */
    public static List<Match> matches(Repository repo, String tenant, List<Snapshot> snapshots, String pattern) {
        List<Match> out = new ArrayList<>();
        run(repo, tenant, snapshots, pattern, out::add);
        return out;
    }

    private Tree read(byte[] id) {
        treesRead++;
        return repo.readTree(tenant, id);
    }

    private void path(Snapshot s, SnapshotPath dir, byte[] treeId, List<NameGlob> parts, int depth, Consumer<Match> out) {
        Tree t = read(treeId);
        NameGlob g = parts.get(depth);
        boolean last = depth == parts.size() - 1;
        byte[] exact = g.literal();
        List<Node> candidates = exact != null ? (t.find(exact) == null ? List.of() : List.of(t.find(exact))) : t.nodes();
        for (Node n : candidates) {
            if (exact == null && !g.matches(n.name())) {
                continue;
            }
            SnapshotPath p = dir.child(n.name());
            if (last) {
                out.accept(new Match(s, p, n));
            } else if (n.type() == Node.Type.DIRECTORY && n.subtree() != null) {
                path(s, p, n.subtree(), parts, depth + 1, out);
            }
        }
    }

    /** Matches of {@code glob} in the tree {@code treeId} and below, relative to it; remembered by blob id. */
    private List<Relative> names(byte[] treeId, NameGlob glob) {
        String key = HexFormat.of().formatHex(treeId);
        List<Relative> known = searched.get(key);
        if (known != null) {
            return known;
        }
        List<Relative> found = new ArrayList<>();
        for (Node n : read(treeId).nodes()) {
            byte[] name = n.name();
            if (glob.matches(name)) {
                found.add(new Relative(List.of(name), n));
            }
            if (n.type() == Node.Type.DIRECTORY && n.subtree() != null) {
                for (Relative r : names(n.subtree(), glob)) {
                    List<byte[]> c = new ArrayList<>(r.components().size() + 1);
                    c.add(name);
                    c.addAll(r.components());
                    found.add(new Relative(c, r.node()));
                }
            }
        }
        searched.put(key, found);
        return found;
    }
}
