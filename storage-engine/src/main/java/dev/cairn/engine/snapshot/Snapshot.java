package dev.cairn.engine.snapshot;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One snapshot record (docs/formats/repository.md section 6). The id is the SHA-256 of its file, so it
 * is known only once written: {@link #id()} is null on a snapshot not yet stored.
 *
 * @param paths  the backed-up absolute paths, as bytes
 * @param parent the snapshot this one was incremental to, or null
 * @param tree   the root TREE blob id
 */
public record Snapshot(String id, String tenant, Instant time, String hostname, String source, List<byte[]> paths,
                       Set<String> tags, String parent, byte[] tree, Summary summary) {

    /** What a backup did. */
    public record Summary(long files, long dirs, long bytes, long bytesRead, long newBlobs, long newBytes, long errors, double seconds) {
    }

    public Snapshot {
        paths = paths.stream().map(byte[]::clone).toList();
        tags = java.util.Collections.unmodifiableSet(new TreeSet<>(tags));
        tree = tree.clone();
    }

    @Override
    public byte[] tree() {
        return tree.clone();
    }

    public String treeHex() {
        return HexFormat.of().formatHex(tree);
    }

    /** The first 8 hex digits of the id, for people. */
    public String shortId() {
        return id == null ? "(unsaved)" : id.substring(0, 8);
    }

    public Snapshot withId(String newId) {
        return new Snapshot(newId, tenant, time, hostname, source, paths, tags, parent, tree, summary);
    }
}
