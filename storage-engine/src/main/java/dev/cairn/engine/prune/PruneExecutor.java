package dev.cairn.engine.prune;

import dev.cairn.engine.backup.BlobWriter;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.repo.AtomicFiles;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Carries out a {@link PrunePlan} in the order of docs/formats/repository.md section 8, rule 5:
 * <ol>
 * <li>check that the repository is held exclusively and is still in the state the plan was made for;</li>
 * <li>repack: read each used blob of the packs to repack and write it into new packs with the backup's
 *     {@link BlobWriter} (tmp, fsync, read back, rename, fsync directory, then one synced index batch per
 *     pack: rule 1), so the index points at the new copies; then check that no blob the plan copies is
 *     still indexed in a pack about to go;</li>
 * <li>remove the index entries of every pack to delete or repacked (one synced batch);</li>
 * <li>delete those pack files and fsync their directories.</li>
 * </ol>
 *
 * <p><b>Safe to kill at any step.</b> Before step 3 nothing is removed: new packs are only extra copies.
 * After step 3 every used blob is indexed in a pack that stays (checked before it). A pack removed from
 * the index but not yet from disk is indexed again when the repository is next opened (rule 3) and looks
 * like any other unused or sparse pack, so the next prune deletes it again; the reverse (a file deleted
 * while the index still names it) cannot happen, as files go only after their entries. Re-running prune
 * (read the state, plan, execute) finishes the job.
 *
 * <p>The caller must not let other threads of the process write to the repository meanwhile: the
 * exclusive {@code repo.lock} keeps other processes out, not other threads.
 */
public final class PruneExecutor {
    /** The boundaries between steps, in order ({@link #PACK_COPIED} and {@link #PACK_FILE_DELETED} once per pack). */
    public enum Step {
        /** The lock, the plan and the repository state are checked. */
        VALIDATED,
        /** The used blobs of one repacked pack are handed to the pack writer. */
        PACK_COPIED,
        /** Every copy is in a durable, indexed pack. */
        REPACKED,
        /** The index no longer lists the packs to delete. */
        INDEX_UPDATED,
        /** One pack file is deleted. */
        PACK_FILE_DELETED,
        /** The directories are synced: prune is complete. */
        DONE
    }

    /** Counters for a progress line; called from the executing thread. */
    public interface Progress {
        Progress NONE = (step, done, total, bytes) -> { };

        /**
         * Called at every step boundary.
         *
         * @param done  packs done in the current step (repacked, or deleted)
         * @param total packs in the current step
         * @param bytes bytes copied (during the repack) or freed (during deletion) so far
         */
        void update(Step step, long done, long total, long bytes);
    }

    /**
     * What was done.
     *
     * @param bytesWritten blob bytes written into new packs (compressed and encrypted, before the 16-byte GCM tags)
     * @param notDeleted   packs out of the index whose files could not be deleted, with why (the next prune
     *                     tries again); empty when everything went
     */
    public record Result(int packsRepacked, long blobsCopied, long bytesWritten, int packsDeleted, long bytesDeleted,
                         List<String> notDeleted) {
        public Result {
            notDeleted = List.copyOf(notDeleted);
        }
    }

    /** A test's way to stop the executor at a step boundary (package-private: fault injection). */
    @FunctionalInterface
    interface Hook {
        Hook NONE = step -> { };

        void at(Step step);
    }

    private PruneExecutor() {
    }

    /**
     * Executes {@code plan} on {@code repo}, which must be opened with {@link Repository.LockMode#EXCLUSIVE}.
     *
     * @throws RepoException when the lock is shared, the plan was refused, or the repository changed since
     *                       the plan was made (plan again); nothing is changed then
     */
    public static Result run(Repository repo, PrunePlan plan, Progress progress) {
        return run(repo, plan, progress, Hook.NONE);
    }

    static Result run(Repository repo, PrunePlan plan, Progress progress, Hook hook) {
        Progress p = progress == null ? Progress.NONE : progress;
        if (repo.lockMode() != Repository.LockMode.EXCLUSIVE) {
            throw new RepoException("prune needs the repository alone: open it with the exclusive lock (`cairn prune` does); "
                    + "nothing was changed");
        }
        if (plan.refused()) {
            throw new RepoException("the prune plan was refused, nothing was changed: " + String.join("; ", plan.problemLines()));
        }
        if (!PruneState.fingerprint(repo).equals(plan.fingerprint())) {
            throw new RepoException("the repository changed since the prune plan was made (a backup, forget, lock or prune ran); "
                    + "nothing was changed: plan again");
        }
        p.update(Step.VALIDATED, 0, 0, 0);
        hook.at(Step.VALIDATED);

        Set<String> doomed = new LinkedHashSet<>();
        plan.delete().forEach(c -> doomed.add(c.pack()));
        plan.repack().forEach(r -> doomed.add(r.pack().pack()));

        long[] copied = repack(repo, plan, doomed, p, hook);
        p.update(Step.REPACKED, plan.repack().size(), plan.repack().size(), copied[1]);
        hook.at(Step.REPACKED);

        List<byte[]> ids = doomed.stream().map(h -> HexFormat.of().parseHex(h)).toList();
        if (!ids.isEmpty()) {
            repo.index().removePacks(ids);
        }
        p.update(Step.INDEX_UPDATED, ids.size(), ids.size(), 0);
        hook.at(Step.INDEX_UPDATED);

        repo.dropOpenPacks();
        Map<String, Long> sizes = new LinkedHashMap<>();
        plan.delete().forEach(c -> sizes.put(c.pack(), c.size()));
        plan.repack().forEach(r -> sizes.put(r.pack().pack(), r.pack().size()));
        List<String> notDeleted = new ArrayList<>();
        Set<Path> dirs = new LinkedHashSet<>();
        int deleted = 0;
        long freed = 0;
        for (byte[] id : ids) {
            Path file = repo.packPath(id);
            String hex = HexFormat.of().formatHex(id);
            try {
                Files.deleteIfExists(file);
                dirs.add(file.getParent());
                deleted++;
                freed += sizes.get(hex);
            } catch (IOException e) {
                notDeleted.add(repo.dir().relativize(file) + ": " + e.getClass().getSimpleName() + " " + e.getMessage()
                        + (e instanceof AccessDeniedException ? " (is the immutable attribute set? check with lsattr)" : ""));
            }
            p.update(Step.PACK_FILE_DELETED, deleted + notDeleted.size(), ids.size(), freed);
            hook.at(Step.PACK_FILE_DELETED);
        }
        for (Path d : dirs) {
            try {
                AtomicFiles.fsyncDir(d);
            } catch (IOException e) {
                throw new RepoException("cannot sync " + d + " after deleting packs: " + e.getMessage()
                        + "; the deleted packs are out of the index, so the repository is consistent; run prune again", e);
            }
        }
        hook.at(Step.DONE);
        p.update(Step.DONE, ids.size(), ids.size(), freed);
        return new Result(plan.repack().size(), copied[0], copied[1], deleted, freed, notDeleted);
    }

    /** Copies the used blobs of the packs to repack; returns {blobs copied, stored bytes written}. */
    private static long[] repack(Repository repo, PrunePlan plan, Set<String> doomed, Progress p, Hook hook) {
        long blobs = 0;
        long written = 0;
        if (plan.repack().isEmpty()) {
            return new long[] {0, 0};
        }
        Map<String, List<PrunePlan.Repack>> byTenant = new LinkedHashMap<>();
        plan.repack().forEach(r -> byTenant.computeIfAbsent(r.pack().tenant(), t -> new ArrayList<>()).add(r));
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> Thread.ofPlatform().name("prune-worker").daemon().unstarted(r));
        int packsDone = 0;
        long bytesRead = 0;
        try {
            for (Map.Entry<String, List<PrunePlan.Repack>> t : byTenant.entrySet()) {
                String tenant = t.getKey();
                try (BlobWriter writer = BlobWriter.forRepack(repo, tenant, workers)) {
                    for (PrunePlan.Repack r : t.getValue()) {
                        for (PrunePlan.BlobRef b : r.blobs()) {
                            byte[] data = repo.readBlob(tenant, b.type(), HexFormat.of().parseHex(b.id()));
                            writer.submit(b.type(), data, 0, data.length);
                            blobs++;
                        }
                        bytesRead += r.pack().usedBytes();
                        p.update(Step.PACK_COPIED, ++packsDone, plan.repack().size(), bytesRead);
                        hook.at(Step.PACK_COPIED);
                    }
                    writer.flush(); // every copy sealed, durable and indexed (rule 1)
                    written += writer.storedBytes();
                }
                checkMoved(repo, tenant, t.getValue(), doomed);
            }
        } finally {
            workers.shutdownNow();
        }
        return new long[] {blobs, written};
    }

    /** Every blob copied must now be indexed in a pack that stays; otherwise stop before anything is removed. */
    private static void checkMoved(Repository repo, String tenant, List<PrunePlan.Repack> repacks, Set<String> doomed) {
        int tenantNo = repo.tenantNo(tenant);
        Set<String> stillDoomed = new HashSet<>();
        for (PrunePlan.Repack r : repacks) {
            for (PrunePlan.BlobRef b : r.blobs()) {
                RepoIndex.Location loc = repo.index().find(tenantNo, b.type(), HexFormat.of().parseHex(b.id()));
                if (loc == null || doomed.contains(HexFormat.of().formatHex(loc.packId()))) {
                    stillDoomed.add(b.id());
                }
            }
        }
        if (!stillDoomed.isEmpty()) {
            throw new RepoException("after the repack, " + stillDoomed.size() + " blob(s) of tenant " + tenant
                    + " are not indexed in a new pack; nothing was deleted. Run `cairn verify`, then prune again");
        }
    }
}
