package dev.cairn.engine.restore;

import dev.cairn.engine.fs.Dir;
import dev.cairn.engine.fs.FileType;
import dev.cairn.engine.fs.FsException;
import dev.cairn.engine.fs.NativeName;
import dev.cairn.engine.fs.OpenFile;
import dev.cairn.engine.fs.XattrName;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import dev.cairn.engine.tree.TreeFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Restores a snapshot, or chosen paths of it, into a target directory with its metadata (issue 3):
 * content (sparse files keep their holes), owners (when running as root), modes, nanosecond times,
 * xattrs and POSIX ACLs, symlinks, hardlinks, FIFOs and device nodes (root). Every blob is checked on
 * the way (its tag, its length and its id). File contents are written by worker threads in parallel;
 * directory metadata is applied last, deepest first, so creating children does not disturb it.
 * An existing, non-empty target is refused unless {@code overwrite}, and then existing entries are
 * replaced, never merged into.
 *
 * <p>Damage does not stop a restore: a file whose content cannot be read (a blob missing, not indexed or
 * failing its checks) is removed from the target, never left partly written, and listed in
 * {@link Result#skipped()} as damaged with the blob's id; a directory whose tree cannot be read is not
 * created and is listed the same way with the tree's id. Everything else is restored. Only an unreadable
 * root tree fails the whole restore.
 */
public final class Restore {
    /**
     * @param paths absolute paths inside the snapshot to restore (empty: everything); bytes that are not
     *              UTF-8 as U+DC80..U+DCFF (see {@link #components})
     */
    public record Options(String tenant, String snapshot, Path target, List<String> paths, boolean overwrite, Progress progress) {
        public Options {
            paths = List.copyOf(paths);
            progress = progress == null ? Progress.NONE : progress;
        }
    }

    public interface Progress {
        Progress NONE = (files, bytes) -> { };

        void update(long files, long bytes);
    }

    /** What was restored; {@code skipped} lists what could not be (as escaped display names: shown to the operator only). */
    public record Result(Snapshot snapshot, long files, long dirs, long bytes, List<String> skipped) {
        /** True when some entry was skipped because its content or tree is damaged (the command then fails). */
        public boolean damaged() {
            return skipped.stream().anyMatch(e -> e.contains(DAMAGED));
        }
    }

    /**
     * Marks a {@link Result#skipped()} entry lost to damage: {@code "<path> (damaged: blob <64 hex>)"} or
     * {@code "<path> (damaged: tree <64 hex>)"}.
     */
    public static final String DAMAGED = " (damaged: ";

    private final Repository repo;
    private final Options options;
    private final ExecutorService workers;
    private final boolean root = "root".equals(System.getProperty("user.name"));
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong dirs = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final List<String> skipped = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, CompletableFuture<Link>> hardlinks = new HashMap<>();
    private final List<CompletableFuture<?>> tasks = new ArrayList<>();
    private final java.util.Set<String> damagedTrees = new java.util.HashSet<>();
    private final Semaphore inFlight = new Semaphore(64);

    /** The first file of a hardlink group; {@code damaged} is the blob that kept it from being written, or null. */
    private record Link(Dir dir, NativeName name, String damaged) {
    }

    /** A directory handle shared by the file tasks in it; closed when the last one is done. */
    private static final class SharedDir {
        final Dir dir;
        final AtomicInteger users = new AtomicInteger(1);

        SharedDir(Dir dir) {
            this.dir = dir;
        }

        void retain() {
            users.incrementAndGet();
        }

        void release() {
            if (users.decrementAndGet() == 0) {
                dir.close();
            }
        }
    }

    private Restore(Repository repo, Options options, ExecutorService workers) {
        this.repo = repo;
        this.options = options;
        this.workers = workers;
    }

    public static Result run(Repository repo, Options options) {
        dev.cairn.engine.backup.CryptoWarmup.start(dev.cairn.engine.backup.CryptoWarmup.Use.RESTORE); // AES-GCM and HMAC JIT-compiled before the blobs come
        Snapshot s = find(repo, options.tenant(), options.snapshot());
        prepareTarget(options.target(), options.overwrite());
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> Thread.ofPlatform().name("restore-worker").daemon().unstarted(r));
        try {
            Restore r = new Restore(repo, options, workers);
            Tree rootTree = repo.readTree(options.tenant(), s.tree());
            List<List<byte[]>> selected = options.paths().stream().map(Restore::components).toList();
            try (Dir target = Dir.open(options.target())) {
                SharedDir shared = new SharedDir(target);
                r.restoreDir(shared, rootTree, selected, 0);
                shared.release();
                try {
                    CompletableFuture.allOf(r.tasks.toArray(CompletableFuture[]::new)).join();
                } finally {
                    r.linkSources.forEach(SharedDir::release); // every hard-link member has been linked by now
                    r.scratches.forEach(Repository.BlobScratch::close); // the workers are idle: every task has completed
                }
            }
            try (Dir target = Dir.open(options.target())) {
                r.applyDirMetadata(target, rootTree, selected, 0);
            }
            return new Result(s, r.files.get(), r.dirs.get(), r.bytes.get(), List.copyOf(r.skipped));
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        } finally {
            workers.shutdownNow();
        }
    }

    /** The snapshot of {@code tenant} whose id starts with {@code prefix} ("latest" for the newest). */
    public static Snapshot find(Repository repo, String tenant, String prefix) {
        List<String> ids = repo.snapshots().ids(tenant);
        if ("latest".equals(prefix)) {
            return ids.stream().map(id -> repo.snapshots().read(tenant, id, repo.keys(tenant)))
                    .max(java.util.Comparator.comparing(Snapshot::time))
                    .orElseThrow(() -> new RepoException("tenant " + tenant + " has no snapshots"));
        }
        List<String> matches = ids.stream().filter(id -> id.startsWith(prefix)).toList();
        if (prefix.length() < 4 || matches.isEmpty()) {
            throw new RepoException("no snapshot of tenant " + tenant + " has an id starting with '" + prefix
                    + "' (give at least 4 hex digits; `cairn snapshots` lists them)");
        }
        if (matches.size() > 1) {
            throw new RepoException("'" + prefix + "' matches " + matches.size() + " snapshots; give more of the id");
        }
        return repo.snapshots().read(tenant, matches.getFirst(), repo.keys(tenant));
    }

    private static void prepareTarget(Path target, boolean overwrite) {
        try {
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new RepoException(target + " exists and is not a directory");
                }
                try (Stream<Path> s = Files.list(target)) {
                    if (s.findAny().isPresent() && !overwrite) {
                        throw new RepoException(target + " is not empty; restore into an empty directory or pass --overwrite");
                    }
                }
            } else {
                Files.createDirectories(target);
            }
        } catch (IOException e) {
            throw new RepoException("cannot prepare the restore target " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The name bytes of an absolute path given as text: UTF-8, except that a lone low surrogate
     * U+DC80..U+DCFF stands for the single byte 0x80..0xFF (PEP 383 "surrogateescape"), so a name that is
     * not UTF-8 can be given too. Valid text never holds a lone surrogate, so no UTF-8 name changes meaning.
     */
    static List<byte[]> components(String absolute) {
        List<byte[]> out = new ArrayList<>();
        for (String c : absolute.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(nameBytes(c));
            }
        }
        return out;
    }

    private static byte[] nameBytes(String s) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream(s.length());
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 0xDC80 && ch <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                b.writeBytes(s.substring(start, i).getBytes(StandardCharsets.UTF_8));
                b.write(ch - 0xDC00);
                start = i + 1;
            }
        }
        b.writeBytes(s.substring(start).getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    /** True when a node at {@code depth} named {@code name} is on or below one of the selected paths. */
    private static boolean wanted(List<List<byte[]>> selected, List<byte[]> prefix, byte[] name) {
        if (selected.isEmpty()) {
            return true;
        }
        List<byte[]> here = new ArrayList<>(prefix);
        here.add(name);
        for (List<byte[]> sel : selected) {
            int n = Math.min(sel.size(), here.size());
            boolean match = true;
            for (int i = 0; i < n; i++) {
                if (!java.util.Arrays.equals(sel.get(i), here.get(i))) {
                    match = false;
                    break;
                }
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private final List<byte[]> prefix = new ArrayList<>();
    /** Directories held open for later members of a hard-link group; released when all tasks are done. */
    private final List<SharedDir> linkSources = new ArrayList<>();

    private void restoreDir(SharedDir dir, Tree tree, List<List<byte[]>> selected, int depth) {
        for (Node n : tree.nodes()) {
            if (!wanted(selected, prefix, n.name())) {
                continue;
            }
            NativeName name = NativeName.of(n.name());
            try {
                switch (n.type()) {
                    case DIRECTORY -> {
                        Tree sub;
                        try {
                            sub = repo.readTree(options.tenant(), n.subtree());
                        } catch (PackFormatException | TreeFormatException | RepoException | UncheckedIOException e) {
                            String treeHex = HexFormat.of().formatHex(n.subtree());
                            damagedTrees.add(treeHex);
                            skipped.add(display(n) + DAMAGED + "tree " + treeHex + ")");
                            continue;
                        }
                        dirs.incrementAndGet();
                        replaceIfExists(dir.dir, name, true);
                        dir.dir.mkdir(name, 0700);
                        SharedDir child = new SharedDir(dir.dir.openDir(name));
                        prefix.add(n.name());
                        try {
                            restoreDir(child, sub, selected, depth + 1);
                        } finally {
                            prefix.removeLast();
                            child.release();
                        }
                    }
                    case FILE -> restoreFile(dir, name, n);
                    case SYMLINK -> {
                        replaceIfExists(dir.dir, name, false);
                        dir.dir.symlink(name, n.linkTarget());
                        metadata(dir.dir, name, n, false, display(n));
                    }
                    case FIFO -> {
                        replaceIfExists(dir.dir, name, false);
                        dir.dir.mkfifo(name, n.mode());
                        metadata(dir.dir, name, n, true, display(n));
                    }
                    case CHAR_DEVICE, BLOCK_DEVICE -> {
                        if (!root) {
                            skipped.add(display(n) + " (device nodes need root)");
                            continue;
                        }
                        replaceIfExists(dir.dir, name, false);
                        dir.dir.mknod(name, n.type() == Node.Type.CHAR_DEVICE ? FileType.CHAR_DEVICE : FileType.BLOCK_DEVICE,
                                n.mode(), n.rdev());
                        metadata(dir.dir, name, n, true, display(n));
                    }
                    case SOCKET -> skipped.add(display(n) + " (a socket is recreated by the program that owns it)");
                }
            } catch (FsException e) {
                throw new RepoException("restore failed at " + display(n) + ": " + e.getMessage()
                        + (e.errnoName().equals("ENOSPC") ? " (the target disk is full)" : ""), e);
            }
        }
    }

    private String display(Node n) {
        StringBuilder sb = new StringBuilder();
        for (byte[] p : prefix) {
            sb.append('/').append(Node.display(p));
        }
        return sb.append('/').append(n.displayName()).toString();
    }

    private void restoreFile(SharedDir dir, NativeName name, Node n) {
        files.incrementAndGet();
        replaceIfExists(dir.dir, name, false);
        String shown = display(n); // here: prefix changes as the walk goes on
        if (n.hardlinkGroup() != 0) {
            CompletableFuture<Link> first = hardlinks.get(n.hardlinkGroup());
            if (first != null) {
                dir.retain();
                tasks.add(first.thenAcceptAsync(l -> {
                    try {
                        if (l.damaged() != null) {
                            files.decrementAndGet();
                            skipped.add(shown + DAMAGED + "blob " + l.damaged() + ")");
                        } else {
                            dir.dir.link(l.dir(), l.name(), name);
                        }
                    } finally {
                        dir.release();
                    }
                }, workers));
                return;
            }
        }
        dir.retain();
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        CompletableFuture<String> t = CompletableFuture.supplyAsync(() -> {
            try {
                String damaged = writeContent(dir.dir, name, n);
                if (damaged == null) {
                    metadata(dir.dir, name, n, true, shown); // a worker thread: the path was captured above
                } else {
                    files.decrementAndGet();
                    skipped.add(shown + DAMAGED + "blob " + damaged + ")");
                }
                return damaged;
            } finally {
                inFlight.release();
            }
        }, workers);
        if (n.hardlinkGroup() != 0) {
            // later members of the group link to this file: keep its directory open until the restore ends
            dir.retain();
            linkSources.add(dir);
            CompletableFuture<Link> link = t.thenApply(damaged -> new Link(dir.dir, name, damaged));
            hardlinks.put(n.hardlinkGroup(), link);
            tasks.add(link.thenRun(() -> { }));
        }
        tasks.add(t.whenComplete((v, e) -> dir.release()));
    }

    /**
     * Writes the file's content. Returns null, or the id (hex) of the first blob that cannot be read: the
     * file is then removed, so no partial or wrong file is left behind.
     */
    private String writeContent(Dir dir, NativeName name, Node n) {
        byte[] damaged = null;
        long written = 0;
        try (OpenFile f = dir.create(name, 0600)) {
            long pos = 0;
            int extent = 0;
            long extentLeft = n.extents().isEmpty() ? Long.MAX_VALUE : n.extents().getFirst()[1];
            if (!n.extents().isEmpty()) {
                pos = n.extents().getFirst()[0];
            }
            Repository.BlobScratch sc = scratch.get();
            int tenantNo = repo.tenantNo(options.tenant());
            for (byte[] id : n.content()) {
                byte[] data;
                int length;
                try {
                    RepoIndex.Location loc = repo.index().find(tenantNo, BlobType.DATA, id);
                    if (loc == null) {
                        damaged = id; // unindexed: verify names the cause
                        break;
                    }
                    length = repo.readBlob(options.tenant(), loc, sc);
                    data = sc.data();
                } catch (PackFormatException | RepoException | UncheckedIOException e) {
                    damaged = id; // missing, unindexed or failing its checks: verify names the cause
                    break;
                }
                int off = 0;
                while (off < length) {
                    if (extentLeft == 0) {
                        extent++;
                        if (extent >= n.extents().size()) {
                            throw new RepoException("the snapshot's content of " + n.displayName() + " is longer than its extents");
                        }
                        pos = n.extents().get(extent)[0];
                        extentLeft = n.extents().get(extent)[1];
                    }
                    int len = (int) Math.min(length - off, extentLeft);
                    write(f, pos, data, off, len);
                    pos += len;
                    off += len;
                    extentLeft -= len;
                }
                bytes.addAndGet(length);
                written += length;
            }
            if (damaged == null) {
                f.setLength(n.size());
                options.progress().update(files.get(), bytes.get());
            }
        }
        if (damaged == null) {
            return null;
        }
        bytes.addAndGet(-written);
        dir.unlink(name);
        return HexFormat.of().formatHex(damaged);
    }

    /** Bytes copied into a worker's native buffer per pwrite; OpenFile.write of a byte[] would allocate one per call. */
    private static final int WRITE_BUFFER = 1 << 20;
    private final ThreadLocal<MemorySegment> writeBuffers = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(WRITE_BUFFER));
    /** Each worker's blob buffers and zstd context (a blob then costs no allocation); closed at the end of the restore. */
    private final java.util.Queue<Repository.BlobScratch> scratches = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final ThreadLocal<Repository.BlobScratch> scratch = ThreadLocal.withInitial(() -> {
        Repository.BlobScratch s = new Repository.BlobScratch();
        scratches.add(s);
        return s;
    });

    /** {@code f.write(pos, data, off, len)} through this worker's reused native buffer. */
    private void write(OpenFile f, long pos, byte[] data, int off, int len) {
        MemorySegment buf = writeBuffers.get();
        for (int done = 0; done < len; ) {
            int n = (int) Math.min(len - done, buf.byteSize());
            MemorySegment.copy(data, off + done, buf, ValueLayout.JAVA_BYTE, 0, n);
            f.write(pos + done, buf.asSlice(0, n));
            done += n;
        }
    }

    private void metadata(Dir dir, NativeName name, Node n, boolean modeToo, String shown) {
        if (root) {
            try {
                dir.chown(name, Integer.toUnsignedLong(n.uid()), Integer.toUnsignedLong(n.gid()));
            } catch (FsException e) {
                skipped.add(shown + " (owner: " + e.errnoName() + ")");
            }
        }
        if (modeToo) {
            dir.chmod(name, n.mode());
        }
        if (!n.xattrs().isEmpty()) {
            Map<XattrName, byte[]> x = new TreeMap<>();
            n.xattrs().forEach((k, v) -> x.put(XattrName.of(k.getBytes(StandardCharsets.ISO_8859_1)), v));
            try {
                dir.setXattrs(name, x);
            } catch (FsException e) {
                skipped.add(shown + " (xattrs: " + e.errnoName() + ")");
            }
        }
        dir.setTimes(name, n.mtimeNs(), n.atimeNs() == 0 ? n.mtimeNs() : n.atimeNs());
    }

    private void replaceIfExists(Dir dir, NativeName name, boolean wantDir) {
        if (!options.overwrite()) {
            return;
        }
        try {
            var st = dir.stat(name);
            if (st.type() == FileType.DIRECTORY) {
                if (!wantDir) {
                    throw new RepoException("cannot restore over the directory " + name.display() + " with a non-directory");
                }
                throw new RepoException("the target already holds a directory " + name.display()
                        + "; --overwrite replaces files, restore into an empty directory to replace directories");
            }
            dir.unlink(name);
        } catch (FsException e) {
            if (!e.errnoName().equals("ENOENT")) {
                throw e;
            }
        }
    }

    /** Post-order: a directory's mode, owner, xattrs and times after everything in it exists. */
    private void applyDirMetadata(Dir dir, Tree tree, List<List<byte[]>> selected, int depth) {
        for (Node n : tree.nodes()) {
            if (n.type() != Node.Type.DIRECTORY || !wanted(selected, prefix, n.name())
                    || damagedTrees.contains(HexFormat.of().formatHex(n.subtree()))) {
                continue;
            }
            NativeName name = NativeName.of(n.name());
            prefix.add(n.name());
            try (Dir child = dir.openDir(name)) {
                applyDirMetadata(child, repo.readTree(options.tenant(), n.subtree()), selected, depth + 1);
            } finally {
                prefix.removeLast();
            }
            metadata(dir, name, n, true, display(n));
        }
    }

    /** Writes one file of a snapshot to {@code out} (for `cairn restore --to-stdout`). */
    public static long fileTo(Repository repo, String tenant, String snapshot, String path, OutputStream out) {
        Snapshot s = find(repo, tenant, snapshot);
        Tree t = repo.readTree(tenant, s.tree());
        Node n = null;
        List<byte[]> parts = components(path);
        for (int i = 0; i < parts.size(); i++) {
            n = t.find(parts.get(i));
            if (n == null) {
                throw new RepoException("snapshot " + s.shortId() + " has no " + path);
            }
            if (i < parts.size() - 1) {
                if (n.type() != Node.Type.DIRECTORY) {
                    throw new RepoException("snapshot " + s.shortId() + " has no " + path);
                }
                t = repo.readTree(tenant, n.subtree());
            }
        }
        if (n == null || n.type() != Node.Type.FILE) {
            throw new RepoException(path + " is not a file in snapshot " + s.shortId());
        }
        long written = 0;
        try {
            if (n.extents().isEmpty()) {
                for (byte[] id : n.content()) {
                    byte[] d = repo.readBlob(tenant, BlobType.DATA, id);
                    out.write(d);
                    written += d.length;
                }
            } else {
                // a sparse file: zeros between its extents
                java.io.ByteArrayOutputStream dataStream = new java.io.ByteArrayOutputStream();
                long pos = 0;
                int idx = 0;
                byte[] pending = new byte[0];
                int pendingOff = 0;
                for (long[] e : n.extents()) {
                    for (long z = pos; z < e[0]; z += 65536) {
                        int len = (int) Math.min(65536, e[0] - z);
                        out.write(new byte[len]);
                        written += len;
                    }
                    long left = e[1];
                    while (left > 0) {
                        if (pendingOff == pending.length) {
                            pending = repo.readBlob(tenant, BlobType.DATA, n.content().get(idx++));
                            pendingOff = 0;
                        }
                        int len = (int) Math.min(left, pending.length - pendingOff);
                        out.write(pending, pendingOff, len);
                        pendingOff += len;
                        left -= len;
                        written += len;
                    }
                    pos = e[0] + e[1];
                }
                for (long z = pos; z < n.size(); z += 65536) {
                    int len = (int) Math.min(65536, n.size() - z);
                    out.write(new byte[len]);
                    written += len;
                }
                dataStream.close();
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }
}
