package dev.cairn.engine.verify;

import java.util.List;

/**
 * What {@link Verify} found: every finding, and counts of what was checked. Only strings, longs and
 * lists, so the command line can print it as JSON field by field. Paths are display forms (UTF-8, other
 * bytes as {@code \xNN}, like {@link dev.cairn.engine.tree.Node#displayName()}): the report is for the
 * operator who asked for it; never log it.
 *
 * @param findings sorted by kind, tenant, pack and blob
 */
public record VerifyReport(List<Finding> findings, Counts counts) {
    public VerifyReport {
        findings = List.copyOf(findings);
    }

    /** True when nothing was found. */
    public boolean clean() {
        return findings.isEmpty();
    }

    /** The findings of one kind. */
    public List<Finding> of(Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** What is wrong. The order is the report's order. */
    public enum Kind {
        /** The index directory was missing (or a rebuild did not finish): run {@code cairn repo rebuild-index}. */
        INDEX_INCOMPLETE,
        /** A snapshot file cannot be read, does not authenticate, or does not match its name. */
        SNAPSHOT_UNREADABLE,
        /** A TREE blob the index places correctly cannot be decrypted or decoded; the directory's contents are lost. */
        TREE_UNREADABLE,
        /** A referenced blob is not in the index. */
        BLOB_NOT_IN_INDEX,
        /** A pack file is missing (the index lists it, or a referenced blob is in it). */
        PACK_MISSING,
        /** A pack file that the index does not list. */
        PACK_NOT_INDEXED,
        /** A pack file shorter than the index records: its end (and its footer) is gone. */
        PACK_TRUNCATED,
        /** A pack's header, trailer or footer cannot be read or does not authenticate. */
        PACK_FOOTER_BAD,
        /** A pack file cannot be read at all (an I/O error). */
        PACK_UNREADABLE,
        /** The index places a blob past the end of its pack file. */
        BLOB_OUT_OF_RANGE,
        /** The index and the pack's footer disagree about a blob (its place, type or size): rebuild-index fixes it. */
        INDEX_MISMATCH,
        /** A blob does not authenticate (GCM tag), does not decompress, or has the wrong length. */
        BLOB_CORRUPT,
        /** A blob decrypts but its content does not hash to its id. */
        BLOB_ID_MISMATCH
    }

    /**
     * One problem.
     *
     * @param tenant   the tenant, or null for a repository-wide finding
     * @param pack     the pack id (64 hex), or null
     * @param blob     the blob id (64 hex), or null for a pack or snapshot finding
     * @param blobType "DATA" or "TREE", or null with {@code blob}
     * @param detail   what exactly is wrong (no data, no paths)
     * @param hits     the snapshots that lose content through it, with the paths affected in each
     */
    public record Finding(Kind kind, String tenant, String pack, String blob, String blobType, String detail, List<Hit> hits) {
        public Finding {
            hits = List.copyOf(hits);
        }
    }

    /**
     * The paths of one snapshot that a finding hits: files whose content includes a bad DATA blob,
     * directories whose tree is a bad TREE blob ("/" is the snapshot's root). Empty for a snapshot that is
     * itself unreadable.
     *
     * @param omitted paths beyond {@link Verify#MAX_PATHS_PER_HIT} not listed
     */
    public record Hit(String snapshot, List<String> paths, long omitted) {
        public Hit {
            paths = List.copyOf(paths);
        }
    }

    /**
     * @param snapshots snapshots read
     * @param trees     distinct trees read
     * @param blobs     distinct referenced blobs checked against the index and the footers
     * @param packs     pack files and index entries looked at (footers read)
     * @param packsRead packs whose data was read (read-data; a subset reads fewer)
     * @param bytesRead pack bytes read by read-data; 0 for a structure check
     */
    public record Counts(long snapshots, long trees, long blobs, long packs, long packsRead, long bytesRead) {
    }
}
