package dev.cairn.cli.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The benchmark's scratch directory and what every tool shares: the live source tree {@code src} (day 1,
 * then updated in place to day 2, as a server's disk changes overnight) and the time limit of one step.
 */
record Workspace(Path dir, Path src, Duration stepLimit) {
    Path repo(String tool) {
        return dir.resolve("repo-" + tool);
    }

    Path restoreTarget(String tool) {
        return dir.resolve("restore-" + tool);
    }
}
