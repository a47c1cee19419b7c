package dev.cairn.engine.prune;

import dev.cairn.engine.pack.BlobType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What prune will do, made by {@link PrunePlanner} and carried out by {@link PruneExecutor}. Immutable and
 * deterministic: the same state gives an equal plan, with every list in a fixed order (tenant, then pack
 * id; blobs by type, then id). It can be printed ({@link #lines()}, the {@code --dry-run} output; {@link
 * #toString()}, the summary) and written as JSON ({@link #toJson()}).
 *
 * <p>A plan with problems ({@link #refused()}) deletes nothing: its delete and repack lists are empty and
 * the executor refuses it.
 *
 * @param fingerprint      the repository state the plan is for ({@link PruneState#fingerprint})
 * @param snapshotProblems snapshots that could not be read: fix or forget them, then plan again
 * @param indexProblems    inconsistencies of the index (blobs snapshots use that it lacks, ...)
 * @param tenants          per tenant counts, by tenant id
 * @param delete           packs no used blob points at: removed from the index, then deleted
 * @param repack           packs with too much unused data: their used blobs are copied, then they are deleted
 * @param strays           files in packs/ that are in no index: reported, never deleted
 */
public record PrunePlan(String fingerprint, PruneOptions options, List<SnapshotProblem> snapshotProblems,
                        List<String> indexProblems, List<TenantSummary> tenants, List<PackChange> delete,
                        List<Repack> repack, List<Stray> strays) {
    public PrunePlan {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(options, "options");
        snapshotProblems = List.copyOf(snapshotProblems);
        indexProblems = List.copyOf(indexProblems);
        tenants = List.copyOf(tenants);
        delete = List.copyOf(delete);
        repack = List.copyOf(repack);
        strays = List.copyOf(strays);
        if (!snapshotProblems.isEmpty() || !indexProblems.isEmpty()) {
            if (!delete.isEmpty() || !repack.isEmpty()) {
                throw new IllegalArgumentException("a plan with problems deletes nothing");
            }
        }
    }

    /**
     * A pack the plan changes.
     *
     * @param pack      pack id, 64 hex
     * @param size      file size
     * @param usedBytes stored bytes of the used blobs the index finds in it
     * @param usedBlobs how many they are
     */
    public record PackChange(String pack, String tenant, long size, long usedBytes, int usedBlobs) {
        public PackChange {
            Objects.requireNonNull(pack, "pack");
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    /** A pack to repack and the used blobs to copy out of it. */
    public record Repack(PackChange pack, List<BlobRef> blobs) {
        public Repack {
            Objects.requireNonNull(pack, "pack");
            blobs = List.copyOf(blobs);
        }
    }

    /** A blob by type and id (64 hex). */
    public record BlobRef(BlobType type, String id) {
        public BlobRef {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * One tenant's counts.
     *
     * @param packs          packs of the tenant in the index
     * @param keep           packs kept as they are (well used)
     * @param locked         packs holding a blob of a locked snapshot: never touched
     * @param bytesFreed     about how many bytes the repository shrinks by
     * @param bytesRewritten stored bytes of the blobs copied by repacks
     */
    public record TenantSummary(String tenant, int snapshots, int lockedSnapshots, int packs, int keep, int locked, int delete,
                                int repack, long bytesFreed, long bytesRewritten) {
        public TenantSummary {
            Objects.requireNonNull(tenant, "tenant");
        }
    }

    /**
     * A file in packs/ that no index lists: damaged, foreign, or of an unknown tenant. Never deleted.
     *
     * @param file path relative to the repository
     * @param size file size, -1 when it could not be read
     */
    public record Stray(String file, long size, String reason) {
        public Stray {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** True when the plan found problems and deletes nothing. */
    public boolean refused() {
        return !snapshotProblems.isEmpty() || !indexProblems.isEmpty();
    }

    /** True when there is nothing to delete or repack. */
    public boolean isEmpty() {
        return delete.isEmpty() && repack.isEmpty();
    }

    public long bytesFreed() {
        return tenants.stream().mapToLong(TenantSummary::bytesFreed).sum();
    }

    public long bytesRewritten() {
        return tenants.stream().mapToLong(TenantSummary::bytesRewritten).sum();
    }

    /** Number of blobs the repacks copy. */
    public long blobsToCopy() {
        return repack.stream().mapToLong(r -> r.blobs().size()).sum();
    }

    /** Everything the problems say, one line each (what is wrong and what to do). */
    public List<String> problemLines() {
        List<String> out = new ArrayList<>();
        snapshotProblems.forEach(p -> out.add(p.describe()));
        out.addAll(indexProblems);
        return out;
    }

    /** The summary: header, one line per tenant, strays count, and the totals or the refusal. */
    public List<String> summaryLines() {
        List<String> out = new ArrayList<>();
        out.add(header());
        tenants.forEach(t -> out.add(tenantLine(t)));
        if (!strays.isEmpty()) {
            out.add(strays.size() + " file(s) in packs/ are in no index; they are reported, never deleted (`cairn verify` checks them)");
        }
        out.addAll(closing());
        return out;
    }

    /** The {@code --dry-run} listing: the summary with one line per pack to delete or repack and per stray file. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(header());
        tenants.forEach(t -> out.add(tenantLine(t)));
        for (PackChange p : delete) {
            out.add("delete  " + p.pack() + "  " + p.tenant() + "  " + size(p.size()));
        }
        for (Repack r : repack) {
            PackChange p = r.pack();
            out.add("repack  " + p.pack() + "  " + p.tenant() + "  " + size(p.size()) + ", " + size(p.usedBytes()) + " used by "
                    + p.usedBlobs() + " blob(s) to copy");
        }
        for (Stray s : strays) {
            out.add("stray   " + s.file() + "  " + (s.size() < 0 ? "size unknown" : size(s.size())) + "  not indexed: " + s.reason()
                    + " (never deleted)");
        }
        out.addAll(closing());
        return out;
    }

    private String header() {
        return "prune plan: delete unused packs, repack packs more than " + options.maxUnusedPercent()
                + "% unused, never touch packs of locked snapshots (state " + fingerprint.substring(0, Math.min(16, fingerprint.length())) + ")";
    }

    private static String tenantLine(TenantSummary t) {
        return "tenant " + t.tenant() + ": " + t.snapshots() + " snapshot(s), " + t.lockedSnapshots() + " locked; " + t.packs()
                + " pack(s): " + t.delete() + " to delete, " + t.repack() + " to repack, " + t.keep() + " kept, " + t.locked()
                + " locked (untouched); about " + size(t.bytesFreed()) + " freed, " + size(t.bytesRewritten()) + " rewritten";
    }

    private List<String> closing() {
        List<String> out = new ArrayList<>();
        if (refused()) {
            out.add("REFUSED: prune deletes nothing until these are fixed:");
            problemLines().forEach(l -> out.add("  " + l));
        } else if (isEmpty()) {
            out.add("nothing to do: every pack is used enough");
        } else {
            out.add("total: " + delete.size() + " pack(s) to delete, " + repack.size() + " to repack (" + blobsToCopy()
                    + " blob(s), " + size(bytesRewritten()) + " rewritten); about " + size(bytesFreed()) + " freed");
        }
        return out;
    }

    /** The summary lines, one per line. */
    @Override
    public String toString() {
        return String.join("\n", summaryLines()) + "\n";
    }

    /** A JSON-ready shape (maps, lists, strings, numbers, booleans), documented in docs/cli-prune.md. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", fingerprint);
        m.put("maxUnusedPercent", options.maxUnusedPercent());
        m.put("refused", refused());
        m.put("problems", problemLines());
        m.put("snapshotProblems", snapshotProblems.stream().map(p -> object("tenant", p.tenant(), "snapshot", p.snapshot(),
                "locked", p.locked(), "reason", p.reason())).toList());
        m.put("tenants", tenants.stream().map(t -> object("tenant", t.tenant(), "snapshots", t.snapshots(),
                "lockedSnapshots", t.lockedSnapshots(), "packs", t.packs(), "keep", t.keep(), "locked", t.locked(),
                "delete", t.delete(), "repack", t.repack(), "bytesFreed", t.bytesFreed(), "bytesRewritten", t.bytesRewritten())).toList());
        m.put("delete", delete.stream().map(p -> object("pack", p.pack(), "tenant", p.tenant(), "size", p.size())).toList());
        m.put("repack", repack.stream().map(r -> object("pack", r.pack().pack(), "tenant", r.pack().tenant(), "size", r.pack().size(),
                "usedBytes", r.pack().usedBytes(), "usedBlobs", r.pack().usedBlobs())).toList());
        m.put("strays", strays.stream().map(s -> object("file", s.file(), "size", s.size(), "reason", s.reason())).toList());
        m.put("totals", object("delete", delete.size(), "repack", repack.size(), "blobsToCopy", blobsToCopy(),
                "bytesFreed", bytesFreed(), "bytesRewritten", bytesRewritten()));
        return m;
    }

    private static Map<String, Object> object(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
