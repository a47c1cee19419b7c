package dev.cairn.engine.prune;

import dev.cairn.engine.index.IndexException;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The reachability pass of prune: for every tenant, every snapshot file present and every snapshot with
 * a lock file, walks the trees and collects the blobs they use (docs/formats/repository.md section 8,
 * rule 5). Reads only; DATA blobs are named by the trees and never read.
 *
 * <p>Fail closed: a snapshot that cannot be read, a tree that is missing or damaged, a locked snapshot
 * whose snapshot file is gone, becomes a {@link SnapshotProblem} and the planner then deletes nothing.
 * Every snapshot that reaches a damaged tree is named (with the first damage found below it). Failures of
 * the index or of the key plane are not problems of a snapshot: they abort the scan.
 *
 * <p>Each tree is read once per tenant. Locked snapshots are walked first, so the blobs below every tree
 * they reach are in both sets before an unlocked snapshot skips that tree. Trees are tracked exactly (not
 * in a {@link BlobIdSet}): skipping a tree on a key collision would lose the blobs under it.
 */
public final class ReachabilityScan {
    /** Counters for a progress line: snapshots walked and tree blobs read so far. */
    public interface Progress {
        Progress NONE = (snapshots, trees) -> { };

        void update(long snapshots, long trees);
    }

    private final Repository repo;
    private final Progress progress;
    private final List<SnapshotProblem> problems = new ArrayList<>();
    private long snapshotsDone;
    private long treesRead;

    private ReachabilityScan(Repository repo, Progress progress) {
        this.repo = repo;
        this.progress = progress == null ? Progress.NONE : progress;
    }

    /** Scans every tenant of {@code repo}. */
    public static Reachability run(Repository repo, Progress progress) {
        ReachabilityScan scan = new ReachabilityScan(repo, progress);
        Map<String, Reachability.TenantUse> tenants = new LinkedHashMap<>();
        for (String tenant : new TreeSet<>(repo.tenants())) {
            tenants.put(tenant, scan.tenant(tenant));
        }
        return new Reachability(tenants, scan.problems);
    }

    /** Ids of the snapshots of {@code tenant} that have a lock file ({@code locks/<tenant>/<id>.lock}). */
    public static List<String> lockedIds(Repository repo, String tenant) {
        Path dir = repo.dir().resolve("locks").resolve(tenant);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}\\.lock"))
                    .map(n -> n.substring(0, 64)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the retention locks of tenant " + tenant + ": " + e.getMessage(), e);
        }
    }

    private Reachability.TenantUse tenant(String tenant) {
        List<String> live = repo.snapshots().ids(tenant).stream().sorted().toList();
        List<String> locked = lockedIds(repo, tenant);
        Walk w = new Walk(tenant, new BlobIdSet(), new BlobIdSet(), new HashMap<>());
        Set<String> liveSet = new HashSet<>(live);
        for (String id : locked) {
            if (!liveSet.contains(id)) {
                if (expiredRecordOnly(tenant, id)) {
                    continue; // forgotten after its lock expired: the lock file stays as the record, it protects nothing
                }
                problems.add(new SnapshotProblem(tenant, id, true, "its lock file exists but its snapshot file is missing"));
                continue;
            }
            walk(id, true, w);
        }
        Set<String> lockedSet = new HashSet<>(locked);
        for (String id : live) {
            if (!lockedSet.contains(id)) {
                walk(id, false, w);
            }
        }
        return new Reachability.TenantUse(live.size(), locked.size(), w.used, w.locked);
    }

    /** True when the lock file of a snapshot that is gone reads cleanly and is no longer active. */
    private boolean expiredRecordOnly(String tenant, String id) {
        try {
            return new dev.cairn.engine.lock.LockStore(repo.dir()).read(tenant, id)
                    .map(r -> !r.lock().activeAt(repo.clock().instant())).orElse(false);
        } catch (RuntimeException e) {
            return false; // unreadable: fail closed, reported as a problem
        }
    }

    /**
     * One tenant's walk. {@code trees} holds every tree read so far, by hex id: {@link #CLEAN} when it and
     * everything below it could be read, {@link #IN_PROGRESS} while its subtrees are being walked, else why
     * it or a tree below it could not be read.
     */
    private record Walk(String tenant, BlobIdSet used, BlobIdSet locked, Map<String, String> trees) {
    }

    private static final String CLEAN = "";
    private static final String IN_PROGRESS = "\0";

    /** A tree whose subtrees are being walked (the walk is iterative: directory depth is not bounded). */
    private static final class Frame {
        final String hex;
        final List<byte[]> children;
        int next;
        String reason;

        Frame(String hex, List<byte[]> children) {
            this.hex = hex;
            this.children = children;
        }
    }

    private void walk(String snapshotId, boolean locked, Walk w) {
        Snapshot s;
        try {
            s = repo.snapshots().read(w.tenant, snapshotId, repo.keys(w.tenant));
        } catch (RuntimeException e) {
            problems.add(new SnapshotProblem(w.tenant, snapshotId, locked, "cannot read the snapshot file: " + reason(e)));
            return;
        }
        String why = walkTree(s.tree(), locked, w);
        if (why != null) {
            problems.add(new SnapshotProblem(w.tenant, snapshotId, locked, why));
        }
        snapshotsDone++;
        progress.update(snapshotsDone, treesRead);
    }

    /**
     * Marks every blob below {@code root} (post order, each tree read once per tenant); returns null when all
     * of it could be read, else the first reason why not. A tree walked for an earlier snapshot is not read
     * again, but its result is, so every snapshot that reaches damage is named.
     */
    private String walkTree(byte[] root, boolean locked, Walk w) {
        Deque<Frame> stack = new ArrayDeque<>();
        String known = enter(root, locked, w, stack);
        if (known != null) {
            return known.isEmpty() ? null : known;
        }
        String result = null;
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            if (top.next < top.children.size()) {
                String r = enter(top.children.get(top.next++), locked, w, stack);
                if (r != null && !r.isEmpty() && top.reason == null) {
                    top.reason = r;
                }
                continue;
            }
            stack.pop();
            w.trees.put(top.hex, top.reason == null ? CLEAN : top.reason);
            Frame parent = stack.peek();
            if (parent == null) {
                result = top.reason;
            } else if (top.reason != null && parent.reason == null) {
                parent.reason = top.reason;
            }
        }
        return result;
    }

    /**
     * Reads a tree not seen yet, marks its blobs and pushes it (returns null); for a tree seen before, or one
     * that cannot be read, returns {@link #CLEAN} or the reason.
     */
    private String enter(byte[] id, boolean locked, Walk w, Deque<Frame> stack) {
        String hex = HexFormat.of().formatHex(id);
        String known = w.trees.get(hex);
        if (IN_PROGRESS.equals(known)) {
            return "tree " + hex.substring(0, 16) + " contains itself"; // impossible for content-addressed trees: damage
        }
        if (known != null) {
            return known;
        }
        Tree tree;
        try {
            tree = repo.readTree(w.tenant, id);
        } catch (RuntimeException e) {
            String why = "tree " + hex.substring(0, 16) + " cannot be read: " + reason(e);
            w.trees.put(hex, why);
            return why;
        }
        if (++treesRead % 256 == 0) {
            progress.update(snapshotsDone, treesRead);
        }
        mark(BlobType.TREE, id, locked, w.used, w.locked);
        List<byte[]> children = new ArrayList<>();
        for (Node n : tree.nodes()) {
            for (byte[] chunk : n.content()) {
                mark(BlobType.DATA, chunk, locked, w.used, w.locked);
            }
            if (n.subtree() != null) {
                children.add(n.subtree());
            }
        }
        w.trees.put(hex, IN_PROGRESS);
        stack.push(new Frame(hex, children));
        return null;
    }

    private static void mark(BlobType type, byte[] id, boolean locked, BlobIdSet used, BlobIdSet lockedBlobs) {
        used.add(type, id);
        if (locked) {
            lockedBlobs.add(type, id);
        }
    }

    /** The engine's message; errors of the index or the key plane are not a snapshot's problem and abort the scan. */
    private static String reason(RuntimeException e) {
        if (e instanceof IndexException || e.getClass().getPackageName().startsWith("dev.cairn.hsm")) {
            throw e;
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
