package dev.cairn.cli.bench;

/**
 * One tool's figures for one phase ({@code backup_day1}, {@code backup_day2}, {@code restore_day2}).
 *
 * @param srcBytes  the bytes of the tree backed up or restored; MiB/s is this over the wall time
 * @param repoBytes the repository's {@code du -sb} after the phase, or -1 (restores)
 */
record PhaseResult(String tool, String phase, double wallSeconds, long srcBytes, long repoBytes, double maxRssMib) {
    static final String DAY1 = "backup_day1";
    static final String DAY2 = "backup_day2";
    static final String RESTORE = "restore_day2";

    double mibPerSecond() {
        return srcBytes / 1048576.0 / wallSeconds;
    }
}
