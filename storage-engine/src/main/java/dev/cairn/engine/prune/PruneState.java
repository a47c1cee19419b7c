package dev.cairn.engine.prune;

import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.BlobType;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackInfo;
import dev.cairn.engine.pack.PackReader;
import dev.cairn.engine.repo.Repository;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Everything {@link PrunePlanner} looks at: the index's packs and blobs, what the snapshots use, pack files
 * that are in no index, and a fingerprint of the repository state the plan is made for.
 *
 * <p>{@link #read} builds it from an open repository; tests build it by hand. The blobs are a
 * {@link BlobSource}, not a list, because a repository may hold tens of millions: the one {@link #read}
 * returns iterates the index each time, so it is valid while the repository is open and gives the same
 * blobs as long as nobody writes (prune holds the repository exclusively).
 *
 * @param indexProblems inconsistencies found while reading (e.g. packs of a tenant config.json does not
 *                      name); any makes the plan refuse
 * @param fingerprint   {@link #fingerprint(Repository)} when the state was read; the executor checks it again
 */
public record PruneState(List<IndexedPack> packs, BlobSource blobs, Reachability reachability, List<PrunePlan.Stray> strays,
                         List<String> indexProblems, String fingerprint) {
    public PruneState {
        packs = List.copyOf(packs);
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(reachability, "reachability");
        strays = List.copyOf(strays);
        indexProblems = List.copyOf(indexProblems);
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** A pack as the index lists it. */
    public record IndexedPack(String id, String tenant, long size, int blobCount) {
        public IndexedPack {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    /**
     * One entry of the index's blobs: the blob and the pack the index points at. A blob stored in two packs
     * (after a repack, or a crash before indexing) has one entry; its other copy counts as unused.
     */
    public record IndexedBlob(String tenant, BlobType type, byte[] id, String pack, int storedLength) {
    }

    /** The index's blobs, iterable more than once. */
    @FunctionalInterface
    public interface BlobSource {
        void forEach(Consumer<IndexedBlob> action);

        static BlobSource of(List<IndexedBlob> blobs) {
            List<IndexedBlob> copy = List.copyOf(blobs);
            return copy::forEach;
        }
    }

    /**
     * Reads the state of {@code repo}: the fingerprint first, then the reachability pass (the long part:
     * every tree of every snapshot), the index's packs, and the pack files the index does not list.
     */
    public static PruneState read(Repository repo, ReachabilityScan.Progress progress) {
        String fingerprint = fingerprint(repo);
        Reachability reach = ReachabilityScan.run(repo, progress);
        Map<Integer, String> tenantOf = new HashMap<>();
        repo.config().tenants().forEach((t, n) -> tenantOf.put(n, t));
        List<IndexedPack> packs = new ArrayList<>();
        Map<Integer, Integer> unknown = new TreeMap<>();
        Set<String> indexed = new HashSet<>();
        repo.index().forEachPack(p -> {
            String hex = HexFormat.of().formatHex(p.id());
            indexed.add(hex);
            String tenant = tenantOf.get(p.tenantNo());
            if (tenant == null) {
                unknown.merge(p.tenantNo(), 1, Integer::sum);
            } else {
                packs.add(new IndexedPack(hex, tenant, p.size(), p.blobCount()));
            }
        });
        List<String> problems = new ArrayList<>();
        unknown.forEach((n, count) -> problems.add("the index lists " + count + " pack(s) of tenant number " + n
                + ", which config.json does not name; run `cairn verify` and `cairn repo rebuild-index`"));
        List<PrunePlan.Stray> strays = new ArrayList<>();
        for (byte[] id : repo.packFiles()) {
            if (!indexed.contains(HexFormat.of().formatHex(id))) {
                strays.add(stray(repo, id));
            }
        }
        return new PruneState(packs, indexBlobs(repo), reach, strays, problems, fingerprint);
    }

    private static BlobSource indexBlobs(Repository repo) {
        Map<String, Integer> tenants = new TreeMap<>(repo.config().tenants());
        RepoIndex index = repo.index();
        return action -> tenants.forEach((tenant, no) -> index.forEachBlob(no, loc -> action.accept(
                new IndexedBlob(tenant, loc.type(), loc.id(), HexFormat.of().formatHex(loc.packId()), loc.storedLength()))));
    }

    /** Why a pack file is in no index (the index is reconciled with packs/ at open, so it is unreadable or foreign). */
    private static PrunePlan.Stray stray(Repository repo, byte[] id) {
        Path path = repo.packPath(id);
        long size = -1;
        String reason;
        try {
            size = Files.size(path);
            PackFormat.Header h = PackReader.readHeader(path);
            if (!repo.config().tenants().containsKey(h.tenant())) {
                reason = "it belongs to tenant " + h.tenant() + ", which this repository does not have";
            } else {
                try (PackReader r = repo.openPack(id)) {
                    reason = "it is readable (" + r.entries().size() + " blobs) but was not indexed when the repository was opened";
                }
            }
        } catch (IOException | RuntimeException e) {
            reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new PrunePlan.Stray(PackInfo.relativePath(id), size, reason);
    }

    /**
     * SHA-256 over what a plan depends on: every pack of the index (id, tenant number, size, blob count),
     * every blob entry of every tenant (type, id, pack, offset, stored length), and the snapshot and lock
     * ids of every tenant. Any backup, forget, lock, prune or index rebuild in between changes it.
     */
    public static String fingerprint(Repository repo) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        MessageDigest md = d;
        md.update("cairn-prune-state-1".getBytes(StandardCharsets.US_ASCII));
        repo.index().forEachPack(p -> md.update(ByteBuffer.allocate(32 + 2 + 8 + 4).put(p.id()).putShort((short) p.tenantNo())
                .putLong(p.size()).putInt(p.blobCount()).array()));
        ByteBuffer blob = ByteBuffer.allocate(1 + 32 + 32 + 8 + 4);
        for (Map.Entry<String, Integer> t : new TreeMap<>(repo.config().tenants()).entrySet()) {
            md.update(("\ntenant " + t.getKey() + " " + t.getValue() + "\n").getBytes(StandardCharsets.US_ASCII));
            repo.index().forEachBlob(t.getValue(), loc -> {
                blob.clear();
                blob.put((byte) loc.type().code()).put(loc.id()).put(loc.packId()).putLong(loc.offset()).putInt(loc.storedLength());
                md.update(blob.array());
            });
            md.update("\nsnapshots".getBytes(StandardCharsets.US_ASCII));
            repo.snapshots().ids(t.getKey()).stream().sorted().forEach(id -> md.update(id.getBytes(StandardCharsets.US_ASCII)));
            md.update("\nlocks".getBytes(StandardCharsets.US_ASCII));
            ReachabilityScan.lockedIds(repo, t.getKey()).forEach(id -> md.update(id.getBytes(StandardCharsets.US_ASCII)));
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
