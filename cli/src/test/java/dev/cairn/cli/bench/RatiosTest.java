package dev.cairn.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RatiosTest {
    static final long GIB2 = 2L << 30;

    static Map<String, PhaseResult> phases(String tool, double d1Wall, long d1Repo, double d2Wall, long d2Repo, double restoreWall, double rss) {
        return Map.of(PhaseResult.DAY1, new PhaseResult(tool, PhaseResult.DAY1, d1Wall, GIB2, d1Repo, rss),
                PhaseResult.DAY2, new PhaseResult(tool, PhaseResult.DAY2, d2Wall, GIB2, d2Repo, rss / 2),
                PhaseResult.RESTORE, new PhaseResult(tool, PhaseResult.RESTORE, restoreWall, GIB2, -1, rss / 4));
    }

    @Test
    void ratiosAreAgainstResticAndEachTargetIsJudged() {
        Map<String, PhaseResult> restic = phases("restic", 18.0, 1000L << 20, 5.0, 1140L << 20, 8.0, 130);
        Map<String, PhaseResult> cairn = phases("cairn", 6.0, 900L << 20, 3.0, 950L << 20, 4.0, 800);
        Map<String, Object> line = Ratios.line("cairn", cairn, restic, true);
        assertThat(line.get("day1_throughput_ratio")).isEqualTo(3.0);
        assertThat(line.get("day2_wall_ratio")).isEqualTo(0.6);
        assertThat(line.get("repo_after_day2_ratio")).isEqualTo(0.833);
        assertThat(line.get("growth_ratio")).isEqualTo(0.357); // 50 MiB against 140 MiB
        assertThat(line.get("restore_throughput_ratio")).isEqualTo(2.0);
        assertThat(line.get("peak_rss_mib")).isEqualTo(800.0);
        assertThat(line.get("growth_mib")).isEqualTo(50.0);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> targets = (Map<String, Map<String, Object>>) line.get("targets");
        assertThat(targets.get("day1_throughput_ratio").get("met")).isEqualTo(true);
        assertThat(targets.get("day2_wall_ratio").get("met")).isEqualTo(false); // 0.6 > 0.5
        assertThat(targets.get("restore_throughput_ratio").get("met")).isEqualTo(true); // exactly 2.0 meets >= 2
        assertThat(targets.get("peak_rss_mib").get("met")).isEqualTo(true);
        assertThat(line.get("all_met")).isEqualTo(false);
    }

    @Test
    void withoutResticTheRatiosAreUnknownAndNotMet() {
        Map<String, Object> line = Ratios.line("cairn", phases("cairn", 6, 1, 3, 2, 4, 500), Map.of(), true);
        assertThat(line.get("day1_throughput_ratio")).isNull();
        assertThat(line.get("peak_rss_mib")).isEqualTo(500.0);
        assertThat(line.get("all_met")).isEqualTo(false);
        assertThat(Ratios.line("borg", phases("borg", 6, 1, 3, 2, 4, 90), Map.of(), false)).doesNotContainKey("targets");
    }

    @Test
    void timeReportsAndDigestLinesAreParsed() {
        String report = """
                	Command being timed: "restic backup"
                	User time (seconds): 28.27
                	System time (seconds): 5.91
                	Percent of CPU this job got: 187%
                	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:18.26
                	Maximum resident set size (kbytes): 131276
                	Exit status: 0
                """;
        TimedRun r = TimedRun.parse(report, 18.264, "");
        assertThat(r.maxRssKib()).isEqualTo(131276);
        assertThat(r.userSeconds()).isEqualTo(28.27);
        assertThat(r.sysSeconds()).isEqualTo(5.91);
        assertThat(r.cpuPercent()).isEqualTo(187);
        assertThatThrownBy(() -> TimedRun.parse("sh: 1: time: not found", 1, "")).isInstanceOf(BenchException.class)
                .hasMessageContaining("GNU time");

        StorageBench.Generated g = StorageBench.Generated.parse("day 1 ... wrote\ndigest 6762dce4 files 14431 bytes 2150374707\n", 2.5);
        assertThat(g.digest()).isEqualTo("6762dce4");
        assertThat(g.files()).isEqualTo(14431);
        assertThat(g.bytes()).isEqualTo(2150374707L);
        assertThatThrownBy(() -> StorageBench.Generated.parse("Traceback ...", 0)).isInstanceOf(BenchException.class);
    }

    @Test
    void optionsAndDiskNeedsAreChecked() {
        assertThatThrownBy(() -> new StorageBench.Options(2048, 1, java.util.List.of("cairn", "tar"), false, false, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StorageBench.Options(8, 1, java.util.List.of("cairn"), false, false, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        // source + reference/restore copy + ~0.7 of the data per repository + 1 GiB
        assertThat(StorageBench.bytesNeeded(8192, 1)).isEqualTo((2L * 8192 << 20) + (long) (0.7 * (8192L << 20)) + (1L << 30));
        assertThat(StorageBench.stepLimit(8192).toMinutes()).isEqualTo(10 + 8192 / 60);
    }
}
