package dev.cairn.engine.backup;

import com.github.luben.zstd.Zstd;
import dev.cairn.engine.crypto.TenantKeys;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.Compression;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackInfo;
import dev.cairn.engine.pack.PackWriter;
import dev.cairn.engine.repo.Repository;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The write half of the data pipeline for one tenant: name each blob (HMAC on a worker thread), skip it
 * when the index or this session already has it, compress it (zstd, kept raw when that does not shrink
 * it), and hand it to one writer thread that seals it into packs and publishes each sealed pack to the
 * index (docs/formats/repository.md, rule 1). Memory is bounded: at most {@link #IN_FLIGHT_BYTES} of blob
 * data is between {@link #submit} and the pack file. After any failure every later call fails with it.
 * Thread safe.
 */
public final class BlobWriter implements AutoCloseable {
    static final long IN_FLIGHT_BYTES = 160L << 20;
    private static final Item FLUSH = new Item(null, null, null, 0, null, 0);

    private final Repository repo;
    private final String tenant;
    private final int tenantNo;
    private final TenantKeys keys;
    private final ExecutorService workers;
    private final RepoIndex index;
    private final int level;
    private final boolean skipIndexed;
    private final Set<Key> seen = ConcurrentHashMap.newKeySet();
    private final Semaphore budget = new Semaphore((int) (IN_FLIGHT_BYTES >> 10));
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(256);
    private final Thread writerThread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong newBlobs = new AtomicLong();
    private final AtomicLong newBytes = new AtomicLong();
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final Object flushed = new Object();
    private long flushCount;
    private PackWriter pack;

    private record Item(BlobType type, byte[] id, byte[] stored, int rawLength, Compression compression, int permits) {
    }

    /** A blob id as a map key. */
    record Key(byte[] id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(id, k.id);
        }

        @Override
        public int hashCode() {
            return (id[0] & 0xff) << 24 | (id[1] & 0xff) << 16 | (id[2] & 0xff) << 8 | (id[3] & 0xff);
        }
    }

    public BlobWriter(Repository repo, String tenant, ExecutorService workers) {
        this(repo, tenant, workers, true);
    }

    /**
     * A writer for prune's repack: every blob submitted is written once (this session still skips its own
     * repeats) even when the index already has it, because the copy in the index is in a pack about to be
     * deleted. When the new pack is indexed, the index points at the new copy.
     */
    public static BlobWriter forRepack(Repository repo, String tenant, ExecutorService workers) {
        return new BlobWriter(repo, tenant, workers, false);
    }

    private BlobWriter(Repository repo, String tenant, ExecutorService workers, boolean skipIndexed) {
        this.skipIndexed = skipIndexed;
        this.repo = repo;
        this.tenant = tenant;
        this.tenantNo = repo.tenantNo(tenant);
        this.keys = repo.keys(tenant);
        this.workers = workers;
        this.index = repo.index();
        this.level = repo.config().compressionLevel();
        this.writerThread = Thread.ofPlatform().name("pack-writer " + tenant).daemon().start(this::writeLoop);
    }

    /**
     * Queues {@code len} bytes of {@code data} (which the writer now owns) as a blob; the future gives its
     * id. Blocks while too much data is in flight.
     */
    public CompletableFuture<byte[]> submit(BlobType type, byte[] data, int off, int len) {
        rethrow();
        int permits = Math.max(1, len >> 10);
        try {
            budget.acquire(Math.min(permits, (int) (IN_FLIGHT_BYTES >> 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        int held = Math.min(permits, (int) (IN_FLIGHT_BYTES >> 10));
        pending.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> process(type, data, off, len, held), workers).whenComplete((id, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** Stores one blob and waits for its id (for trees: small, and needed at once). */
    public byte[] put(BlobType type, byte[] data) {
        return submit(type, data, 0, data.length).join();
    }

    private byte[] process(BlobType type, byte[] data, int off, int len, int permits) {
        boolean handedOver = false;
        try {
            byte[] id = keys.blobId(data, off, len);
            Key key = new Key(id);
            if (seen.contains(key) || (skipIndexed && index.contains(tenantNo, type, id)) || !seen.add(key)) {
                return id;
            }
            byte[] stored = data;
            int storedOff = off;
            int storedLen = len;
            Compression c = Compression.NONE;
            if (level != 0 && len >= 64) {
                byte[] z = new byte[(int) Zstd.compressBound(len)];
                long n = Zstd.compressByteArray(z, 0, z.length, data, off, len, level);
                if (!Zstd.isError(n) && n < len) {
                    stored = z;
                    storedOff = 0;
                    storedLen = (int) n;
                    c = Compression.ZSTD;
                }
            }
            byte[] exact = storedOff == 0 && storedLen == stored.length ? stored : Arrays.copyOfRange(stored, storedOff, storedOff + storedLen);
            newBlobs.incrementAndGet();
            newBytes.addAndGet(len);
            queue.put(new Item(type, id, exact, len, c, permits));
            handedOver = true;
            return id;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            if (!handedOver) {
                budget.release(permits);
                pending.decrementAndGet();
            }
        }
    }

    private void writeLoop() {
        while (true) {
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (item == FLUSH) {
                    sealCurrent();
                    synchronized (flushed) {
                        flushCount++;
                        flushed.notifyAll();
                    }
                    continue;
                }
                if (failure.get() == null) {
                    if (pack != null && pack.blobCount() > 0 && pack.size() + item.stored.length + 64 > repo.config().packTargetBytes()) {
                        sealCurrent();
                    }
                    if (pack == null) {
                        byte[] salt = PackWriter.newSalt(repo.random());
                        PackFormat.Header h = new PackFormat.Header(keys.currentVersion(), salt,
                                repo.clock().instant().getEpochSecond(), tenant);
                        pack = new PackWriter(repo.dir(), h, keys.derive(h.keyVersion(), salt, PackFormat.KEY_INFO));
                    }
                    pack.add(item.type, item.id, item.stored, 0, item.stored.length, item.compression, item.rawLength);
                    storedBytes.addAndGet(item.stored.length);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                if (pack != null) {
                    pack.close();
                    pack = null;
                }
            } finally {
                if (item != FLUSH) {
                    budget.release(item.permits);
                    pending.decrementAndGet();
                }
            }
        }
    }

    private void sealCurrent() {
        if (pack != null && failure.get() == null) {
            PackWriter p = pack;
            pack = null;
            if (p.blobCount() == 0) {
                p.close();
                return;
            }
            PackInfo info = p.seal();
            index.addPack(tenantNo, info);
        }
    }

    /**
     * Waits until every submitted blob is in a sealed, indexed pack. After this returns, a snapshot may
     * reference them (rule 2).
     */
    public void flush() {
        while (pending.get() > 0) {
            rethrow();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        long target;
        synchronized (flushed) {
            target = flushCount + 1;
        }
        try {
            queue.put(FLUSH);
            synchronized (flushed) {
                while (flushCount < target) {
                    flushed.wait(100);
                    rethrow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure.get();
        if (t != null) {
            Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    public long newBlobs() {
        return newBlobs.get();
    }

    /** Uncompressed bytes of the new blobs. */
    public long newBytes() {
        return newBytes.get();
    }

    /** Bytes written into packs for new blobs (compressed and encrypted, without tags). */
    public long storedBytes() {
        return storedBytes.get();
    }

    /** Stops the writer thread; an unsealed pack is discarded (its blobs were never indexed). */
    @Override
    public void close() {
        writerThread.interrupt();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pack != null) {
            pack.close();
            pack = null;
        }
    }
}
