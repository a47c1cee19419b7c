package dev.cairn.engine.fs;

import java.time.Instant;

/**
 * What {@code statx(2)} says about an inode, without following a symbolic link.
 *
 * <p>Times are {@link Instant}s, exact to the nanosecond: seconds and nanoseconds as the kernel keeps
 * them, so dates outside 1677..2262 (which a single {@code long} of nanoseconds cannot hold, and which
 * ext4 and XFS can store) survive too. The birth time is not here: nothing can restore it.
 *
 * @param type the inode type
 * @param mode the permission bits with set-user-ID (04000), set-group-ID (02000) and sticky (01000):
 *        {@code st_mode & 07777}
 * @param uid the owner, unsigned 32 bits
 * @param gid the group, unsigned 32 bits
 * @param size bytes for a file, the target's length for a symlink, file-system specific for others
 * @param atime last access
 * @param mtime last modification of the content
 * @param ctime last change of the inode (cannot be set; a restore compares it, never writes it)
 * @param inode the inode number
 * @param dev the device holding the inode, as glibc's {@code makedev(major, minor)} ({@code st_dev})
 * @param rdev the device a character or block device node stands for ({@code st_rdev}), 0 otherwise
 * @param nlink the number of hard links
 * @param blocks 512-byte blocks allocated: less than size/512 for a sparse file
 */
public record FileStat(FileType type, int mode, long uid, long gid, long size, Instant atime, Instant mtime,
        Instant ctime, long inode, long dev, long rdev, long nlink, long blocks) {

    /** glibc's {@code gnu_dev_makedev}: the 64-bit {@code dev_t} of a major and a minor number. */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0x00000fffL) << 8) | ((ma & 0xfffff000L) << 32)
                | (mi & 0x000000ffL) | ((mi & 0xffffff00L) << 12);
    }

    /** glibc's {@code gnu_dev_major}. */
    public static int major(long dev) {
        return (int) (((dev >>> 8) & 0x00000fffL) | ((dev >>> 32) & 0xfffff000L));
    }

    /** glibc's {@code gnu_dev_minor}. */
    public static int minor(long dev) {
        return (int) ((dev & 0x000000ffL) | ((dev >>> 12) & 0xffffff00L));
    }

    public int rdevMajor() {
        return major(rdev);
    }

    public int rdevMinor() {
        return minor(rdev);
    }
}
