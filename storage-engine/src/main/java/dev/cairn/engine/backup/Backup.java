package dev.cairn.engine.backup;

import dev.cairn.engine.chunk.Chunker;
import dev.cairn.engine.chunk.ChunkerParams;
import dev.cairn.engine.fs.Dir;
import dev.cairn.engine.fs.Extent;
import dev.cairn.engine.fs.FileStat;
import dev.cairn.engine.fs.FileType;
import dev.cairn.engine.fs.FsException;
import dev.cairn.engine.fs.NativeName;
import dev.cairn.engine.fs.OpenFile;
import dev.cairn.engine.fs.XattrName;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.repo.RepoConfig;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One backup of file trees into a tenant's part of the repository (issue 3, AUTO-2).
 *
 * <p>Pipeline: this thread walks the trees with the native file system layer; reader threads read and
 * chunk the changed files of a directory in parallel (FastCDC, with the chunking of the file's data
 * class, {@link dev.cairn.engine.repo.RepoConfig#dataClassFor}); worker threads name, deduplicate and
 * compress the chunks (zstd at the data class's level); one writer thread encrypts them into packs, and a
 * sealing thread seals and indexes each full pack (see {@link BlobWriter}). A file whose size, mtime, ctime and inode equal its node in the parent snapshot is not
 * read at all (the files cache of incremental-forever backups). Directories become TREE blobs as the walk
 * leaves them. The snapshot file is written last, after every blob is durable and indexed, so a crash
 * loses at most this snapshot.
 *
 * <p>Faults in the source are recorded, not fatal: an unreadable file or directory, a file that vanished
 * or changed while being read, becomes a node marked incomplete with the reason, and the summary counts
 * it. A missing top-level path or a repository failure (disk full, key plane down) fails the backup.
 */
public final class Backup {
    /**
     * @param hostname recorded in the snapshot
     * @param parent   "auto" (the newest snapshot of the same tenant and paths), "none", or a snapshot id
     */
    public record Options(String tenant, List<Path> paths, Set<String> tags, String hostname, String parent,
                          Progress progress) {
        public Options {
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("name at least one path to back up");
            }
            paths = paths.stream().map(p -> p.toAbsolutePath().normalize()).distinct().sorted().toList();
            tags = Set.copyOf(tags);
            progress = progress == null ? Progress.NONE : progress;
        }

        /** Identifies "the same backup" across days: tenant and paths. */
        public String source() {
            return tenant + ":" + String.join(",", paths.stream().map(Path::toString).toList());
        }
    }

    /** Counters a caller can show while the backup runs. Called from the walking thread. */
    public interface Progress {
        Progress NONE = (files, bytes, skippedBytes) -> { };

        void update(long files, long bytesRead, long bytesSkipped);
    }

    /** Native bytes one {@code pread} fills before they are copied into the chunking window. */
    static final int READ_BUFFER = 1 << 20;
    /** Files read at once (by reader threads): enough to keep two cores chunking. */
    static final int READERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    /**
     * Test seams, null in production: where a source may change under a backup. {@code afterListing}
     * runs on the walking thread between a directory's listing and the stat of its entries;
     * {@code afterRead} on a reader thread after each {@code pread} of file data, with the backup's
     * bytes read so far. Reads and walking overlap, so the progress callback marks neither point.
     */
    static volatile Runnable afterListing;
    static volatile java.util.function.LongConsumer afterRead;

    private final Repository repo;
    private final Options options;
    private final String tenant;
    private final BlobWriter writer;
    private final ExecutorService readers;
    /** Each reader thread's reusable buffers; they die with the pool's threads (Arena.ofAuto). */
    private final ThreadLocal<ReadBuffers> buffers = ThreadLocal.withInitial(ReadBuffers::new);
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong dirs = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Map<Long, HardLink> hardlinks = new HashMap<>();
    private int nextHardlinkGroup = 1;

    private record HardLink(int group, CompletableFuture<Node> first) {
    }

    /** A reader thread's native read buffer and heap chunking window, reused from file to file. */
    private static final class ReadBuffers {
        final MemorySegment read = Arena.ofAuto().allocate(READ_BUFFER);
        byte[] window = new byte[0];

        byte[] window(int size) {
            if (window.length < size) {
                window = new byte[size];
            }
            return window;
        }
    }

    private Backup(Repository repo, Options options, BlobWriter writer, ExecutorService readers) {
        this.repo = repo;
        this.options = options;
        this.tenant = options.tenant();
        this.writer = writer;
        this.readers = readers;
    }

    /** Runs the backup and returns the stored snapshot. */
    public static Snapshot run(Repository repo, Options options) {
        repo.tenantNo(options.tenant()); // fails clearly for an unknown tenant before anything is read
        if (repo.indexIncomplete()) {
            // dedupe would find nothing and store everything again; verify and restore would be misled too
            throw new RepoException("the repository's index is incomplete (" + Repository.INDEX_INCOMPLETE
                    + " exists): run `cairn repo rebuild-index` before the next backup");
        }
        CryptoWarmup.start(CryptoWarmup.Use.BACKUP);
        long start = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> Thread.ofPlatform().name("backup-worker").daemon().unstarted(r));
        ExecutorService readers = Executors.newFixedThreadPool(READERS,
                r -> Thread.ofPlatform().name("backup-reader").daemon().unstarted(r));
        try (BlobWriter writer = new BlobWriter(repo, options.tenant(), workers)) {
            Backup b = new Backup(repo, options, writer, readers);
            Snapshot parent = b.findParent();
            Tree parentRoot = parent == null ? null : b.safeTree(parent.tree()); // damaged: read everything again
            byte[] root = b.backupRoots(parentRoot);
            writer.flush(); // rule 2: every blob durable and indexed before the snapshot
            Snapshot s = new Snapshot(null, options.tenant(), repo.clock().instant(), options.hostname(), options.source(),
                    options.paths().stream().map(p -> p.toString().getBytes(StandardCharsets.UTF_8)).toList(),
                    options.tags(), parent == null ? null : parent.id(), root,
                    new Snapshot.Summary(b.files.get(), b.dirs.get(), b.bytes.get(), b.bytesRead.get(), writer.newBlobs(), writer.newBytes(),
                            b.errors.get(), (System.nanoTime() - start) / 1e9));
            return repo.snapshots().write(s, repo.keys(options.tenant()), repo.tmp());
        } finally {
            readers.shutdownNow();
            workers.shutdownNow();
        }
    }

    private Snapshot findParent() {
        if ("none".equals(options.parent())) {
            return null;
        }
        List<Snapshot> mine = new ArrayList<>();
        for (String id : repo.snapshots().ids(tenant)) {
            if (options.parent() != null && !"auto".equals(options.parent()) && !id.startsWith(options.parent())) {
                continue;
            }
            Snapshot s;
            try {
                s = repo.snapshots().read(tenant, id, repo.keys(tenant));
            } catch (RuntimeException e) {
                if (!java.nio.file.Files.exists(repo.snapshots().file(tenant, id))) {
                    continue; // forgotten while we looked
                }
                throw e;
            }
            if (s.source().equals(options.source()) || (options.parent() != null && !"auto".equals(options.parent()))) {
                mine.add(s);
            }
        }
        return mine.stream().max(Comparator.comparing(Snapshot::time)).orElse(null);
    }

    // ------------------------------------------------------------------ roots

    /** A directory on the way from / to a backed-up path: its real metadata and the children kept. */
    private static final class Virtual {
        final Map<NativeName, Object> children = new TreeMap<>(); // NativeName -> Virtual or Node
        FileStat stat;
        Map<XattrName, byte[]> xattrs = Map.of();
    }

    private byte[] backupRoots(Tree parentRoot) {
        Virtual root = new Virtual();
        for (Path p : options.paths()) {
            List<NativeName> parts = new ArrayList<>();
            for (Path c : p) {
                parts.add(NativeName.of(c.toString().getBytes(StandardCharsets.UTF_8)));
            }
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("backing up / itself is not supported; name the directories");
            }
            Virtual v = root;
            Tree parentTree = parentRoot;
            Path at = Path.of("/");
            for (int i = 0; i < parts.size() - 1; i++) {
                NativeName part = parts.get(i);
                Virtual child = (Virtual) v.children.computeIfAbsent(part, k -> new Virtual());
                if (child.stat == null) {
                    try (Dir d = Dir.open(at)) {
                        child.stat = d.stat(part);
                        child.xattrs = d.xattrs(part);
                    } catch (FsException e) {
                        throw new RepoException("cannot back up " + p + ": " + at.resolve(part.display()) + " cannot be read ("
                                + e.errnoName() + ")", e);
                    }
                }
                parentTree = subtree(parentTree, part);
                v = child;
                at = at.resolve(part.display());
            }
            NativeName leaf = parts.getLast();
            Node parentNode = parentTree == null ? null : parentTree.find(leaf.bytes());
            try (Dir d = Dir.open(at)) {
                FileStat st = d.stat(leaf);
                CompletableFuture<Node> top = entry(d, leaf, st, parentNode);
                finishPending(true);
                v.children.put(leaf, await(top)); // before d closes: a file named as a root is read through d
            } catch (FsException e) {
                throw new RepoException("cannot back up " + p + " (" + e.errnoName() + "): check that it exists and is readable", e);
            }
        }
        return encode(root);
    }

    private byte[] encode(Virtual v) {
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<NativeName, Object> e : v.children.entrySet()) {
            if (e.getValue() instanceof Node n) {
                nodes.add(n);
            } else {
                Virtual child = (Virtual) e.getValue();
                byte[] sub = encode(child);
                nodes.add(dirNode(e.getKey(), child.stat, child.xattrs, sub, false, ""));
            }
        }
        return writer.put(BlobType.TREE, new Tree(nodes).encode());
    }

    private Tree subtree(Tree parent, NativeName name) {
        if (parent == null) {
            return null;
        }
        Node n = parent.find(name.bytes());
        if (n == null || n.type() != Node.Type.DIRECTORY || n.subtree() == null) {
            return null;
        }
        try {
            return repo.readTree(tenant, n.subtree());
        } catch (RuntimeException e) {
            return null; // an unreadable parent only costs re-reading files; verify reports the damage
        }
    }

    // ------------------------------------------------------------------ walking

    /** The node of one entry; files may finish later (their chunks are still being stored). */
    private CompletableFuture<Node> entry(Dir dir, NativeName name, FileStat st, Node parentNode) {
        Map<XattrName, byte[]> xattrs;
        try {
            xattrs = dir.xattrs(name);
        } catch (FsException e) {
            xattrs = Map.of();
        }
        switch (st.type()) {
            case DIRECTORY -> {
                dirs.incrementAndGet();
                Dir sub = null;
                List<NativeName> names;
                try {
                    sub = dir.openDir(name);
                    names = sub.list();
                } catch (FsException e) {
                    if (sub != null) {
                        sub.close();
                    }
                    errors.incrementAndGet();
                    byte[] empty = writer.put(BlobType.TREE, new Tree(List.of()).encode());
                    return CompletableFuture.completedFuture(dirNode(name, st, xattrs, empty, true, "cannot read directory: " + e.errnoName()));
                }
                Tree parentTree = parentNode != null && parentNode.type() == Node.Type.DIRECTORY && parentNode.subtree() != null
                        ? safeTree(parentNode.subtree()) : null;
                Map<XattrName, byte[]> x = xattrs;
                return walk(sub, names, parentTree).thenApply(id -> dirNode(name, st, x, id, false, ""));
            }
            case FILE -> {
                files.incrementAndGet();
                bytes.addAndGet(st.size());
                return file(dir, name, st, xattrs, parentNode);
            }
            case SYMLINK -> {
                byte[] target;
                try {
                    target = dir.readlink(name);
                } catch (FsException e) {
                    errors.incrementAndGet();
                    return CompletableFuture.completedFuture(node(name, st, xattrs, null, List.of(), List.of(), null, 0, true,
                            "cannot read link: " + e.errnoName()));
                }
                return CompletableFuture.completedFuture(node(name, st, xattrs, target, List.of(), List.of(), null, 0, false, ""));
            }
            default -> {
                return CompletableFuture.completedFuture(node(name, st, xattrs, null, List.of(), List.of(), null, 0, false, ""));
            }
        }
    }

    private Tree safeTree(byte[] id) {
        try {
            return repo.readTree(tenant, id);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A directory whose entries are all submitted: its tree is stored once the files in it are read. Its
     * {@code Dir} stays open until then, since reader threads open the files through it.
     */
    private record PendingDir(Dir dir, List<CompletableFuture<Node>> children, CompletableFuture<byte[]> tree) {
    }

    /** Directories waiting for their files, in post-order (a directory after everything below it). */
    private final java.util.ArrayDeque<PendingDir> pending = new java.util.ArrayDeque<>();
    private int pendingEntries;

    /**
     * Walks one directory (taking ownership of {@code dir}) and returns the future id of its TREE blob.
     * The walk does not wait for the files it hands to the reader threads: it goes on to the next
     * directories, so one large file does not leave the other reader idle, and the directory's tree is
     * stored later by {@link #finishPending} on this thread.
     */
    private CompletableFuture<byte[]> walk(Dir dir, List<NativeName> names, Tree parentTree) {
        List<CompletableFuture<Node>> children = new ArrayList<>(names.size());
        try {
            Runnable listed = afterListing;
            if (listed != null) {
                listed.run();
            }
            for (NativeName name : names) {
                FileStat st;
                try {
                    st = dir.stat(name);
                } catch (FsException e) {
                    errors.incrementAndGet(); // vanished between list and stat: nothing to record
                    continue;
                }
                Node parentNode = parentTree == null ? null : parentTree.find(name.bytes());
                children.add(entry(dir, name, st, parentNode));
            }
        } catch (RuntimeException | Error e) {
            for (CompletableFuture<Node> f : children) {
                try {
                    f.join(); // no reader may still use dir once it is closed
                } catch (RuntimeException ignored) {
                    // the first failure is the one reported
                }
            }
            dir.close();
            throw e;
        }
        PendingDir p = new PendingDir(dir, children, new CompletableFuture<>());
        pending.addLast(p); // after its subdirectories, which were added while listing it: post-order
        pendingEntries += children.size();
        finishPending(false);
        return p.tree();
    }

    /** Open directories, and entries in them, beyond which the walk waits for the oldest directory. */
    static final int MAX_PENDING_DIRS = 64;
    static final int MAX_PENDING_ENTRIES = 8192;

    /**
     * Stores the trees of pending directories, oldest first, whose entries are all done; with
     * {@code all}, or while too many are pending, waits for them. The oldest first keeps post-order, so
     * a directory's subdirectories are stored before it. On failure, waits until no reader uses any
     * pending directory, closes them all and rethrows.
     */
    private void finishPending(boolean all) {
        try {
            while (!pending.isEmpty()) {
                PendingDir p = pending.peekFirst();
                boolean ready = p.children().stream().allMatch(CompletableFuture::isDone);
                if (!ready && !all && pending.size() <= MAX_PENDING_DIRS && pendingEntries <= MAX_PENDING_ENTRIES) {
                    return;
                }
                List<Node> nodes = new ArrayList<>(p.children().size());
                for (CompletableFuture<Node> f : p.children()) {
                    nodes.add(await(f));
                }
                pending.pollFirst();
                pendingEntries -= p.children().size();
                p.dir().close();
                p.tree().complete(writer.put(BlobType.TREE, new Tree(nodes).encode()));
            }
        } catch (RuntimeException | Error e) {
            for (PendingDir p : pending) {
                for (CompletableFuture<Node> f : p.children()) {
                    try {
                        f.join(); // no reader may still use p.dir() once it is closed
                    } catch (RuntimeException ignored) {
                        // the first failure is the one reported
                    }
                }
                p.dir().close();
                p.tree().completeExceptionally(e);
            }
            pending.clear();
            throw e;
        }
    }

    /** Waits for a node, reporting progress meanwhile (progress is reported from the walking thread only). */
    private Node await(CompletableFuture<Node> f) {
        while (true) {
            try {
                return f.get(250, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                options.progress().update(files.get(), bytesRead.get(), 0);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private CompletableFuture<Node> file(Dir dir, NativeName name, FileStat st, Map<XattrName, byte[]> xattrs, Node parentNode) {
        int group = 0;
        if (st.nlink() > 1) {
            long key = st.dev() * 31 + st.inode();
            HardLink h = hardlinks.get(key);
            if (h != null) {
                int g = h.group();
                return h.first().thenApply(first -> node(name, st, xattrs, null, first.content(), first.extents(), null, g,
                        first.incomplete(), first.error()));
            }
            group = nextHardlinkGroup++;
        }
        CompletableFuture<Node> result;
        if (unchanged(st, parentNode)) {
            result = CompletableFuture.completedFuture(node(name, st, xattrs, null, parentNode.content(), parentNode.extents(),
                    null, group, false, ""));
            options.progress().update(files.get(), bytesRead.get(), st.size());
        } else {
            int g = group;
            result = CompletableFuture.supplyAsync(() -> read(dir, name, st, xattrs, g), readers).thenCompose(f -> f);
        }
        if (group != 0) {
            hardlinks.put(st.dev() * 31 + st.inode(), new HardLink(group, result));
        }
        return result;
    }

    private static boolean unchanged(FileStat st, Node p) {
        return p != null && p.type() == Node.Type.FILE && !p.incomplete() && p.size() == st.size()
                && p.mtimeNs() == nanos(st.mtime()) && p.ctimeNs() == nanos(st.ctime()) && p.inode() == st.inode();
    }

    private CompletableFuture<Node> read(Dir dir, NativeName name, FileStat st, Map<XattrName, byte[]> xattrs, int group) {
        List<CompletableFuture<byte[]>> chunks = new ArrayList<>();
        List<long[]> extents = List.of();
        String problem = "";
        try (OpenFile f = dir.openRead(name)) {
            FileStat opened = f.stat();
            if (opened.type() != FileType.FILE || opened.inode() != st.inode()) {
                errors.incrementAndGet();
                return CompletableFuture.completedFuture(node(name, st, xattrs, null, List.of(), List.of(), null, group, true,
                        "replaced while being backed up"));
            }
            List<Extent> data = f.dataExtents();
            long dataBytes = data.stream().mapToLong(Extent::length).sum();
            boolean sparse = dataBytes < opened.size();
            if (sparse) {
                extents = data.stream().map(e -> new long[] {e.offset(), e.length()}).toList();
            }
            RepoConfig.DataClass dc = repo.config().dataClassFor(name.bytes());
            List<Extent> toRead = sparse ? data : opened.size() == 0 ? List.of() : List.of(new Extent(0, opened.size()));
            chunkInto(f, toRead, dc.chunking(), dc.compressionLevel(), chunks);
            FileStat after = f.stat();
            if (after.size() != opened.size() || !after.mtime().equals(opened.mtime())) {
                problem = "changed while being backed up";
            }
        } catch (FsException e) {
            errors.incrementAndGet();
            List<long[]> ex = extents;
            return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).thenApply(v -> node(name, st, xattrs, null,
                    chunks.stream().map(CompletableFuture::join).toList(), ex, null, 0, true, "cannot read: " + e.errnoName()));
        }
        if (!problem.isEmpty()) {
            errors.incrementAndGet();
        }
        List<long[]> ex = extents;
        String why = problem;
        int g = group;
        return CompletableFuture.allOf(chunks.toArray(CompletableFuture[]::new)).thenApply(v -> node(name, st, xattrs, null,
                chunks.stream().map(CompletableFuture::join).toList(), ex, null, g, !why.isEmpty(), why));
    }

    /**
     * Reads the extents as one stream, cuts it with FastCDC and submits every chunk. Runs on a reader
     * thread: each {@code pread} fills the thread's native buffer, which is copied once into the heap
     * window the chunker cuts; each chunk is copied out of the window into a pooled array for the writer.
     */
    private void chunkInto(OpenFile f, List<Extent> extents, ChunkerParams params, int level, List<CompletableFuture<byte[]>> out) {
        ReadBuffers rb = buffers.get();
        byte[] buf = rb.window(Math.max(params.max() * 2, 4 << 20));
        MemorySegment window = MemorySegment.ofArray(buf);
        int start = 0;
        int filled = 0;
        for (Extent e : extents) {
            long pos = e.offset();
            long end = e.offset() + e.length();
            while (pos < end) {
                if (filled == buf.length) {
                    System.arraycopy(buf, start, buf, 0, filled - start);
                    filled -= start;
                    start = 0;
                }
                int want = (int) Math.min(Math.min(buf.length - filled, end - pos), READ_BUFFER);
                int n = f.read(pos, rb.read.asSlice(0, want));
                if (n <= 0) {
                    break; // the file got shorter: recorded by the caller's second stat
                }
                MemorySegment.copy(rb.read, 0, window, filled, n);
                pos += n;
                filled += n;
                long soFar = bytesRead.addAndGet(n);
                java.util.function.LongConsumer seam = afterRead;
                if (seam != null) {
                    seam.accept(soFar);
                }
                while (filled - start >= params.max()) {
                    start += submitChunk(buf, start, Chunker.cut(buf, start, filled - start, params), level, out);
                }
            }
        }
        while (filled > start) {
            start += submitChunk(buf, start, Chunker.cut(buf, start, filled - start, params), level, out);
        }
    }

    /** Copies {@code window[start, start + len)} into a pooled array and submits it; returns {@code len}. */
    private int submitChunk(byte[] window, int start, int len, int level, List<CompletableFuture<byte[]>> out) {
        byte[] chunk = writer.buffer(len);
        System.arraycopy(window, start, chunk, 0, len);
        out.add(writer.submit(BlobType.DATA, chunk, 0, len, level));
        return len;
    }

    // ------------------------------------------------------------------ nodes

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static Map<String, byte[]> xattrMap(Map<XattrName, byte[]> x) {
        Map<String, byte[]> m = new TreeMap<>();
        x.forEach((k, v) -> m.put(new String(k.bytes(), StandardCharsets.ISO_8859_1), v));
        return m;
    }

    private static Node.Type type(FileType t) {
        return switch (t) {
            case FILE -> Node.Type.FILE;
            case DIRECTORY -> Node.Type.DIRECTORY;
            case SYMLINK -> Node.Type.SYMLINK;
            case FIFO -> Node.Type.FIFO;
            case SOCKET -> Node.Type.SOCKET;
            case CHAR_DEVICE -> Node.Type.CHAR_DEVICE;
            case BLOCK_DEVICE -> Node.Type.BLOCK_DEVICE;
        };
    }

    private static Node dirNode(NativeName name, FileStat st, Map<XattrName, byte[]> xattrs, byte[] subtree, boolean incomplete,
                                String error) {
        return node(name, st, xattrs, null, List.of(), List.of(), subtree, 0, incomplete, error);
    }

    private static Node node(NativeName name, FileStat st, Map<XattrName, byte[]> xattrs, byte[] target, List<byte[]> content,
                             List<long[]> extents, byte[] subtree, int group, boolean incomplete, String error) {
        return new Node(name.bytes(), type(st.type()), st.mode() & 07777, (int) st.uid(), (int) st.gid(), "", "",
                nanos(st.mtime()), nanos(st.ctime()), st.type() == FileType.SYMLINK ? 0 : nanos(st.atime()), st.size(), st.inode(), st.dev(), (int) st.nlink(),
                st.rdev(), group, target, xattrMap(xattrs), content, extents, subtree, incomplete, error);
    }
}
