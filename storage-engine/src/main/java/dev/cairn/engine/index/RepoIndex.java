package dev.cairn.engine.index;

import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.Compression;
import dev.cairn.engine.pack.PackEntry;
import dev.cairn.engine.pack.PackInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The repository index in RocksDB (docs/formats/repository.md section 5): a cache of what the packs
 * say. Schema: column family {@code blobs} (tenant number, type, blob id) to location, {@code packs}
 * pack id to summary, {@code default} metadata. Every native handle is owned here and closed with the
 * index. RocksDB errors are translated at this boundary with context. Thread safe.
 */
public final class RepoIndex implements AutoCloseable {
    public static final String FORMAT = "cairn-index-1";
    private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);
    static final int BLOB_KEY = 2 + 1 + 32;
    static final int BLOB_VALUE = 32 + 8 + 4 + 4 + 1 + 4;

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final LRUCache cache;
    private final BloomFilter bloom;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle blobs;
    private final ColumnFamilyHandle packs;
    private final WriteOptions syncWrite;
    private final ReadOptions read;

    /** Where one blob is. */
    public record Location(int tenantNo, BlobType type, byte[] id, byte[] packId, long offset, int storedLength, int rawLength,
                           Compression compression, int index) {
        public PackEntry entry() {
            return new PackEntry(type, id, offset, storedLength, rawLength, compression, index);
        }
    }

    /** A pack as the index knows it. */
    public record Pack(byte[] id, int tenantNo, long size, int blobCount, int keyVersion, long created) {
    }

    private RepoIndex(Path dir, RocksDB db, DBOptions dbo, ColumnFamilyOptions cfo, LRUCache cache, BloomFilter bloom,
                      List<ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.db = db;
        this.dbOptions = dbo;
        this.cfOptions = cfo;
        this.cache = cache;
        this.bloom = bloom;
        this.meta = handles.get(0);
        this.blobs = handles.get(1);
        this.packs = handles.get(2);
        this.syncWrite = new WriteOptions().setSync(true);
        this.read = new ReadOptions();
    }

    /**
     * Opens (creating when missing) the index in {@code dir}.
     *
     * @throws IndexException when RocksDB cannot open it (another process holds it, a damaged store...)
     */
    public static RepoIndex open(Path dir) {
        LRUCache cache = new LRUCache(64L << 20);
        BloomFilter bloom = new BloomFilter(10, false);
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)
                .setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true).setBlockSize(16 * 1024);
        ColumnFamilyOptions cfo = new ColumnFamilyOptions().setTableFormatConfig(table).optimizeForPointLookup(64)
                .setWriteBufferSize(32L << 20);
        DBOptions dbo = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(512).setKeepLogFileNum(3).setMaxBackgroundJobs(2);
        List<ColumnFamilyDescriptor> cfs = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfo),
                new ColumnFamilyDescriptor("blobs".getBytes(StandardCharsets.US_ASCII), cfo),
                new ColumnFamilyDescriptor("packs".getBytes(StandardCharsets.US_ASCII), cfo));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            RocksDB db = RocksDB.open(dbo, dir.toString(), cfs, handles);
            RepoIndex index = new RepoIndex(dir, db, dbo, cfo, cache, bloom, handles);
            byte[] format = db.get(handles.get(0), FORMAT_KEY);
            if (format == null) {
                db.put(handles.get(0), index.syncWrite, FORMAT_KEY, FORMAT.getBytes(StandardCharsets.US_ASCII));
            } else if (!FORMAT.equals(new String(format, StandardCharsets.US_ASCII))) {
                index.close();
                throw new IndexException("the index in " + dir + " has format " + new String(format, StandardCharsets.US_ASCII)
                        + ", not " + FORMAT + "; run `cairn repo rebuild-index`", null);
            }
            return index;
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            dbo.close();
            cfo.close();
            cache.close();
            bloom.close();
            String why = e.getMessage() != null && e.getMessage().contains("lock")
                    ? "another Cairn process is using this repository" : e.getMessage();
            throw new IndexException("cannot open the index in " + dir + ": " + why, e);
        }
    }

    public Path dir() {
        return dir;
    }

    static byte[] blobKey(int tenantNo, BlobType type, byte[] id) {
        return ByteBuffer.allocate(BLOB_KEY).putShort((short) tenantNo).put((byte) type.code()).put(id).array();
    }

    /** Where the blob is, or null. */
    public Location find(int tenantNo, BlobType type, byte[] id) {
        try {
            byte[] v = db.get(blobs, read, blobKey(tenantNo, type, id));
            return v == null ? null : decodeLocation(tenantNo, type, id, v);
        } catch (RocksDBException e) {
            throw new IndexException("index lookup failed: " + e.getMessage(), e);
        }
    }

    public boolean contains(int tenantNo, BlobType type, byte[] id) {
        byte[] key = blobKey(tenantNo, type, id);
        if (!db.keyMayExist(blobs, key, null)) {
            return false;
        }
        return find(tenantNo, type, id) != null;
    }

    /** Adds a sealed pack's blobs and summary in one synced batch (after the pack is durable: format rule 1). */
    public void addPack(int tenantNo, PackInfo pack) {
        try (WriteBatch batch = new WriteBatch()) {
            byte[] packId = pack.id();
            for (PackEntry e : pack.entries()) {
                batch.put(blobs, blobKey(tenantNo, e.type(), e.id()), encodeLocation(packId, e));
            }
            batch.put(packs, packId, ByteBuffer.allocate(26).putShort((short) tenantNo).putLong(pack.size())
                    .putInt(pack.entries().size()).putInt(pack.header().keyVersion()).putLong(pack.header().created()).array());
            db.write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new IndexException("cannot record pack " + pack.hex() + " in the index: " + e.getMessage(), e);
        }
    }

    /**
     * Removes packs and every blob entry that points into them (entries pointing elsewhere, e.g. to a
     * repacked copy, stay). One synced batch.
     */
    public void removePacks(Collection<byte[]> packIds) {
        List<byte[]> ids = new ArrayList<>(packIds);
        java.util.Set<java.nio.ByteBuffer> gone = new java.util.HashSet<>();
        ids.forEach(p -> gone.add(java.nio.ByteBuffer.wrap(p, 0, 32).slice()));
        try (WriteBatch batch = new WriteBatch(); RocksIterator it = db.newIterator(blobs)) {
            // one pass over the blobs with a hash lookup each: linear in blobs, not blobs x packs
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] v = it.value();
                if (gone.contains(java.nio.ByteBuffer.wrap(v, 0, 32).slice())) {
                    batch.delete(blobs, it.key());
                }
            }
            for (byte[] p : ids) {
                batch.delete(packs, p);
            }
            db.write(syncWrite, batch);
        } catch (RocksDBException e) {
            throw new IndexException("cannot remove packs from the index: " + e.getMessage(), e);
        }
    }

    public Pack pack(byte[] packId) {
        try {
            byte[] v = db.get(packs, packId);
            return v == null ? null : decodePack(packId, v);
        } catch (RocksDBException e) {
            throw new IndexException("index lookup failed: " + e.getMessage(), e);
        }
    }

    public void forEachPack(Consumer<Pack> action) {
        try (RocksIterator it = db.newIterator(packs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                action.accept(decodePack(it.key(), it.value()));
            }
        }
    }

    /** Every blob of {@code tenantNo}, in key order. */
    public void forEachBlob(int tenantNo, Consumer<Location> action) {
        byte[] prefix = ByteBuffer.allocate(2).putShort((short) tenantNo).array();
        try (RocksIterator it = db.newIterator(blobs)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k[0] != prefix[0] || k[1] != prefix[1]) {
                    break;
                }
                ByteBuffer kb = ByteBuffer.wrap(k);
                kb.getShort();
                BlobType type = BlobType.of(Byte.toUnsignedInt(kb.get()));
                byte[] id = new byte[32];
                kb.get(id);
                action.accept(decodeLocation(tenantNo, type, id, it.value()));
            }
        }
    }

    public long blobCount() {
        try {
            return db.getLongProperty(blobs, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    /** Deletes every entry (for rebuild-index). */
    public void clear() {
        try {
            byte[] lo = new byte[0];
            byte[] hi = new byte[40];
            Arrays.fill(hi, (byte) 0xff);
            db.deleteRange(blobs, lo, hi);
            db.deleteRange(packs, lo, hi);
            db.flushWal(true);
        } catch (RocksDBException e) {
            throw new IndexException("cannot clear the index: " + e.getMessage(), e);
        }
    }

    private static byte[] encodeLocation(byte[] packId, PackEntry e) {
        return ByteBuffer.allocate(BLOB_VALUE).put(packId).putLong(e.offset()).putInt(e.storedLength()).putInt(e.rawLength())
                .put((byte) e.compression().code()).putInt(e.index()).array();
    }

    private static Location decodeLocation(int tenantNo, BlobType type, byte[] id, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] packId = new byte[32];
        b.get(packId);
        return new Location(tenantNo, type, id, packId, b.getLong(), b.getInt(), b.getInt(),
                Compression.of(Byte.toUnsignedInt(b.get())), b.getInt());
    }

    private static Pack decodePack(byte[] id, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        return new Pack(id, Short.toUnsignedInt(b.getShort()), b.getLong(), b.getInt(), b.getInt(), b.getLong());
    }

    @Override
    public void close() {
        syncWrite.close();
        read.close();
        meta.close();
        blobs.close();
        packs.close();
        db.close();
        dbOptions.close();
        cfOptions.close();
        cache.close();
        bloom.close();
    }
}
