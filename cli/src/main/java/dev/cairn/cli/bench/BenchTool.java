package dev.cairn.cli.bench;

import java.nio.file.Path;

/**
 * A backup program under measurement. Steps are run as separate processes under {@code /usr/bin/time -v};
 * the calls are made in the order init, backup (day 1), backup (day 2), restore.
 */
interface BenchTool {
    String name();

    /** Version and settings, for the record. */
    String settings();

    /** Creates the repository (not measured). */
    void init();

    /** Backs up {@code workspace.src()}; the second call is incremental to the first. */
    TimedRun backup(String phase);

    /** Restores the newest backup into the empty {@code target}. */
    TimedRun restore(Path target);

    /** Where the restored copy of {@code workspace.src()} is below {@code target}. */
    Path restoredTree(Path target);

    /** Backup statistics the tool printed, as JSON text, or null. */
    default String stats(TimedRun backup) {
        return null;
    }
}
