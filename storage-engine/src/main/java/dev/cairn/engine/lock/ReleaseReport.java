package dev.cairn.engine.lock;

import java.util.List;

/**
 * What {@link Locks#releaseExpired()} did.
 *
 * @param snapshotFiles snapshot files whose immutable attribute was lifted (their lock expired or is gone)
 * @param lockFiles     lock files whose attribute was lifted (the lock expired)
 * @param packs         packs whose attribute was lifted (no active lock references them any more)
 * @param activeLocks   snapshots whose lock is active (or whose lock file is unreadable): left as they are
 * @param problems      what could not be done, one line each; a tenant whose locked snapshots could not
 *                      be walked keeps every pack protected (fail closed)
 */
public record ReleaseReport(int snapshotFiles, int lockFiles, int packs, int activeLocks, List<String> problems) {

    public ReleaseReport {
        problems = List.copyOf(problems);
    }

    public String describe() {
        return "released " + snapshotFiles + " snapshot files, " + lockFiles + " lock files and " + packs
                + " packs; " + activeLocks + " snapshots stay locked"
                + (problems.isEmpty() ? "" : "; problems: " + String.join("; ", problems));
    }
}
