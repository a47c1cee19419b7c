package dev.cairn.engine.lock;

import dev.cairn.engine.fs.Errno;
import dev.cairn.engine.fs.FsException;
import dev.cairn.engine.fs.ImmutableState;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * The immutable attribute on the files of locked snapshots (docs/retention.md section 8): setting it on
 * one snapshot's packs, snapshot file and lock file, and lifting it wherever no active lock needs it.
 * Not thread safe on its own: {@link Locks} calls it under its lock.
 */
final class Immutability {
    private static final HexFormat HEX = HexFormat.of();

    private final Repository repo;
    private final LockStore store;

    Immutability(Repository repo, LockStore store) {
        this.repo = repo;
        this.store = store;
    }

    /** Sets the attribute on the snapshot's packs, its snapshot file and its lock file (if any). */
    ImmutableReport protect(String tenant, String snapshot) {
        Attr attr = new Attr();
        List<String> problems = new ArrayList<>();
        try {
            Snapshot s = repo.snapshots().read(tenant, snapshot, repo.keys(tenant));
            for (String pack : packsOf(tenant, s, new HashSet<>(), problems)) {
                attr.set(repo.packPath(HEX.parseHex(pack)), "pack " + pack.substring(0, 8));
            }
        } catch (RuntimeException e) {
            problems.add("the packs of snapshot " + snapshot.substring(0, 8) + " cannot be found: " + e.getMessage());
        }
        attr.set(repo.snapshots().file(tenant, snapshot), "snapshot file " + snapshot.substring(0, 8));
        Path lockFile = store.file(tenant, snapshot);
        if (Files.exists(lockFile)) {
            attr.set(lockFile, "lock file " + snapshot.substring(0, 8));
        }
        problems.addAll(attr.problems);
        return new ImmutableReport(attr.set, attr.unsupported, problems);
    }

    /** Sets the attribute on files and counts the outcomes. */
    private static final class Attr {
        int set;
        int unsupported;
        final List<String> problems = new ArrayList<>();

        void set(Path file, String what) {
            try {
                ImmutableState s = ImmutableFiles.set(file, true);
                if (s == ImmutableState.SET) {
                    set++;
                } else {
                    unsupported++;
                }
            } catch (FsException e) {
                problems.add(what + ": " + e.errnoName()
                        + (e.errno() == Errno.EPERM ? " (needs CAP_LINUX_IMMUTABLE: run as root)" : ""));
            }
        }
    }

    /** {@link Locks#releaseExpired()}. */
    ReleaseReport release() {
        Instant now = repo.clock().instant();
        Set<String> keepPacks = new HashSet<>();
        Set<Integer> blockedTenants = new HashSet<>();
        boolean anyBlocked = false;
        int snapshotFiles = 0;
        int lockFiles = 0;
        int packs = 0;
        int active = 0;
        List<String> problems = new ArrayList<>();
        for (String tenant : repo.tenants()) {
            Set<String> locked = new HashSet<>();
            for (String id : store.ids(tenant)) {
                boolean isActive;
                try {
                    isActive = store.read(tenant, id).map(r -> r.lock().activeAt(now)).orElse(false);
                } catch (LockFileException e) {
                    isActive = true;
                    problems.add("snapshot " + id.substring(0, 8) + " of tenant " + tenant
                            + " has an unreadable lock file: treated as locked forever");
                }
                if (isActive) {
                    locked.add(id);
                } else if (lift(store.file(tenant, id), "lock file " + id.substring(0, 8), problems)) {
                    lockFiles++;
                }
            }
            Set<String> visited = new HashSet<>();
            boolean walkProblem = false;
            for (String id : repo.snapshots().ids(tenant)) {
                if (!locked.contains(id)) {
                    if (lift(repo.snapshots().file(tenant, id), "snapshot file " + id.substring(0, 8), problems)) {
                        snapshotFiles++;
                    }
                    continue;
                }
                active++;
                List<String> walk = new ArrayList<>();
                try {
                    Snapshot s = repo.snapshots().read(tenant, id, repo.keys(tenant));
                    keepPacks.addAll(packsOf(tenant, s, visited, walk));
                } catch (RuntimeException e) {
                    walk.add("locked snapshot " + id.substring(0, 8) + " of tenant " + tenant + " cannot be read: "
                            + e.getMessage());
                }
                if (!walk.isEmpty()) {
                    walkProblem = true;
                    problems.addAll(walk);
                }
            }
            if (walkProblem) {
                anyBlocked = true;
                blockedTenants.add(repo.tenantNo(tenant));
                problems.add("no pack of tenant " + tenant + " was released, because a locked snapshot could not be"
                        + " walked; run `cairn verify`");
            }
        }
        for (byte[] pack : repo.packFiles()) {
            String hex = HEX.formatHex(pack);
            if (keepPacks.contains(hex)) {
                continue;
            }
            RepoIndex.Pack info = repo.index().pack(pack);
            if (info == null ? anyBlocked : blockedTenants.contains(info.tenantNo())) {
                continue;
            }
            if (lift(repo.packPath(pack), "pack " + hex.substring(0, 8), problems)) {
                packs++;
            }
        }
        return new ReleaseReport(snapshotFiles, lockFiles, packs, active, problems);
    }

    private static boolean lift(Path file, String what, List<String> problems) {
        try {
            return ImmutableFiles.lift(file);
        } catch (FsException e) {
            if (e.errno() != Errno.ENOENT) {
                problems.add("cannot lift the immutable attribute of " + what + ": " + e.errnoName());
            }
            return false;
        }
    }

    /**
     * The packs (hex ids) holding the trees and data of {@code s}, as the index names them. Trees in
     * {@code visited} are skipped (shared subtrees of several snapshots are walked once). Blobs missing
     * from the index and unreadable trees are added to {@code problems}.
     */
    private Set<String> packsOf(String tenant, Snapshot s, Set<String> visited, List<String> problems) {
        int tenantNo = repo.tenantNo(tenant);
        Set<String> packs = new HashSet<>();
        long missing = 0;
        Deque<byte[]> todo = new ArrayDeque<>();
        todo.push(s.tree());
        while (!todo.isEmpty()) {
            byte[] id = todo.pop();
            if (!visited.add(HEX.formatHex(id))) {
                continue;
            }
            RepoIndex.Location loc = repo.index().find(tenantNo, BlobType.TREE, id);
            if (loc == null) {
                missing++;
                continue;
            }
            packs.add(HEX.formatHex(loc.packId()));
            Tree tree;
            try {
                tree = Tree.decode(repo.readBlob(tenant, loc));
            } catch (RuntimeException e) {
                problems.add("a tree of snapshot " + s.shortId() + " cannot be read: " + e.getMessage());
                continue;
            }
            for (Node n : tree.nodes()) {
                for (byte[] blob : n.content()) {
                    RepoIndex.Location d = repo.index().find(tenantNo, BlobType.DATA, blob);
                    if (d == null) {
                        missing++;
                    } else {
                        packs.add(HEX.formatHex(d.packId()));
                    }
                }
                if (n.subtree() != null) {
                    todo.push(n.subtree());
                }
            }
        }
        if (missing > 0) {
            problems.add(missing + " blobs of snapshot " + s.shortId() + " are not in the index; run `cairn verify`");
        }
        return packs;
    }
}
