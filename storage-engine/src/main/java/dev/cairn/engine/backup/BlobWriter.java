package dev.cairn.engine.backup;

import com.github.luben.zstd.ZstdCompressCtx;
import dev.cairn.engine.crypto.TenantKeys;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.Compression;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackInfo;
import dev.cairn.engine.pack.PackWriter;
import dev.cairn.engine.repo.Repository;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The write half of the data pipeline for one tenant: name each blob (HMAC on a worker thread), skip it
 * when the index or this session already has it, compress it (zstd at the level of its data class, kept
 * raw when that does not shrink it), and hand it to one writer thread that encrypts it into the current
 * pack. A full pack goes to a sealing thread (footer, fsync, read-back check, rename, directory fsync)
 * and is published to the index once durable (docs/formats/repository.md, rule 1), while the writer fills
 * the next one: the fsync of one pack overlaps the filling of the next. Memory is bounded: at most
 * {@link #IN_FLIGHT_BYTES} of blob data is between {@link #submit} and the pack file, and at most
 * {@link #SEALING} packs wait for their seal. Chunk arrays are recycled: take them from {@link #buffer},
 * and the writer reuses every array it was given once the blob is in a pack (a {@link BufferPool}).
 * After any failure every later call fails with it. Thread safe.
 */
public final class BlobWriter implements AutoCloseable {
    static final long IN_FLIGHT_BYTES = 48L << 20;
    /** Packs handed to the sealing thread and not yet sealed; the writer waits beyond this. */
    static final int SEALING = 2;
    private static final Item FLUSH = new Item(null, null, null, 0, 0, 0, null, 0);

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
    private final ExecutorService sealer;
    private final Semaphore sealSlots = new Semaphore(SEALING);
    private final List<Future<?>> seals = new ArrayList<>();
    private final ConcurrentLinkedQueue<ZstdCompressCtx> compressors = new ConcurrentLinkedQueue<>();
    private final BufferPool pool = new BufferPool(IN_FLIGHT_BYTES);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong newBlobs = new AtomicLong();
    private final AtomicLong newBytes = new AtomicLong();
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final Object flushed = new Object();
    private long flushCount;
    private PackWriter pack;

    /** A blob for the pack: {@code stored[off, off + len)}, the plaintext or its zstd frame. */
    private record Item(BlobType type, byte[] id, byte[] stored, int off, int len, int rawLength, Compression compression, int permits) {
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
        this.sealer = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name("pack-sealer").daemon().unstarted(r));
        this.writerThread = Thread.ofPlatform().name("pack-writer " + tenant).daemon().start(this::writeLoop);
    }

    /**
     * An array for a chunk of {@code len} bytes, from the pool; hand it back through {@link #submit}.
     */
    public byte[] buffer(int len) {
        return pool.get(len);
    }

    /**
     * Queues {@code len} bytes of {@code data} as a blob compressed at the repository's default level;
     * the future gives its id. The writer now owns {@code data}: it reuses the array once the blob is
     * stored (or found a duplicate), so the caller must not touch it again. Blocks while too much data is
     * in flight.
     */
    public CompletableFuture<byte[]> submit(BlobType type, byte[] data, int off, int len) {
        return submit(type, data, off, len, level);
    }

    /** {@link #submit(BlobType, byte[], int, int)} at zstd {@code zstdLevel} (0: stored raw). */
    public CompletableFuture<byte[]> submit(BlobType type, byte[] data, int off, int len, int zstdLevel) {
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
        return CompletableFuture.supplyAsync(() -> process(type, data, off, len, held, zstdLevel), workers).whenComplete((id, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** Stores one blob and waits for its id (for trees: small, and needed at once). */
    public byte[] put(BlobType type, byte[] data) {
        return submit(type, data, 0, data.length).join();
    }

    private byte[] process(BlobType type, byte[] data, int off, int len, int permits, int zstdLevel) {
        boolean handedOver = false;
        try {
            byte[] id = keys.blobId(data, off, len);
            Key key = new Key(id);
            if (seen.contains(key) || (skipIndexed && index.contains(tenantNo, type, id)) || !seen.add(key)) {
                pool.put(data);
                return id;
            }
            Item item = null;
            if (zstdLevel != 0 && len >= 64) {
                byte[] frame = pool.get(len);
                int n = compress(data, off, len, frame, zstdLevel);
                if (n < len) {
                    pool.put(data);
                    item = new Item(type, id, frame, 0, n, len, Compression.ZSTD, permits);
                } else {
                    pool.put(frame);
                }
            }
            if (item == null) {
                item = new Item(type, id, data, off, len, len, Compression.NONE, permits);
            }
            newBlobs.incrementAndGet();
            newBytes.addAndGet(len);
            queue.put(item);
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

    /**
     * zstd frame of {@code data[off, off + len)} in {@code frame} (which holds the worst case); a context
     * per call would rebuild zstd's tables every time, so contexts are kept and reused.
     */
    private int compress(byte[] data, int off, int len, byte[] frame, int zstdLevel) {
        ZstdCompressCtx z = compressors.poll();
        if (z == null) {
            z = new ZstdCompressCtx();
        }
        try {
            z.setLevel(zstdLevel);
            return z.compressByteArray(frame, 0, frame.length, data, off, len);
        } finally {
            compressors.add(z);
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
                    awaitSeals();
                    synchronized (flushed) {
                        flushCount++;
                        flushed.notifyAll();
                    }
                    continue;
                }
                if (failure.get() == null) {
                    if (pack != null && pack.blobCount() > 0 && pack.size() + item.len + 64 > repo.config().packTargetBytes()) {
                        sealCurrent();
                    }
                    if (pack == null) {
                        byte[] salt = PackWriter.newSalt(repo.random());
                        PackFormat.Header h = new PackFormat.Header(keys.currentVersion(), salt,
                                repo.clock().instant().getEpochSecond(), tenant);
                        pack = new PackWriter(repo.dir(), h, keys.derive(h.keyVersion(), salt, PackFormat.KEY_INFO));
                    }
                    pack.add(item.type, item.id, item.stored, item.off, item.len, item.compression, item.rawLength);
                    storedBytes.addAndGet(item.len);
                    pool.put(item.stored);
                }
            } catch (InterruptedException e) {
                failure.compareAndSet(null, e);
                return;
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

    /**
     * Hands the current pack to the sealing thread, which seals it and then indexes it (rule 1: only
     * what is durable and verified is published). Waits while {@link #SEALING} packs are still sealing.
     */
    private void sealCurrent() throws InterruptedException {
        if (pack == null || failure.get() != null) {
            return;
        }
        PackWriter p = pack;
        pack = null;
        if (p.blobCount() == 0) {
            p.close();
            return;
        }
        sealSlots.acquire();
        try {
            seals.add(sealer.submit(() -> {
                try {
                    PackInfo info = p.seal();
                    index.addPack(tenantNo, info);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    p.close();
                } finally {
                    sealSlots.release();
                }
            }));
        } catch (RuntimeException e) {
            sealSlots.release();
            p.close();
            throw e;
        }
        seals.removeIf(Future::isDone);
    }

    /** Waits for every pack handed to the sealing thread to be sealed and indexed (or to have failed). */
    private void awaitSeals() throws InterruptedException {
        for (Future<?> f : seals) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure.compareAndSet(null, e.getCause());
            }
        }
        seals.clear();
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

    /**
     * Stops the writer thread and waits for packs being sealed (a pack that seals is indexed: it is
     * durable); an unsealed pack is discarded (its blobs were never indexed).
     */
    @Override
    public void close() {
        writerThread.interrupt();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sealer.shutdown();
        try {
            if (!sealer.awaitTermination(5, TimeUnit.MINUTES)) {
                sealer.shutdownNow();
            }
        } catch (InterruptedException e) {
            sealer.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (pack != null) {
            pack.close();
            pack = null;
        }
        ZstdCompressCtx z;
        while ((z = compressors.poll()) != null) {
            z.close();
        }
    }
}
