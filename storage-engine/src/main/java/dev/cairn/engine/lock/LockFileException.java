package dev.cairn.engine.lock;

import dev.cairn.engine.repo.RepoException;

/**
 * A lock file exists but cannot be read or makes no sense. Cairn fails closed: the snapshot is treated
 * as locked forever (never forgotten, its files and packs never released) and its lock cannot be
 * changed until the file is repaired. The message names the snapshot and says what to do; it never
 * contains file content.
 */
public final class LockFileException extends RepoException {
    private static final long serialVersionUID = 1L;

    private final String tenant;
    private final String snapshot;

    LockFileException(String tenant, String snapshot, String problem, Throwable cause) {
        super("the lock file of snapshot " + snapshot + " (tenant " + tenant + ") cannot be read: " + problem
                + ". Cairn treats the snapshot as locked forever: it is never forgotten and its lock cannot be changed."
                + " Restore locks/" + tenant + "/" + snapshot + ".lock from a copy of the repository, or rewrite it"
                + " as docs/formats/repository.md section 7 describes, then retry", cause);
        this.tenant = tenant;
        this.snapshot = snapshot;
    }

    public String tenant() {
        return tenant;
    }

    public String snapshot() {
        return snapshot;
    }
}
