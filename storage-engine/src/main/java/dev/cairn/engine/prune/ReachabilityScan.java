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
 * Every snapshot that reaches a damaged tree is named; damage below a directory that an earlier snapshot
 * shares may be named for that earlier snapshot only ({@code cairn verify} names them all). Failures of the
 * index or of the key plane are not problems of a snapshot: they abort the scan.
 *
 * <p>Locked snapshots are walked first, so the trees they reach are recorded in both sets; a later walk of
 * an unlocked snapshot skips every tree already in the used set. Trees are tracked exactly (not in a
 * {@link BlobIdSet}): skipping a tree by a key collision would lose the blobs under it.
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
    private final Map<String, String> failedTrees = new HashMap<>();
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
        BlobIdSet used = new BlobIdSet();
        BlobIdSet lockedBlobs = new BlobIdSet();
        Set<String> walkedLocked = new HashSet<>();
        Set<String> walkedUsed = new HashSet<>();
        Set<String> liveSet = new HashSet<>(live);
        for (String id : locked) {
            if (!liveSet.contains(id)) {
                problems.add(new SnapshotProblem(tenant, id, true, "its lock file exists but its snapshot file is missing"));
                continue;
            }
            walk(tenant, id, true, used, lockedBlobs, walkedLocked, walkedUsed);
        }
        Set<String> lockedSet = new HashSet<>(locked);
        for (String id : live) {
            if (!lockedSet.contains(id)) {
                walk(tenant, id, false, used, lockedBlobs, walkedLocked, walkedUsed);
            }
        }
        return new Reachability.TenantUse(live.size(), locked.size(), used, lockedBlobs);
    }

    private void walk(String tenant, String snapshotId, boolean locked, BlobIdSet used, BlobIdSet lockedBlobs,
                      Set<String> walkedLocked, Set<String> walkedUsed) {
        Snapshot s;
        try {
            s = repo.snapshots().read(tenant, snapshotId, repo.keys(tenant));
        } catch (RuntimeException e) {
            problems.add(new SnapshotProblem(tenant, snapshotId, locked, "cannot read the snapshot file: " + reason(e)));
            return;
        }
        Set<String> walked = locked ? walkedLocked : walkedUsed;
        Deque<byte[]> todo = new ArrayDeque<>();
        todo.push(s.tree());
        while (!todo.isEmpty()) {
            byte[] treeId = todo.pop();
            String hex = HexFormat.of().formatHex(treeId);
            String failed = failedTrees.get(tenant + "/" + hex);
            if (failed != null) {
                problems.add(new SnapshotProblem(tenant, snapshotId, locked, failed));
                continue;
            }
            if (!walked.add(hex)) {
                continue;
            }
            Tree tree;
            try {
                tree = repo.readTree(tenant, treeId);
            } catch (RuntimeException e) {
                String why = "tree " + hex.substring(0, 16) + " cannot be read: " + reason(e);
                failedTrees.put(tenant + "/" + hex, why);
                problems.add(new SnapshotProblem(tenant, snapshotId, locked, why));
                continue;
            }
            treesRead++;
            mark(BlobType.TREE, treeId, locked, used, lockedBlobs);
            walkedUsed.add(hex);
            for (Node n : tree.nodes()) {
                for (byte[] chunk : n.content()) {
                    mark(BlobType.DATA, chunk, locked, used, lockedBlobs);
                }
                if (n.subtree() != null) {
                    todo.push(n.subtree());
                }
            }
        }
        snapshotsDone++;
        progress.update(snapshotsDone, treesRead);
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
