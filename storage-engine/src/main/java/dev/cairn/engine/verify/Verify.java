package dev.cairn.engine.verify;

import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.pack.PackReader;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.tree.Tree;
import dev.cairn.engine.tree.TreeFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies a repository ({@code cairn verify}; docs/formats/repository.md, "Verification and rebuild").
 *
 * <p><b>Structure</b> (always): every snapshot of every tenant is read; every tree they reach is read once;
 * every blob a tree references (and every tree) must be in the index, in a pack file that exists, within that
 * file, and listed at the same place by the pack's footer (each footer is read once and kept in compact
 * form). Every pack the index lists must exist and have the size it records; every pack file must be in the
 * index. <b>Read-data</b> ({@link Options#readData}): every pack file (or a {@link Subset}) is read front to
 * back, two packs at a time, and every blob is decrypted, its tag checked, decompressed and hashed to its id.
 * Last, the snapshots are walked with paths to name, for every finding that loses content, the snapshots and
 * the files or directories it hits.
 *
 * <p>Verification only reads: it never repairs and never writes to the repository. It takes the repository
 * as the caller opened it (a shared lock suffices) and may run while backups run in the same process: it
 * checks the snapshots and pack files that existed when it started (a snapshot is written only after its
 * blobs are durable and indexed, format rule 2), and a pack that appears meanwhile is not a finding.
 */
public final class Verify {
    /** At most this many paths are listed per snapshot and finding; the rest are counted. */
    public static final int MAX_PATHS_PER_HIT = 1000;
    /** Packs read at the same time by read-data: one per core of the appliance. */
    static final int PARALLEL_PACKS = 2;
    /**
     * A pack file written shortly before verification started may still be on its way into the index (it is
     * renamed into packs/ first, format rule 1). Such a file is waited for this long before it counts as
     * not indexed.
     */
    static final long PUBLISH_GRACE_MS = 10_000;
    /** Pack files younger than this (at the start) are given the grace above. */
    static final long YOUNG_PACK_MS = 60_000;

    /**
     * @param readData read and check every blob (or the subset's packs)
     * @param subset   null for every pack; else the part of the packs read-data reads (structure is always whole)
     * @param tenant   null for every tenant; else only its snapshots and packs
     * @param progress called as packs are done; may be null
     */
    public record Options(boolean readData, Subset subset, String tenant, Progress progress) {
        public Options {
            progress = progress == null ? Progress.NONE : progress;
        }

        public static Options structure() {
            return new Options(false, null, null, null);
        }

        public static Options readAll() {
            return new Options(true, null, null, null);
        }
    }

    /**
     * Progress: packs done, and with read-data the bytes read of the total to read. The structure check
     * first reports the indexed packs whose footers it read, with 0 bytes and a total of -1 (unknown). May be
     * called from the read-data worker threads, concurrently.
     */
    public interface Progress {
        Progress NONE = (packs, bytes, total) -> { };

        void update(long packsDone, long bytesDone, long totalBytes);
    }

    private final Repository repo;
    private final Options options;
    private final RepoIndex index;
    private final Findings findings = new Findings();
    private final Map<String, PackState> packs = new HashMap<>();
    private final Map<String, List<Snapshot>> snapshots = new LinkedHashMap<>();
    private final Map<String, List<RepoIndex.Location>> indexedByPack = new HashMap<>();
    private final Map<Integer, String> tenantNames = new HashMap<>();
    private long trees;
    private long blobs;
    private long packsRead;
    private final AtomicLong bytesRead = new AtomicLong();

    private Verify(Repository repo, Options options) {
        this.repo = repo;
        this.options = options;
        this.index = repo.index();
        repo.config().tenants().forEach((name, no) -> tenantNames.put(no, name));
    }

    /** Runs the checks {@code options} ask for and reports what was found. Never writes to the repository. */
    public static VerifyReport run(Repository repo, Options options) {
        if (options.tenant() != null) {
            repo.tenantNo(options.tenant()); // an unknown tenant is a usage error, not a clean report
        }
        return new Verify(repo, options).go();
    }

    private VerifyReport go() {
        long startMillis = repo.clock().millis();
        List<byte[]> files = repo.packFiles(); // what exists now; packs written later are not looked at
        if (repo.indexIncomplete()) {
            findings.repository(VerifyReport.Kind.INDEX_INCOMPLETE, "the index is incomplete (its directory was deleted,"
                    + " or a rebuild did not finish): run `cairn repo rebuild-index`");
        }
        checkIndexedPacks();
        for (String tenant : tenants()) {
            checkSnapshots(tenant);
        }
        checkUnindexedFiles(files, startMillis);
        if (options.readData()) {
            readData(files);
        }
        for (String tenant : tenants()) {
            Map<String, List<Findings.Draft>> wanted = findings.wanted(tenant);
            if (!wanted.isEmpty()) {
                HitFinder hits = new HitFinder(repo, tenant, wanted);
                snapshots.getOrDefault(tenant, List.of()).forEach(hits::walk);
            }
        }
        long snapshotCount = snapshots.values().stream().mapToLong(List::size).sum();
        return new VerifyReport(findings.build(), new VerifyReport.Counts(snapshotCount, trees, blobs, packs.size(),
                packsRead, bytesRead.get()));
    }

    private List<String> tenants() {
        return options.tenant() != null ? List.of(options.tenant()) : repo.tenants();
    }

    private boolean tenantWanted(String tenant) {
        return options.tenant() == null || tenant == null || options.tenant().equals(tenant);
    }

    // ------------------------------------------------------------------ packs and index

    /** Every pack the index lists: its file exists, has the recorded size, and its footer reads. */
    private void checkIndexedPacks() {
        List<RepoIndex.Pack> listed = new ArrayList<>();
        index.forEachPack(listed::add);
        long done = 0;
        for (RepoIndex.Pack p : listed) {
            if (tenantWanted(tenantNames.get(p.tenantNo()))) {
                packState(p.id(), p);
                options.progress().update(++done, 0, -1);
            }
        }
    }

    /** The pack's state, read on first use; a problem of the pack is recorded as a finding then. */
    private PackState packState(byte[] id, RepoIndex.Pack indexed) {
        String hex = HexFormat.of().formatHex(id);
        PackState s = packs.get(hex);
        if (s == null) {
            RepoIndex.Pack known = indexed != null ? indexed : index.pack(id);
            s = PackState.load(repo, id, known);
            packs.put(hex, s);
            if (s.problem != null && known != null) {
                String tenant = tenantNames.get(known.tenantNo());
                String detail = s.problem == VerifyReport.Kind.PACK_MISSING ? "the index lists it, but the pack file is missing"
                        : s.problemDetail;
                findings.pack(s.problem, tenant, id, detail);
            }
        }
        return s;
    }

    /**
     * Pack files in packs/ (at the start) that the index does not list. Checked last, so that a pack a backup
     * renamed into place just before verification started has been indexed since; a young one still missing
     * is waited for a little.
     */
    private void checkUnindexedFiles(List<byte[]> files, long startMillis) {
        long deadline = System.nanoTime() + PUBLISH_GRACE_MS * 1_000_000;
        for (byte[] id : files) {
            if (index.pack(id) != null) {
                continue;
            }
            Path path = repo.packPath(id);
            if (!repo.indexIncomplete() && young(path, startMillis)) {
                while (index.pack(id) == null && System.nanoTime() < deadline) {
                    sleep();
                }
                if (index.pack(id) != null) {
                    continue;
                }
            }
            PackState s = packState(id, null);
            if (!tenantWanted(s.tenant)) {
                continue;
            }
            String why = "the pack file is not in the index";
            if (s.tenant != null && !repo.config().tenants().containsKey(s.tenant)) {
                why += "; it belongs to tenant " + s.tenant + ", which this repository does not know";
            } else if (!s.footerRead()) {
                why += "; " + s.problemDetail;
            } else {
                why += " (its footer reads: `cairn repo rebuild-index` adds it)";
            }
            findings.pack(VerifyReport.Kind.PACK_NOT_INDEXED, s.tenant, id, why);
        }
    }

    private boolean young(Path path, long startMillis) {
        try {
            return Files.getLastModifiedTime(path).toMillis() > startMillis - YOUNG_PACK_MS;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ snapshots and trees

    private void checkSnapshots(String tenant) {
        List<Snapshot> readable = new ArrayList<>();
        for (String id : repo.snapshots().ids(tenant)) {
            try {
                readable.add(repo.snapshots().read(tenant, id, repo.keys(tenant)));
            } catch (PackFormatException | UncheckedIOException e) {
                if (Files.exists(repo.snapshots().file(tenant, id))) { // else forgotten meanwhile (forget may run beside verify)
                    findings.snapshot(tenant, id, e.getMessage());
                }
            }
        }
        readable.sort(Comparator.comparing(Snapshot::time).thenComparing(Snapshot::id));
        snapshots.put(tenant, readable);
        int tenantNo = repo.tenantNo(tenant);
        IdSet treesSeen = new IdSet();
        IdSet dataSeen = new IdSet();
        Deque<byte[]> todo = new ArrayDeque<>();
        for (Snapshot s : readable) {
            todo.push(s.tree());
            while (!todo.isEmpty()) {
                byte[] treeId = todo.pop();
                if (!treesSeen.add(treeId)) {
                    continue;
                }
                Tree t = readTree(tenant, tenantNo, treeId);
                if (t == null) {
                    continue;
                }
                for (Node n : t.nodes()) {
                    if (n.type() == Node.Type.DIRECTORY && n.subtree() != null) {
                        todo.push(n.subtree());
                    }
                    for (byte[] id : n.content()) {
                        if (dataSeen.add(id)) {
                            checkBlob(tenant, tenantNo, BlobType.DATA, id);
                        }
                    }
                }
            }
        }
    }

    /** Checks a tree blob's place, then reads it; null (and a finding) when it cannot be used. */
    private Tree readTree(String tenant, int tenantNo, byte[] id) {
        RepoIndex.Location loc = checkBlob(tenant, tenantNo, BlobType.TREE, id);
        if (loc == null) {
            return null;
        }
        try {
            Tree t = repo.readTree(tenant, id);
            trees++;
            return t;
        } catch (PackFormatException | TreeFormatException | RepoException | UncheckedIOException e) {
            findings.blob(VerifyReport.Kind.TREE_UNREADABLE, tenant, loc.packId(), BlobType.TREE, id, e.getMessage(), true);
            return null;
        }
    }

    /**
     * The structure checks of one referenced blob. Returns its location when a reader can at least try it
     * (a pack whose footer is damaged is a finding of its own; read-data says which of its blobs are lost),
     * or null with a finding that names what is wrong.
     */
    private RepoIndex.Location checkBlob(String tenant, int tenantNo, BlobType type, byte[] id) {
        blobs++;
        RepoIndex.Location loc = index.find(tenantNo, type, id);
        if (loc == null) {
            findings.blob(VerifyReport.Kind.BLOB_NOT_IN_INDEX, tenant, null, type, id, "referenced, but not in the index", true);
            return null;
        }
        PackState p = packState(loc.packId(), null);
        if (!p.exists) {
            findings.blob(VerifyReport.Kind.PACK_MISSING, tenant, loc.packId(), type, id, "its pack file is missing", true);
            return null;
        }
        if (p.problem == VerifyReport.Kind.PACK_UNREADABLE) {
            findings.blob(VerifyReport.Kind.PACK_UNREADABLE, tenant, loc.packId(), type, id, "its pack file cannot be read", true);
            return null;
        }
        if (loc.offset() + loc.storedLength() > p.fileSize) {
            findings.blob(VerifyReport.Kind.BLOB_OUT_OF_RANGE, tenant, loc.packId(), type, id, "the index places it at bytes "
                    + loc.offset() + ".." + (loc.offset() + loc.storedLength()) + ", the pack file has " + p.fileSize, true);
            return null;
        }
        if (!p.footerRead()) {
            return loc;
        }
        if (p.tenant != null && !p.tenant.equals(tenant)) {
            findings.blob(VerifyReport.Kind.INDEX_MISMATCH, tenant, loc.packId(), type, id, "the index places it in a pack of tenant "
                    + p.tenant, true);
            return null;
        }
        if (!p.lists(loc)) {
            findings.blob(VerifyReport.Kind.INDEX_MISMATCH, tenant, loc.packId(), type, id, "the pack's footer does not list it as blob "
                    + loc.index() + " where the index places it", true);
            return null;
        }
        return loc;
    }

    // ------------------------------------------------------------------ read-data

    private void readData(List<byte[]> files) {
        List<byte[]> chosen = new ArrayList<>();
        long total = 0;
        for (byte[] id : files) {
            if (options.subset() != null && !options.subset().contains(id)) {
                continue;
            }
            String tenant = packTenant(id);
            if (!tenantWanted(tenant)) {
                continue;
            }
            chosen.add(id);
            total += sizeOf(id);
        }
        long totalBytes = total;
        AtomicLong done = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PACKS, r -> Thread.ofPlatform().name("verify-read").daemon().unstarted(r));
        try {
            List<Future<?>> work = new ArrayList<>();
            for (byte[] id : chosen) {
                work.add(pool.submit(() -> {
                    DataCheck.Outcome o = DataCheck.check(repo, id, () -> indexedIn(id));
                    record(id, o);
                    long bytes = bytesRead.addAndGet(o.bytesRead());
                    options.progress().update(done.incrementAndGet(), bytes, totalBytes);
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        packsRead = chosen.size();
    }

    /** The pack's tenant from its header, else from the index; null when neither knows. */
    private String packTenant(byte[] id) {
        try {
            return PackReader.readHeader(repo.packPath(id)).tenant();
        } catch (PackFormatException | UncheckedIOException e) {
            RepoIndex.Pack p = index.pack(id);
            return p == null ? null : tenantNames.get(p.tenantNo());
        }
    }

    private long sizeOf(byte[] id) {
        try {
            return Files.size(repo.packPath(id));
        } catch (IOException e) {
            return 0;
        }
    }

    private void record(byte[] packId, DataCheck.Outcome o) {
        String tenant = o.tenant();
        if (tenant == null) {
            RepoIndex.Pack p = index.pack(packId);
            tenant = p == null ? null : tenantNames.get(p.tenantNo());
        }
        Integer tenantNo = tenant == null ? null : repo.config().tenants().get(tenant);
        for (DataCheck.Problem p : o.problems()) {
            if (p.entry() == null) {
                findings.pack(p.kind(), tenant, packId, p.detail());
                continue;
            }
            // name what it hits only when restores use this copy (the index may point at a sound one elsewhere)
            RepoIndex.Location used = tenantNo == null ? null : index.find(tenantNo, p.entry().type(), p.entry().id());
            boolean inUse = used != null && Arrays.equals(used.packId(), packId) && used.offset() == p.entry().offset();
            String detail = inUse || used == null ? p.detail() : p.detail() + "; restores use another copy, in pack "
                    + HexFormat.of().formatHex(used.packId(), 0, 8);
            findings.blob(p.kind(), tenant, packId, p.entry().type(), p.entry().id(), detail, inUse);
        }
    }

    /** The blobs the index places in {@code packId}, in file order (for a pack whose footer cannot be read). */
    private List<RepoIndex.Location> indexedIn(byte[] packId) {
        String hex = HexFormat.of().formatHex(packId);
        synchronized (indexedByPack) {
            List<RepoIndex.Location> known = indexedByPack.get(hex);
            if (known != null) {
                return known;
            }
            RepoIndex.Pack p = index.pack(packId);
            List<RepoIndex.Location> out = new ArrayList<>();
            if (p != null) {
                index.forEachBlob(p.tenantNo(), l -> {
                    if (Arrays.equals(l.packId(), packId)) {
                        out.add(l);
                    }
                });
                out.sort(Comparator.comparingLong(RepoIndex.Location::offset));
            }
            indexedByPack.put(hex, out);
            return out;
        }
    }
}
