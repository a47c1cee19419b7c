package dev.cairn.engine.verify;

import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.PackEntry;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.pack.PackReader;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the structure check knows of one pack file: whether it exists, its size, its tenant, and its footer
 * in compact arrays (about 50 bytes a blob), or why the footer cannot be read. Read once per pack (header,
 * trailer and footer: no blob data) and kept for the rest of the check. Immutable.
 */
final class PackState {
    final byte[] id;
    final boolean exists;
    final long fileSize;
    /** Null when the header cannot be read. */
    final String tenant;
    /** Null when the footer was read. */
    final VerifyReport.Kind problem;
    final String problemDetail;
    private final byte[] types;
    private final byte[] ids;
    private final long[] offsets;
    private final int[] stored;
    private final int[] raw;
    private final byte[] compressions;

    private PackState(byte[] id, boolean exists, long fileSize, String tenant, VerifyReport.Kind problem, String problemDetail,
                      List<PackEntry> entries) {
        this.id = id.clone();
        this.exists = exists;
        this.fileSize = fileSize;
        this.tenant = tenant;
        this.problem = problem;
        this.problemDetail = problemDetail;
        int n = entries.size();
        types = new byte[n];
        ids = new byte[n * 32];
        offsets = new long[n];
        stored = new int[n];
        raw = new int[n];
        compressions = new byte[n];
        for (int i = 0; i < n; i++) {
            PackEntry e = entries.get(i);
            types[i] = (byte) e.type().code();
            System.arraycopy(e.id(), 0, ids, i * 32, 32);
            offsets[i] = e.offset();
            stored[i] = e.storedLength();
            raw[i] = e.rawLength();
            compressions[i] = (byte) e.compression().code();
        }
    }

    /**
     * Reads the pack's header and footer.
     *
     * @param indexed what the index says of the pack, or null when it is not indexed
     */
    static PackState load(Repository repo, byte[] id, RepoIndex.Pack indexed) {
        Path path = repo.packPath(id);
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            return new PackState(id, false, 0, null, VerifyReport.Kind.PACK_MISSING, "the pack file is missing", List.of());
        } catch (IOException e) {
            return new PackState(id, true, 0, null, VerifyReport.Kind.PACK_UNREADABLE, "cannot read the pack file: " + e.getMessage(), List.of());
        }
        String tenant;
        try {
            tenant = PackReader.readHeader(path).tenant();
        } catch (PackFormatException e) {
            return new PackState(id, true, size, null, VerifyReport.Kind.PACK_FOOTER_BAD, e.getMessage(), List.of());
        } catch (UncheckedIOException e) {
            return new PackState(id, true, size, null, VerifyReport.Kind.PACK_UNREADABLE, e.getMessage(), List.of());
        }
        if (indexed != null && size < indexed.size()) {
            return new PackState(id, true, size, tenant, VerifyReport.Kind.PACK_TRUNCATED,
                    "the pack file has " + size + " bytes, the index records " + indexed.size(), List.of());
        }
        try (PackReader r = repo.openPack(id)) {
            if (indexed != null && size != indexed.size()) {
                return new PackState(id, true, size, tenant, VerifyReport.Kind.INDEX_MISMATCH,
                        "the pack file has " + size + " bytes, the index records " + indexed.size(), r.entries());
            }
            return new PackState(id, true, size, tenant, null, null, r.entries());
        } catch (PackFormatException | RepoException e) {
            return new PackState(id, true, size, tenant, VerifyReport.Kind.PACK_FOOTER_BAD, e.getMessage(), List.of());
        } catch (UncheckedIOException e) {
            return new PackState(id, true, size, tenant, VerifyReport.Kind.PACK_UNREADABLE, e.getMessage(), List.of());
        }
    }

    /** True when the footer was read (even if the index disagrees on the file's size). */
    boolean footerRead() {
        return problem == null || problem == VerifyReport.Kind.INDEX_MISMATCH;
    }

    /** True when the footer lists exactly the blob the index places at {@code loc}. */
    boolean lists(RepoIndex.Location loc) {
        int i = loc.index();
        if (i < 0 || i >= types.length) {
            return false;
        }
        return types[i] == (byte) loc.type().code() && Arrays.equals(ids, i * 32, i * 32 + 32, loc.id(), 0, 32)
                && offsets[i] == loc.offset() && stored[i] == loc.storedLength() && raw[i] == loc.rawLength()
                && compressions[i] == (byte) loc.compression().code();
    }

    int blobCount() {
        return types.length;
    }
}
