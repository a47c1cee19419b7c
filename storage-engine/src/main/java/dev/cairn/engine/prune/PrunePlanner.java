package dev.cairn.engine.prune;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The prune policy (docs/formats/repository.md section 8, "Prune"): a pure function from a
 * {@link PruneState} and {@link PruneOptions} to a {@link PrunePlan}. No I/O of its own, no clock, no
 * randomness; the same state gives an equal plan whatever the order of its input.
 *
 * <p>Each pack of the index falls in exactly one class, decided from the blobs the index points into it:
 * <ol>
 * <li><b>locked</b>: it holds a blob of a locked snapshot. Never touched (it carries the immutable
 *     attribute), however much of it is unused.</li>
 * <li><b>delete</b>: no used blob. Removed from the index, then deleted.</li>
 * <li><b>repack</b>: more than {@code maxUnusedPercent} of its blob bytes unused. Its used blobs are
 *     copied into new packs, then it is deleted.</li>
 * <li><b>keep</b>: everything else.</li>
 * </ol>
 * A copy of a blob that the index does not point at (the same blob in two packs) counts as unused in its
 * pack: the index's copy is the one kept.
 *
 * <p>Fail closed: any snapshot problem, any used blob missing from the index, a blob entry pointing at a
 * pack the index does not list, or a pack of a tenant the reachability pass did not scan makes the plan
 * refuse: it deletes and repacks nothing and says what to fix.
 */
public final class PrunePlanner {
    /** Pack bytes that are not blobs (format v1, sections 3.1 and 3.4): header 55 + L, footer 4 + 50n + tag 16, trailer 12. */
    private static final int FIXED_OVERHEAD = 55 + 4 + 16 + 12;
    private static final int FOOTER_ENTRY = 50;

    private PrunePlanner() {
    }

    private static final class Acc {
        final PruneState.IndexedPack pack;
        long usedBytes;
        int usedBlobs;
        boolean locked;

        Acc(PruneState.IndexedPack pack) {
            this.pack = pack;
        }
    }

    /** Makes the plan. */
    public static PrunePlan plan(PruneState state, PruneOptions options) {
        Reachability reach = state.reachability();
        List<String> problems = new ArrayList<>(state.indexProblems());
        Map<String, Acc> packs = new HashMap<>();
        for (PruneState.IndexedPack p : state.packs()) {
            if (packs.putIfAbsent(p.id(), new Acc(p)) != null) {
                throw new IllegalArgumentException("pack " + p.id() + " is listed twice");
            }
        }
        for (String tenant : new TreeSet<>(state.packs().stream().map(PruneState.IndexedPack::tenant).toList())) {
            if (!reach.tenants().containsKey(tenant)) {
                problems.add("the index has packs of tenant " + tenant + " whose snapshots were not scanned; plan again");
            }
        }

        Map<String, BlobIdSet> found = new HashMap<>();
        long[] dangling = new long[2]; // [0] blobs pointing at an unlisted pack, [1] of a tenant other than their pack's
        state.blobs().forEach(b -> {
            Acc acc = packs.get(b.pack());
            if (acc == null) {
                dangling[0]++;
                return;
            }
            if (!acc.pack.tenant().equals(b.tenant())) {
                dangling[1]++;
                return;
            }
            Reachability.TenantUse use = reach.tenants().get(b.tenant());
            if (use == null) {
                return; // reported above
            }
            if (use.used().contains(b.type(), b.id())) {
                acc.usedBytes += b.storedLength();
                acc.usedBlobs++;
                found.computeIfAbsent(b.tenant(), t -> new BlobIdSet()).add(b.type(), b.id());
            }
            if (use.locked().contains(b.type(), b.id())) {
                acc.locked = true;
            }
        });
        if (dangling[0] > 0) {
            problems.add("the index has " + dangling[0] + " blob entr(ies) pointing at packs it does not list; "
                    + "run `cairn repo rebuild-index`, then `cairn verify`");
        }
        if (dangling[1] > 0) {
            problems.add("the index has " + dangling[1] + " blob entr(ies) in a pack of another tenant; "
                    + "run `cairn repo rebuild-index`, then `cairn verify`");
        }
        reach.tenants().forEach((tenant, use) -> {
            BlobIdSet f = found.get(tenant);
            long missing = use.used().size() - (f == null ? 0 : f.size());
            if (missing > 0) {
                problems.add("tenant " + tenant + ": " + missing + " blob(s) that snapshots use are not in the index; "
                        + "run `cairn repo rebuild-index`, then `cairn verify` (it names the snapshots and files hit)");
            }
        });
        boolean refused = !problems.isEmpty() || !reach.problems().isEmpty();

        Map<String, int[]> counts = new TreeMap<>(); // keep, locked, delete, repack, packs
        Map<String, long[]> bytes = new TreeMap<>(); // freed, rewritten
        reach.tenants().keySet().forEach(t -> {
            counts.put(t, new int[5]);
            bytes.put(t, new long[2]);
        });
        List<PrunePlan.PackChange> delete = new ArrayList<>();
        Map<String, PrunePlan.PackChange> repack = new HashMap<>();
        for (Acc a : packs.values()) {
            String tenant = a.pack.tenant();
            int[] c = counts.computeIfAbsent(tenant, t -> new int[5]);
            long[] b = bytes.computeIfAbsent(tenant, t -> new long[2]);
            c[4]++;
            PrunePlan.PackChange change = new PrunePlan.PackChange(a.pack.id(), tenant, a.pack.size(), a.usedBytes, a.usedBlobs);
            if (a.locked) {
                c[1]++;
            } else if (refused) {
                c[0]++;
            } else if (a.usedBlobs == 0) {
                c[2]++;
                b[0] += a.pack.size();
                delete.add(change);
            } else if (sparse(a, options)) {
                c[3]++;
                b[0] += a.pack.size() - a.usedBytes;
                b[1] += a.usedBytes;
                repack.put(a.pack.id(), change);
            } else {
                c[0]++;
            }
        }

        Map<String, List<PrunePlan.BlobRef>> copies = new HashMap<>();
        if (!repack.isEmpty()) {
            state.blobs().forEach(b -> {
                if (repack.containsKey(b.pack()) && reach.tenants().get(b.tenant()).used().contains(b.type(), b.id())) {
                    copies.computeIfAbsent(b.pack(), k -> new ArrayList<>())
                            .add(new PrunePlan.BlobRef(b.type(), HexFormat.of().formatHex(b.id())));
                }
            });
        }
        Comparator<PrunePlan.PackChange> order = Comparator.comparing(PrunePlan.PackChange::tenant).thenComparing(PrunePlan.PackChange::pack);
        Comparator<PrunePlan.BlobRef> blobOrder = Comparator.comparing((PrunePlan.BlobRef r) -> r.type().code()).thenComparing(PrunePlan.BlobRef::id);
        delete.sort(order);
        List<PrunePlan.Repack> repacks = repack.values().stream().sorted(order)
                .map(p -> new PrunePlan.Repack(p, copies.getOrDefault(p.pack(), List.of()).stream().sorted(blobOrder).toList()))
                .toList();

        List<PrunePlan.TenantSummary> tenants = new ArrayList<>();
        counts.forEach((t, c) -> {
            Reachability.TenantUse use = reach.tenants().get(t);
            long[] b = bytes.get(t);
            tenants.add(new PrunePlan.TenantSummary(t, use == null ? 0 : use.snapshots(), use == null ? 0 : use.lockedSnapshots(),
                    c[4], c[0], c[1], c[2], c[3], b[0], b[1]));
        });
        List<SnapshotProblem> snapshotProblems = reach.problems().stream()
                .sorted(Comparator.comparing(SnapshotProblem::tenant).thenComparing(SnapshotProblem::snapshot)
                        .thenComparing(SnapshotProblem::reason))
                .toList();
        List<PrunePlan.Stray> strays = state.strays().stream().sorted(Comparator.comparing(PrunePlan.Stray::file)).toList();
        return new PrunePlan(state.fingerprint(), options, snapshotProblems, problems, tenants, delete, repacks, strays);
    }

    /** More than {@code maxUnusedPercent} of the pack's blob bytes unused. */
    private static boolean sparse(Acc a, PruneOptions options) {
        long blobBytes = blobBytes(a.pack);
        if (blobBytes <= 0) {
            return false; // the index's size does not fit the format: leave the pack alone (verify reports it)
        }
        long unused = Math.max(0, blobBytes - a.usedBytes);
        return unused * 100 > (long) options.maxUnusedPercent() * blobBytes;
    }

    /** The stored bytes of all blobs in a pack: its size less header, footer and trailer (format v1). */
    static long blobBytes(PruneState.IndexedPack p) {
        return p.size() - FIXED_OVERHEAD - p.tenant().getBytes(StandardCharsets.US_ASCII).length - (long) FOOTER_ENTRY * p.blobCount();
    }
}
