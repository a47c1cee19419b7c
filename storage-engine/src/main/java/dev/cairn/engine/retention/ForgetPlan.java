package dev.cairn.engine.retention;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link RetentionPlanner#plan}: for every group (tenant and source) the snapshots to
 * keep, each with the reasons it is kept, and the snapshots to forget. Immutable; it can be shown
 * ({@link #toText()}, the {@code --dry-run} output), recorded in the audit log, and executed by the
 * engine.
 *
 * <p>Order is stable and independent of the order of the planner's input: groups by tenant, then
 * source; inside a group newest first, ties by id.
 *
 * <p>A plan is a statement about the moment {@link #now()}. The engine that executes it must still
 * refuse to forget a snapshot whose lock is active when it acts (a legal hold may have been set
 * since the plan was made); see docs/retention.md, "What forget and prune guarantee".
 *
 * @param now    the time the plan was made for
 * @param policy the policy it applies
 * @param groups one entry per group that has at least one snapshot
 */
public record ForgetPlan(Instant now, KeepPolicy policy, List<Group> groups) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    /** Newest first, ties by id: the order of every list in a plan. */
    static final Comparator<SnapshotInfo> NEWEST_FIRST =
            Comparator.comparing(SnapshotInfo::time).reversed().thenComparing(SnapshotInfo::id);

    public ForgetPlan {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(policy, "policy");
        groups = List.copyOf(groups);
    }

    /** Ids of all snapshots to forget, group by group, newest first. */
    public List<String> forget() {
        return groups.stream().flatMap(g -> g.forget().stream()).map(SnapshotInfo::id).toList();
    }

    /** Ids of all snapshots to keep, group by group, newest first. */
    public List<String> keep() {
        return groups.stream().flatMap(g -> g.keep().stream()).map(k -> k.snapshot().id()).toList();
    }

    /**
     * The {@code --dry-run} text: one line per snapshot, groups in order, newest first inside a group,
     * each line ending in a newline:
     *
     * <pre>
     * keep    2026-11-29T02:00:00Z  &lt;id&gt;  &lt;tenant&gt;  &lt;source&gt;  [daily 2026-11-29, weekly 2026-W48]
     * forget  2026-11-28T02:00:00Z  &lt;id&gt;  &lt;tenant&gt;  &lt;source&gt;
     * </pre>
     *
     * <p>Times are shown in the policy's zone, the zone the bucket labels are in.
     */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Group g : groups) {
            List<Line> lines = new ArrayList<>();
            g.keep().forEach(k -> lines.add(new Line(k.snapshot(), k.reasons())));
            g.forget().forEach(s -> lines.add(new Line(s, null)));
            lines.sort(Comparator.comparing(Line::snapshot, NEWEST_FIRST));
            for (Line line : lines) {
                SnapshotInfo s = line.snapshot();
                sb.append(line.reasons() == null ? "forget  " : "keep    ")
                        .append(TIME.format(s.time().atZone(policy.zone()))).append("  ")
                        .append(s.id()).append("  ")
                        .append(s.tenant()).append("  ")
                        .append(s.source());
                if (line.reasons() != null) {
                    sb.append("  [").append(String.join(", ", line.reasons())).append(']');
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private record Line(SnapshotInfo snapshot, List<String> reasons) {
    }

    /**
     * The plan for one group.
     *
     * @param tenant the group's tenant
     * @param source the group's source
     * @param keep   snapshots kept, newest first, each with at least one reason
     * @param forget snapshots to forget, newest first
     */
    public record Group(String tenant, String source, List<Kept> keep, List<SnapshotInfo> forget) {

        public Group {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(source, "source");
            keep = List.copyOf(keep);
            forget = List.copyOf(forget);
        }

        /**
         * True if this group would lose every snapshot. With a non-empty policy this happens only
         * when every snapshot falls outside {@code keepWithin} and no count or tag rule applies (for
         * example backups stopped longer ago than {@code --keep-within}). Callers should warn.
         */
        public boolean forgetsEverything() {
            return keep.isEmpty() && !forget.isEmpty();
        }
    }

    /**
     * A kept snapshot and why: lock reasons first ({@code locked: compliance until ...},
     * {@code legal hold}), then {@code last N}, {@code hourly ...}, {@code daily ...},
     * {@code weekly ...}, {@code monthly ...}, {@code yearly ...}, {@code within ...},
     * {@code tag:...}.
     */
    public record Kept(SnapshotInfo snapshot, List<String> reasons) {

        public Kept {
            Objects.requireNonNull(snapshot, "snapshot");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty()) {
                throw new IllegalArgumentException("a kept snapshot needs a reason: " + snapshot.id());
            }
        }
    }
}
