package dev.cairn.engine.browse;

import dev.cairn.engine.repo.RepoException;

/**
 * A path given by the operator names nothing in a snapshot. The message says which component failed and
 * why, never the name itself (names are PHI); the command line, which knows what was typed, adds it.
 */
public final class PathNotFoundException extends RepoException {
    private static final long serialVersionUID = 1L;

    private final String snapshot;
    private final int component;

    PathNotFoundException(String snapshot, int component, int of, String why) {
        super("snapshot " + snapshot + " has nothing at the path given: its component " + component + " of " + of + " " + why);
        this.snapshot = snapshot;
        this.component = component;
    }

    /** The short id of the snapshot searched. */
    public String snapshot() {
        return snapshot;
    }

    /** The first component (1-based) that was missing or not a directory. */
    public int component() {
        return component;
    }
}
