package dev.cairn.engine.fs;

import java.util.Optional;

/**
 * A system call of the filesystem layer failed. Carries the operation (the Java method, such as
 * {@code "Dir.openRead"}), the C function ({@code "openat"}) and the errno, and the message says just
 * that: {@code "Dir.openRead: openat failed: ELOOP (Too many levels of symbolic links)"}.
 *
 * <p>The message never contains a file name: names are PHI, and exception messages reach general
 * logs. {@link #path()} holds the name the call was about, for a caller that may show it to an
 * authorised user (through {@link NativeName#display()}), together with the directory it knows.
 */
public final class FsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String call;
    private final int errno;
    private final transient NativeName path;

    /**
     * @param operation the Java operation, for example {@code "Dir.stat"}
     * @param call the C function that failed, for example {@code "statx"}
     * @param errno the errno it set
     * @param path the name the call was about, or null
     */
    public FsException(String operation, String call, int errno, NativeName path) {
        super(operation + ": " + call + " failed: " + Errno.name(errno) + " (" + Errno.description(errno) + ")"
                + hint(operation, call, errno));
        this.operation = operation;
        this.call = call;
        this.errno = errno;
        this.path = path;
    }

    private static String hint(String operation, String call, int errno) {
        if (!call.equals("openat")) {
            return "";
        }
        if (errno == Errno.ELOOP) {
            return "; the name is a symbolic link, which this layer never follows";
        }
        if (errno == Errno.ENOTDIR && (operation.equals("Dir.openDir") || operation.equals("Dir.open"))) {
            return "; the name is not a directory, or is a symbolic link (never followed)";
        }
        return "";
    }

    public String operation() {
        return operation;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** The symbolic errno name, for example {@code "ENOENT"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The name the failed call was about, when there was one. PHI: see the class comment. */
    public Optional<NativeName> path() {
        return Optional.ofNullable(path);
    }

    /**
     * Whether trying again later may succeed without anyone changing anything: an interrupted call,
     * a busy or temporarily unavailable resource, a stale NFS handle or a timeout. Everything else
     * (missing, forbidden, full, corrupt, I/O error) is permanent for this attempt.
     */
    public boolean retryable() {
        return errno == Errno.EINTR || errno == Errno.EAGAIN || errno == Errno.EBUSY || errno == Errno.ESTALE
                || errno == Errno.ETIMEDOUT;
    }
}
