package dev.cairn.engine.fs;

/**
 * The Linux immutable attribute of a file ({@code FS_IMMUTABLE_FL}, the {@code i} of {@code chattr}
 * and {@code lsattr}), as {@link Dir#immutable} reads it and {@link Dir#setImmutable} leaves it.
 *
 * <p>While it is set, nobody (root included) can write, truncate, rename, unlink or hard-link the
 * file, or change its metadata; lifting it needs {@code CAP_LINUX_IMMUTABLE}. The retention locks of
 * the repository use it as a second line behind the lock files (docs/retention.md).
 */
public enum ImmutableState {
    /** The attribute is set. */
    SET,
    /** The attribute is not set. */
    CLEAR,
    /**
     * The file cannot carry the attribute: the file system has no inode flags ({@code ENOTTY} or
     * {@code EOPNOTSUPP}), it ignored the flag, or the file is neither a regular file nor a directory.
     */
    UNSUPPORTED
}
