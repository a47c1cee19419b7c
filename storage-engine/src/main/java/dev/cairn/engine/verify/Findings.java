package dev.cairn.engine.verify;

import dev.cairn.engine.pack.BlobType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects findings while a verification runs. One finding per fact: a blob in a pack, a pack, a snapshot;
 * the first report of a fact wins (the structure check runs before read-data, so a TREE blob that cannot be
 * read stays TREE_UNREADABLE). Findings that lose content ask for their hits, which {@link HitFinder} adds
 * afterwards. Thread safe.
 */
final class Findings {
    /** A finding being built: its hits grow while the snapshots are walked. */
    static final class Draft {
        final VerifyReport.Kind kind;
        final String tenant;
        final String pack;
        final String blob;
        final String blobType;
        final String detail;
        private final Map<String, List<String>> paths = new LinkedHashMap<>();
        private final Map<String, Long> omitted = new HashMap<>();

        Draft(VerifyReport.Kind kind, String tenant, String pack, String blob, String blobType, String detail) {
            this.kind = kind;
            this.tenant = tenant;
            this.pack = pack;
            this.blob = blob;
            this.blobType = blobType;
            this.detail = detail;
        }

        /** Records that {@code snapshot} loses {@code path} (null: the whole snapshot). */
        synchronized void hit(String snapshot, String path) {
            List<String> list = paths.computeIfAbsent(snapshot, s -> new ArrayList<>());
            if (path == null || list.contains(path)) {
                return;
            }
            if (list.size() < Verify.MAX_PATHS_PER_HIT) {
                list.add(path);
            } else {
                omitted.merge(snapshot, 1L, Long::sum);
            }
        }

        synchronized VerifyReport.Finding build() {
            List<VerifyReport.Hit> hits = new ArrayList<>();
            paths.forEach((s, p) -> hits.add(new VerifyReport.Hit(s, p, omitted.getOrDefault(s, 0L))));
            return new VerifyReport.Finding(kind, tenant, pack, blob, blobType, detail, hits);
        }
    }

    private final Map<String, Draft> byKey = new LinkedHashMap<>();
    /** tenant, then "D" or "T" and the blob's hex: the drafts whose hits the snapshots' walk fills. */
    private final Map<String, Map<String, List<Draft>>> wanted = new HashMap<>();

    static String hex(byte[] b) {
        return b == null ? null : HexFormat.of().formatHex(b);
    }

    static String wantKey(BlobType type, String blobHex) {
        return (type == BlobType.TREE ? "T" : "D") + blobHex;
    }

    synchronized void repository(VerifyReport.Kind kind, String detail) {
        byKey.putIfAbsent("R|" + kind, new Draft(kind, null, null, null, null, detail));
    }

    synchronized void snapshot(String tenant, String snapshotId, String detail) {
        Draft d = new Draft(VerifyReport.Kind.SNAPSHOT_UNREADABLE, tenant, null, null, null, detail);
        if (byKey.putIfAbsent("S|" + tenant + "|" + snapshotId, d) == null) {
            d.hit(snapshotId, null);
        }
    }

    /** A problem of a whole pack; a second report about the same pack is dropped. */
    synchronized void pack(VerifyReport.Kind kind, String tenant, byte[] pack, String detail) {
        byKey.putIfAbsent("P|" + hex(pack), new Draft(kind, tenant, hex(pack), null, null, detail));
    }

    /**
     * A problem of one blob ({@code pack} null when no pack holds it).
     *
     * @param wantHits true when restores lose content through it (the index's copy), so the snapshots and
     *                 paths that use it are named
     * @return true when this is a new fact
     */
    synchronized boolean blob(VerifyReport.Kind kind, String tenant, byte[] pack, BlobType type, byte[] id, String detail,
                              boolean wantHits) {
        String key = "B|" + tenant + "|" + type + "|" + hex(id) + "|" + hex(pack);
        if (byKey.containsKey(key)) {
            return false;
        }
        Draft d = new Draft(kind, tenant, hex(pack), hex(id), type.name(), detail);
        byKey.put(key, d);
        if (wantHits) {
            wanted.computeIfAbsent(tenant, t -> new HashMap<>()).computeIfAbsent(wantKey(type, hex(id)), k -> new ArrayList<>()).add(d);
        }
        return true;
    }

    /** The drafts waiting for hits in {@code tenant}'s snapshots, by {@link #wantKey}. */
    synchronized Map<String, List<Draft>> wanted(String tenant) {
        return wanted.getOrDefault(tenant, Map.of());
    }

    synchronized List<VerifyReport.Finding> build() {
        Comparator<String> s = Comparator.nullsFirst(Comparator.naturalOrder());
        return byKey.values().stream().map(Draft::build)
                .sorted(Comparator.comparing(VerifyReport.Finding::kind).thenComparing(VerifyReport.Finding::tenant, s)
                        .thenComparing(VerifyReport.Finding::pack, s).thenComparing(VerifyReport.Finding::blob, s))
                .toList();
    }
}
