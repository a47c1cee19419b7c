package dev.cairn.cli.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ratio line of {@code cairn bench}: one tool against restic from the same run, and issue 3's
 * targets for this 2-core machine. Only ratios are compared, never absolute times: the machine is shared
 * and absolute figures move by 10-20% between runs.
 */
final class Ratios {
    /** A target: the ratio's name, its bound, and whether larger is better. */
    record Target(String name, double bound, boolean atLeast) {
        boolean met(double value) {
            return atLeast ? value >= bound : value <= bound;
        }

        String text() {
            return (atLeast ? ">= " : "<= ") + bound;
        }
    }

    static final List<Target> TARGETS = List.of(
            new Target("day1_throughput_ratio", 2.5, true),
            new Target("day2_wall_ratio", 0.5, false),
            new Target("repo_after_day2_ratio", 1.0, false),
            new Target("growth_ratio", 0.6, false),
            new Target("restore_throughput_ratio", 2.0, true),
            new Target("peak_rss_mib", 1024, false));

    private Ratios() {
    }

    /**
     * The ratios of {@code tool}'s phases against {@code restic}'s (both keyed by phase), and for Cairn
     * each target with its bound and whether it is met. Missing phases give null ratios.
     */
    static Map<String, Object> line(String tool, Map<String, PhaseResult> mine, Map<String, PhaseResult> restic, boolean withTargets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bench", "storage");
        m.put("kind", "ratios");
        m.put("tool", tool);
        m.put("against", "restic");
        PhaseResult d1 = mine.get(PhaseResult.DAY1);
        PhaseResult d2 = mine.get(PhaseResult.DAY2);
        PhaseResult re = mine.get(PhaseResult.RESTORE);
        PhaseResult rd1 = restic.get(PhaseResult.DAY1);
        PhaseResult rd2 = restic.get(PhaseResult.DAY2);
        PhaseResult rre = restic.get(PhaseResult.RESTORE);
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("day1_throughput_ratio", d1 == null || rd1 == null ? null : d1.mibPerSecond() / rd1.mibPerSecond());
        values.put("day2_wall_ratio", d2 == null || rd2 == null ? null : d2.wallSeconds() / rd2.wallSeconds());
        values.put("repo_after_day2_ratio", d2 == null || rd2 == null ? null : (double) d2.repoBytes() / rd2.repoBytes());
        values.put("growth_ratio", d1 == null || d2 == null || rd1 == null || rd2 == null ? null
                : (double) (d2.repoBytes() - d1.repoBytes()) / (rd2.repoBytes() - rd1.repoBytes()));
        values.put("restore_throughput_ratio", re == null || rre == null ? null : re.mibPerSecond() / rre.mibPerSecond());
        double rss = mine.values().stream().mapToDouble(PhaseResult::maxRssMib).max().orElse(Double.NaN);
        values.put("peak_rss_mib", Double.isNaN(rss) ? null : rss);
        values.forEach((k, v) -> m.put(k, v == null ? null : BenchJson.round(v, k.equals("peak_rss_mib") ? 1 : 3)));
        if (d1 != null && d2 != null) {
            m.put("growth_mib", BenchJson.round((d2.repoBytes() - d1.repoBytes()) / 1048576.0, 1));
        }
        if (rd1 != null && rd2 != null) {
            m.put("restic_growth_mib", BenchJson.round((rd2.repoBytes() - rd1.repoBytes()) / 1048576.0, 1));
        }
        if (withTargets) {
            Map<String, Object> targets = new LinkedHashMap<>();
            boolean all = true;
            for (Target t : TARGETS) {
                Double v = values.get(t.name());
                Boolean met = v == null ? null : t.met(v);
                all &= Boolean.TRUE.equals(met);
                targets.put(t.name(), BenchJson.object("target", t.text(), "met", met));
            }
            m.put("targets", targets);
            m.put("all_met", all);
        }
        return m;
    }
}
