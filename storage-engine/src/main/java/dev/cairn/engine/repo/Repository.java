package dev.cairn.engine.repo;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.cairn.engine.crypto.TenantKeys;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.Compression;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.pack.PackInfo;
import dev.cairn.engine.pack.PackReader;
import dev.cairn.engine.snapshot.SnapshotStore;
import dev.cairn.engine.tree.Tree;
import dev.cairn.hsm.KeyVault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * An open repository (docs/formats/repository.md): its configuration, index, snapshot store, the keys of
 * its tenants, and blob reads. Opening empties {@code tmp/} and indexes packs a crash left unindexed
 * (not while {@link #INDEX_INCOMPLETE} exists: a deleted index opens empty until rebuild-index).
 *
 * <h2>Locking table</h2>
 * One {@code Repository} per process (RocksDB allows one writer per directory; other processes wait);
 * within the process, operations share it from several threads.
 * <table>
 * <caption>which operations may run together</caption>
 * <tr><th>operation</th><th>repo.lock</th><th>may overlap with</th><th>why it is safe</th></tr>
 * <tr><td>backup</td><td>shared</td><td>backup (other source), restore, verify, forget, lock</td>
 *     <td>packs are new files named by content; index writes are atomic batches; a snapshot is written last</td></tr>
 * <tr><td>restore, ls, diff, find</td><td>shared</td><td>everything but prune and rebuild</td><td>read only</td></tr>
 * <tr><td>verify</td><td>shared</td><td>backup, restore, forget</td>
 *     <td>reads what a snapshot references, and a snapshot is written only after its packs are durable and indexed</td></tr>
 * <tr><td>forget, lock</td><td>shared</td><td>backup, restore, verify</td><td>they touch snapshot and lock files only</td></tr>
 * <tr><td>prune, rebuild-index</td><td>exclusive</td><td>nothing</td><td>they delete packs and index entries</td></tr>
 * </table>
 */
public final class Repository implements AutoCloseable {
    public enum LockMode { SHARED, EXCLUSIVE }

    /**
     * A file in the repository directory that says the index is known to be incomplete: its directory was
     * missing at open while packs existed, or a rebuild-index did not finish. While it exists, opening does
     * not index packs (format rule 3) so that verify reports the gap instead of it being silently filled;
     * {@code cairn repo rebuild-index} removes it (docs/formats/repository.md, "Verification and rebuild").
     */
    public static final String INDEX_INCOMPLETE = "index.incomplete";

    private final Path dir;
    private final KeyVault vault;
    private final SecureRandom random;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final RepoIndex index;
    private final SnapshotStore snapshots;
    private final Map<String, TenantKeys> keys = new ConcurrentHashMap<>();
    private final Map<String, OpenPack> openPacks = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OpenPack> eldest) {
            if (size() > 64) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    });
    private volatile RepoConfig config;

    private record OpenPack(FileChannel channel, byte[] headerHash, SecretKey key, String tenant) {
        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private Repository(Path dir, RepoConfig config, KeyVault vault, SecureRandom random, Clock clock, FileChannel lockChannel,
                       FileLock lock, RepoIndex index) {
        this.dir = dir;
        this.config = config;
        this.vault = vault;
        this.random = random;
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.index = index;
        this.snapshots = new SnapshotStore(dir, random);
    }

    /**
     * Creates a new, empty repository in {@code dir} (absent or empty).
     */
    public static void init(Path dir, Clock clock, SecureRandom random) {
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> s = Files.list(dir)) {
                    if (s.findAny().isPresent()) {
                        throw new RepoException(dir + " is not empty; a repository is created in an empty or new directory");
                    }
                }
            }
            for (String d : List.of("", "packs", "snapshots", "locks", "tmp")) {
                Files.createDirectories(dir.resolve(d), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            byte[] id = new byte[32];
            random.nextBytes(id);
            AtomicFiles.write(dir.resolve("tmp"), dir.resolve("config.json"),
                    RepoConfig.fresh(HexFormat.of().formatHex(id), clock.instant()).encode());
        } catch (IOException e) {
            throw new RepoException("cannot create a repository in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the repository in {@code dir}: takes {@code repo.lock} in {@code mode}, opens the index,
     * empties tmp/ (shared mode leaves files younger than a minute: another thread may be writing) and
     * indexes packs missing from the index.
     */
    public static Repository open(Path dir, KeyVault vault, LockMode mode, Clock clock, SecureRandom random) {
        Path configFile = dir.resolve("config.json");
        RepoConfig config;
        try {
            config = RepoConfig.decode(Files.readAllBytes(configFile), configFile);
        } catch (NoSuchFileException e) {
            throw new RepoException(dir + " is not a Cairn repository (no config.json); create one with `cairn repo init`", e);
        } catch (IOException e) {
            throw new RepoException("cannot read " + configFile + ": " + e.getMessage(), e);
        }
        FileChannel ch = null;
        FileLock lock = null;
        RepoIndex index = null;
        try {
            ch = FileChannel.open(dir.resolve("repo.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            lock = ch.tryLock(0, Long.MAX_VALUE, mode == LockMode.SHARED);
            if (lock == null) {
                lock = waitForLock(ch, mode);
            }
            Path marker = dir.resolve(INDEX_INCOMPLETE);
            if (!Files.isDirectory(dir.resolve("index")) && !Files.exists(marker) && hasPacks(dir)) {
                Files.createDirectories(dir.resolve("tmp"));
                AtomicFiles.write(dir.resolve("tmp"), marker, "the index directory was missing; run `cairn repo rebuild-index`\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            index = RepoIndex.open(dir.resolve("index"));
            Repository r = new Repository(dir, config, vault, random, clock, ch, lock, index);
            r.cleanTmp(mode == LockMode.EXCLUSIVE);
            if (!Files.exists(marker)) {
                r.indexUnindexedPacks();
            }
            return r;
        } catch (IOException e) {
            closeQuietly(lock, ch, index);
            throw new RepoException("cannot open the repository " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(lock, ch, index);
            throw e;
        }
    }

    private static boolean hasPacks(Path dir) throws IOException {
        Path packs = dir.resolve("packs");
        if (!Files.isDirectory(packs)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(packs, 2)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".pack"));
        }
    }

    private static FileLock waitForLock(FileChannel ch, LockMode mode) throws IOException {
        System.err.println("cairn: waiting for another process that holds the repository "
                + (mode == LockMode.EXCLUSIVE ? "(prune or rebuild needs it alone)" : "(a prune or rebuild is running)"));
        return ch.lock(0, Long.MAX_VALUE, mode == LockMode.SHARED);
    }

    private static void closeQuietly(FileLock lock, FileChannel ch, RepoIndex index) {
        if (index != null) {
            index.close();
        }
        try {
            if (lock != null) {
                lock.release();
            }
            if (ch != null) {
                ch.close();
            }
        } catch (IOException ignored) {
            // opening failed anyway
        }
    }

    public Path dir() {
        return dir;
    }

    /** How {@code repo.lock} is held: prune and rebuild-index refuse to run without {@link LockMode#EXCLUSIVE}. */
    public LockMode lockMode() {
        return lock.isShared() ? LockMode.SHARED : LockMode.EXCLUSIVE;
    }

    public RepoConfig config() {
        return config;
    }

    public RepoIndex index() {
        return index;
    }

    /** True while {@link #INDEX_INCOMPLETE} exists: the index lacks packs and only rebuild-index completes it. */
    public boolean indexIncomplete() {
        return Files.exists(dir.resolve(INDEX_INCOMPLETE));
    }

    public SnapshotStore snapshots() {
        return snapshots;
    }

    public KeyVault vault() {
        return vault;
    }

    public SecureRandom random() {
        return random;
    }

    public Clock clock() {
        return clock;
    }

    public Path tmp() {
        return dir.resolve("tmp");
    }

    /** Registers a tenant (its KEK and data keys must exist in the key plane). */
    public synchronized int addTenant(String tenant) {
        dev.cairn.hsm.TenantId.check(tenant);
        vault.dataKey(tenant, dev.cairn.hsm.KeyPurpose.DATA).close(); // fails clearly when the tenant has no keys
        RepoConfig next = config.withTenant(tenant);
        if (next != config) {
            AtomicFiles.write(tmp(), dir.resolve("config.json"), next.encode());
            config = next;
        }
        return config.tenants().get(tenant);
    }

    public int tenantNo(String tenant) {
        Integer n = config.tenants().get(tenant);
        if (n == null) {
            throw new RepoException("tenant " + tenant + " is not in this repository; add it with `cairn repo add-tenant`");
        }
        return n;
    }

    public List<String> tenants() {
        return new ArrayList<>(config.tenants().keySet());
    }

    /** The tenant's keys, fetched from the key plane once and kept until close. */
    public TenantKeys keys(String tenant) {
        tenantNo(tenant);
        return keys.computeIfAbsent(tenant, t -> new TenantKeys(t, vault));
    }

    public Path packPath(byte[] packId) {
        return dir.resolve(PackInfo.relativePath(packId));
    }

    /** Opens a pack with the key its header asks for. */
    public PackReader openPack(byte[] packId) {
        return PackReader.open(packPath(packId), h -> keys(h.tenant()).derive(h.keyVersion(), h.salt(), PackFormat.KEY_INFO));
    }

    /**
     * The plaintext of a blob of {@code tenant}: found in the index, decrypted, decompressed and checked
     * against its id.
     *
     * @throws RepoException when the index does not know it
     * @throws PackFormatException when its pack is missing, damaged, or the content does not match the id
     */
    public byte[] readBlob(String tenant, BlobType type, byte[] id) {
        RepoIndex.Location loc = index.find(tenantNo(tenant), type, id);
        if (loc == null) {
            throw new RepoException(type + " blob " + HexFormat.of().formatHex(id, 0, 8) + " of tenant " + tenant
                    + " is not in the index; run `cairn verify`");
        }
        return readBlob(tenant, loc);
    }

    public byte[] readBlob(String tenant, RepoIndex.Location loc) {
        try (BlobScratch scratch = new BlobScratch()) {
            int n = readBlob(tenant, loc, scratch);
            return n == scratch.plain.length ? scratch.plain : Arrays.copyOf(scratch.plain, n);
        }
    }

    /**
     * Reusable arrays for {@link #readBlob(String, RepoIndex.Location, BlobScratch)}: one per thread that
     * reads many blobs (a restore worker), so a blob costs no allocation. Close it to free its zstd
     * context. Not thread safe.
     */
    public static final class BlobScratch implements AutoCloseable {
        private byte[] stored = new byte[0];
        private byte[] decrypted = new byte[0];
        private byte[] plain = new byte[0];
        private ZstdDecompressCtx zstd;

        /** The plaintext of the last blob read, in {@code [0, length)}; overwritten by the next read. */
        public byte[] data() {
            return plain;
        }

        @Override
        public void close() {
            if (zstd != null) {
                zstd.close();
                zstd = null;
            }
        }

        private static byte[] atLeast(byte[] a, int n) {
            return a.length >= n ? a : new byte[Math.max(n, a.length + (a.length >> 1))];
        }
    }

    /**
     * {@link #readBlob(String, RepoIndex.Location)} into {@code scratch}: the plaintext is
     * {@code scratch.data()[0, returned length)}, valid until the next read with the same scratch.
     */
    public int readBlob(String tenant, RepoIndex.Location loc, BlobScratch scratch) {
        OpenPack p = openPackFor(loc.packId());
        String pack = HexFormat.of().formatHex(loc.packId(), 0, 8);
        if (!p.tenant.equals(tenant)) {
            throw new PackFormatException("pack " + pack + " belongs to tenant " + p.tenant + ", not " + tenant);
        }
        try {
            int stored = loc.storedLength();
            scratch.stored = BlobScratch.atLeast(scratch.stored, stored);
            ByteBuffer b = ByteBuffer.wrap(scratch.stored, 0, stored);
            while (b.hasRemaining()) {
                if (p.channel.read(b, loc.offset() + b.position()) < 0) {
                    throw new PackFormatException("pack " + pack + " is truncated: blob " + loc.index() + " runs past its end");
                }
            }
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, p.key, new GCMParameterSpec(128, ByteBuffer.allocate(12).putInt(0).putLong(loc.index()).array()));
            c.updateAAD(ByteBuffer.allocate(70).put(p.headerHash).put((byte) loc.type().code()).put(loc.id())
                    .put((byte) loc.compression().code()).putInt(loc.rawLength()).array());
            int raw = loc.rawLength();
            int n;
            if (loc.compression() == Compression.ZSTD) {
                scratch.decrypted = BlobScratch.atLeast(scratch.decrypted, stored);
                int sealed = c.doFinal(scratch.stored, 0, stored, scratch.decrypted, 0);
                scratch.plain = BlobScratch.atLeast(scratch.plain, raw);
                if (scratch.zstd == null) {
                    scratch.zstd = new ZstdDecompressCtx();
                }
                try {
                    n = scratch.zstd.decompressByteArray(scratch.plain, 0, raw, scratch.decrypted, 0, sealed);
                } catch (ZstdException e) {
                    throw new PackFormatException("blob " + loc.index() + " of pack " + pack + " does not decompress", e);
                }
            } else {
                scratch.plain = BlobScratch.atLeast(scratch.plain, stored);
                n = c.doFinal(scratch.stored, 0, stored, scratch.plain, 0);
            }
            if (n != raw) {
                throw new PackFormatException("blob " + loc.index() + " of pack " + pack + " has the wrong length");
            }
            if (!MessageDigest.isEqual(keys(tenant).blobId(scratch.plain, 0, n), loc.id())) {
                throw new PackFormatException("blob " + loc.index() + " of pack " + pack + " does not match its id");
            }
            return n;
        } catch (AEADBadTagException e) {
            throw new PackFormatException("blob " + loc.index() + " of pack " + pack + " does not authenticate (damaged)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pack " + pack + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Tree readTree(String tenant, byte[] id) {
        return Tree.decode(readBlob(tenant, BlobType.TREE, id));
    }

    private OpenPack openPackFor(byte[] packId) {
        String key = HexFormat.of().formatHex(packId);
        OpenPack p = openPacks.get(key);
        if (p != null) {
            return p;
        }
        Path path = packPath(packId);
        try {
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer hb = ByteBuffer.allocate((int) Math.min(ch.size(), 128));
            ch.read(hb, 0);
            PackFormat.Header h = PackFormat.Header.decode(hb.flip(), key.substring(0, 8));
            OpenPack op = new OpenPack(ch, h.hash(), keys(h.tenant()).derive(h.keyVersion(), h.salt(), PackFormat.KEY_INFO), h.tenant());
            OpenPack prev = openPacks.putIfAbsent(key, op);
            if (prev != null) {
                op.close();
                return prev;
            }
            return op;
        } catch (NoSuchFileException e) {
            throw new PackFormatException("pack " + key.substring(0, 8) + " is missing from " + dir.resolve("packs"), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open pack " + key.substring(0, 8) + ": " + e.getMessage(), e);
        }
    }

    /** Forgets cached pack handles (after prune deleted packs). */
    public void dropOpenPacks() {
        synchronized (openPacks) {
            openPacks.values().forEach(OpenPack::close);
            openPacks.clear();
        }
    }

    /** Every pack file in packs/, by id. */
    public List<byte[]> packFiles() {
        List<byte[]> out = new ArrayList<>();
        Path packs = dir.resolve("packs");
        try (Stream<Path> s = Files.walk(packs, 2)) {
            s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}\\.pack"))
                    .forEach(p -> out.add(HexFormat.of().parseHex(p.getFileName().toString().substring(0, 64))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + packs + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Rule 3 of the format: a pack made durable just before a crash, but never indexed, is indexed now. */
    private void indexUnindexedPacks() {
        for (byte[] id : packFiles()) {
            if (index.pack(id) != null) {
                continue;
            }
            // one damaged or unreadable pack must not stop the repository from opening: it stays out of
            // the index and verify names it (PACK_NOT_INDEXED) with the snapshots it hits
            try {
                PackFormat.Header h = PackReader.readHeader(packPath(id));
                Integer tenantNo = config.tenants().get(h.tenant());
                if (tenantNo == null) {
                    continue; // a pack of a tenant this repository does not know: verify reports it
                }
                try (PackReader r = openPack(id)) {
                    long size = Files.size(packPath(id));
                    index.addPack(tenantNo, new PackInfo(id, size, r.header(), r.entries()));
                }
            } catch (IOException | UncheckedIOException | PackFormatException e) {
                // left out; see above
            }
        }
    }

    private void cleanTmp(boolean all) {
        Path tmp = tmp();
        try {
            Files.createDirectories(tmp);
            long cutoff = clock.millis() - 60_000;
            try (Stream<Path> s = Files.list(tmp)) {
                for (Path p : s.toList()) {
                    if (all || Files.getLastModifiedTime(p).toMillis() < cutoff) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new RepoException("cannot clean " + tmp + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        dropOpenPacks();
        keys.values().forEach(TenantKeys::close);
        index.close();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // the process is letting go anyway
        }
    }
}
