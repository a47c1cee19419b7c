package dev.cairn.engine.rebuild;

import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.pack.PackInfo;
import dev.cairn.engine.pack.PackReader;
import dev.cairn.engine.repo.AtomicFiles;
import dev.cairn.engine.repo.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Rebuilds the index from the pack footers alone ({@code cairn repo rebuild-index}; docs/formats/repository.md,
 * "Verification and rebuild"). The caller must have opened the repository {@link Repository.LockMode#EXCLUSIVE}:
 * nothing else may use the index while it is empty.
 *
 * <p>Order, so that a crash at any point is recovered by running the rebuild again:
 * <ol>
 * <li>write {@link Repository#INDEX_INCOMPLETE} (durably): from now on an open does not index packs on its
 *     own, and verify says the index is incomplete;</li>
 * <li>clear the index;</li>
 * <li>for every file in {@code packs/}: read its header and footer (no blob data), and add its blobs and
 *     summary in one synced batch;</li>
 * <li>remove the marker.</li>
 * </ol>
 * A pack whose footer cannot be read, or whose tenant this repository does not know, is reported and left
 * alone: not indexed, never deleted. Its blobs stay unreachable until it is repaired or restored from
 * another copy, and {@code cairn verify} keeps naming it.
 */
public final class IndexRebuild {
    private IndexRebuild() {
    }

    /** Reports packs done out of the packs found. Called from the rebuilding thread. */
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void update(long packsDone, long packsTotal);
    }

    /** A pack left out of the index, and why (no data, no names: safe for logs). */
    public record Skipped(String pack, String reason) {
    }

    /**
     * @param packsIndexed packs whose footers were read and indexed
     * @param blobs        blob entries added (a blob in two packs counts twice)
     * @param skipped      packs not indexed; empty when the rebuild is complete
     */
    public record Result(long packsIndexed, long blobs, List<Skipped> skipped) {
        public Result {
            skipped = List.copyOf(skipped);
        }

        public boolean complete() {
            return skipped.isEmpty();
        }
    }

    /** Clears the index and indexes every pack in {@code packs/} from its footer. */
    public static Result run(Repository repo, Progress progress) {
        Progress p = progress == null ? Progress.NONE : progress;
        Path marker = repo.dir().resolve(Repository.INDEX_INCOMPLETE);
        if (!Files.exists(marker)) {
            AtomicFiles.write(repo.tmp(), marker,
                    "a rebuild-index started and did not finish; run `cairn repo rebuild-index` again\n".getBytes(StandardCharsets.US_ASCII));
        }
        RepoIndex index = repo.index();
        index.clear();
        List<byte[]> packs = repo.packFiles();
        List<Skipped> skipped = new ArrayList<>();
        long indexed = 0;
        long blobs = 0;
        long done = 0;
        for (byte[] id : packs) {
            String hex = HexFormat.of().formatHex(id);
            Path path = repo.packPath(id);
            try {
                PackFormat.Header h = PackReader.readHeader(path);
                Integer tenantNo = repo.config().tenants().get(h.tenant());
                if (tenantNo == null) {
                    skipped.add(new Skipped(hex, "belongs to tenant " + h.tenant() + ", which this repository does not know"));
                } else {
                    try (PackReader r = repo.openPack(id)) {
                        PackInfo info = new PackInfo(id, Files.size(path), r.header(), r.entries());
                        index.addPack(tenantNo, info);
                        indexed++;
                        blobs += info.entries().size();
                    }
                }
            } catch (PackFormatException e) {
                skipped.add(new Skipped(hex, e.getMessage()));
            } catch (UncheckedIOException e) {
                skipped.add(new Skipped(hex, "cannot be read: " + e.getMessage()));
            } catch (IOException e) {
                skipped.add(new Skipped(hex, "cannot be read: " + e.getMessage()));
            }
            p.update(++done, packs.size());
        }
        try {
            Files.deleteIfExists(marker);
            AtomicFiles.fsyncDir(repo.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("the index is rebuilt but " + marker.getFileName() + " cannot be removed: "
                    + e.getMessage() + "; remove it by hand", e);
        }
        return new Result(indexed, blobs, skipped);
    }
}
