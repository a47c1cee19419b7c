package dev.cairn.engine.fs;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An open directory: a descriptor opened with {@code O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC}
 * (and {@code O_NOATIME} where permitted), and every operation on a name in it through the {@code *at}
 * system calls relative to that descriptor. Nothing here ever follows a symbolic link: the backup walks
 * down with {@link #openDir(NativeName)}, so a symlink swapped in for a directory during the walk fails
 * (with {@code ENOTDIR}: the kernel checks {@code O_DIRECTORY} before {@code O_NOFOLLOW}) instead of
 * leading outside the tree, and paths longer than {@code PATH_MAX} are no obstacle (no full path is ever
 * built).
 *
 * <p>Ownership: the caller closes every {@code Dir} and {@link OpenFile} it gets. A {@code Dir} does
 * not keep its children open.
 *
 * <p>Thread safety: all methods may run from several threads at once ({@link #list()} is
 * synchronised, because it uses the descriptor's offset). {@link #close()} must not race with them:
 * the kernel reuses a closed descriptor's number at once, so a call still running could act on another
 * file. Methods called after {@code close()} throw {@link IllegalStateException}.
 *
 * <p>Errors are {@link FsException}s naming the operation and errno, never the file name
 * ({@link FsException#path()} has it). Creating calls ({@link #mkdir}, {@link #create}, {@link #mkfifo},
 * {@link #mknod}) pass a mode that the process umask still narrows: a restore sets the exact mode
 * afterwards with {@link #chmod}. See docs/engine-fs.md for the order a restore applies metadata in.
 */
public final class Dir implements AutoCloseable {
    private static final int DIR_FLAGS = Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC
            | Libc.O_NOCTTY;
    /** O_NONBLOCK: a FIFO (or a device) swapped in for a file after stat() does not hang the backup. */
    private static final int READ_FLAGS = Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_NOCTTY
            | Libc.O_CLOEXEC;
    private static final int CREATE_FLAGS = Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW
            | Libc.O_NOCTTY | Libc.O_CLOEXEC;
    private static final int STAT_FLAGS = Libc.AT_SYMLINK_NOFOLLOW | Libc.AT_NO_AUTOMOUNT;
    /** For the inode-flag ioctls: read-only, as chattr opens, never following a symlink nor blocking. */
    private static final int INODE_FLAGS_OPEN = Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_NONBLOCK | Libc.O_NOCTTY
            | Libc.O_CLOEXEC;
    private static final int LIST_BUFFER = 64 * 1024;
    private static final int MAX_LINK = 1 << 20;

    private final Fd fd;
    /** "/proc/self/fd/N/": the xattr calls on a name without following it (docs/engine-fs.md, section xattrs). */
    private final byte[] procPrefix;

    private Dir(int fd) {
        this.fd = new Fd(this, fd);
        this.procPrefix = ("/proc/self/fd/" + fd + "/").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Opens a directory by path. Symbolic links in the leading components are followed as usual; the
     * last component is not ({@code ENOTDIR} if it is a symlink: pass {@link Path#toRealPath} when the
     * configured root may be one). The path is encoded the way the JDK encodes it for its own system
     * calls ({@code sun.jnu.encoding}); for a path that is not text use {@link #open(byte[])}, and for
     * anything below a root, {@link #openDir(NativeName)}.
     */
    public static Dir open(Path path) {
        Charset cs = jnuCharset();
        byte[] bytes;
        try {
            ByteBuffer bb = cs.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(path.toString()));
            bytes = Arrays.copyOf(bb.array(), bb.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the path cannot be encoded in " + cs + "; use Dir.open(byte[])", e);
        }
        return open(bytes);
    }

    /** Opens a directory by a path given as bytes (absolute, or relative to the working directory). */
    public static Dir open(byte[] path) {
        if (path.length == 0) {
            throw new IllegalArgumentException("an empty path");
        }
        for (byte b : path) {
            if (b == 0) {
                throw new IllegalArgumentException("a path holds no NUL");
            }
        }
        try (Arena a = Arena.ofConfined()) {
            return new Dir(openat(a, Libc.AT_FDCWD, Libc.cString(a, path), DIR_FLAGS, 0, true, "Dir.open", null));
        }
    }

    private static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    // ------------------------------------------------------------------ reading side

    /**
     * Opens the subdirectory {@code name}, never following a symlink: a symlink (even to a directory)
     * and anything else that is not a directory give {@code ENOTDIR}.
     */
    public Dir openDir(NativeName name) {
        try (Arena a = Arena.ofConfined()) {
            return new Dir(openat(a, fd(), Libc.cString(a, name.raw()), DIR_FLAGS, 0, true, "Dir.openDir", name));
        }
    }

    /**
     * The names in this directory, without "." and "..", sorted by unsigned bytes. One
     * {@code getdents64(2)} pass from offset 0, so every call sees the directory afresh.
     */
    public synchronized List<NativeName> list() {
        int dirfd = fd();
        try (Arena a = Arena.ofConfined()) {
            long r = Libc.lseek(a, dirfd, 0, Libc.SEEK_SET);
            if (r < 0) {
                throw new FsException("Dir.list", "lseek", (int) -r, null);
            }
            MemorySegment buf = a.allocate(LIST_BUFFER, 8);
            List<NativeName> names = new ArrayList<>();
            while (true) {
                long n = Libc.getdents64(a, dirfd, buf);
                if (n == -Errno.EINTR) {
                    continue;
                }
                if (n < 0) {
                    throw new FsException("Dir.list", "getdents64", (int) -n, null);
                }
                if (n == 0) {
                    break;
                }
                long pos = 0;
                while (pos < n) {
                    int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT, pos + Libc.D_RECLEN));
                    long start = pos + Libc.D_NAME;
                    long end = start;
                    long limit = pos + reclen;
                    while (end < limit && buf.get(JAVA_BYTE, end) != 0) {
                        end++;
                    }
                    byte[] name = buf.asSlice(start, end - start).toArray(JAVA_BYTE);
                    if (!isDotOrDotDot(name)) {
                        names.add(NativeName.ofOwned(name));
                    }
                    pos += reclen;
                }
            }
            Collections.sort(names);
            return Collections.unmodifiableList(names);
        }
    }

    private static boolean isDotOrDotDot(byte[] n) {
        return (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
    }

    /** {@code statx(2)} of {@code name}, not following a symlink nor triggering an automount. */
    public FileStat stat(NativeName name) {
        try (Arena a = Arena.ofConfined()) {
            return statx(a, fd(), Libc.cString(a, name.raw()), STAT_FLAGS, "Dir.stat", name);
        }
    }

    /** {@code statx(2)} of this directory itself. */
    public FileStat stat() {
        try (Arena a = Arena.ofConfined()) {
            return statx(a, fd(), Libc.emptyString(a), STAT_FLAGS | Libc.AT_EMPTY_PATH, "Dir.stat", null);
        }
    }

    static FileStat statx(Arena a, int dirfd, MemorySegment path, int flags, String op, NativeName name) {
        MemorySegment buf = a.allocate(Libc.STATX_SIZE_OF, 8);
        int r = Libc.statx(a, dirfd, path, flags, Libc.STATX_BASIC_STATS, buf);
        if (r < 0) {
            throw new FsException(op, "statx", -r, name);
        }
        int mask = buf.get(java.lang.foreign.ValueLayout.JAVA_INT, Libc.STX_MASK);
        if ((mask & (Libc.STATX_TYPE | Libc.STATX_MODE)) != (Libc.STATX_TYPE | Libc.STATX_MODE)) {
            throw new IllegalStateException(op + ": statx returned no type and mode (mask 0x"
                    + Integer.toHexString(mask) + ")");
        }
        return Libc.decodeStatx(buf);
    }

    /** The target of the symlink {@code name}, byte for byte (it may dangle; nothing resolves it). */
    public byte[] readlink(NativeName name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = Libc.cString(a, name.raw());
            for (int size = 256; size <= MAX_LINK; size *= 2) {
                MemorySegment buf = a.allocate(size);
                long n = Libc.readlinkat(a, fd(), path, buf);
                if (n < 0) {
                    throw new FsException("Dir.readlink", "readlinkat", (int) -n, name);
                }
                if (n < size) {
                    return buf.asSlice(0, n).toArray(JAVA_BYTE);
                }
            }
            throw new FsException("Dir.readlink", "readlinkat", Errno.ENAMETOOLONG, name);
        }
    }

    /**
     * Every extended attribute of {@code name}, not following a symlink: all namespaces the process may
     * read ({@code user.*}; {@code trusted.*} with CAP_SYS_ADMIN; {@code security.*}; the POSIX ACLs
     * {@code system.posix_acl_access} and {@code system.posix_acl_default} in the kernel's raw xattr
     * form). Sorted by name; the values are fresh arrays the caller owns. A file system without xattr
     * support gives an empty map. An attribute removed between listing and reading is left out.
     *
     * <p>Done with {@code llistxattr}/{@code lgetxattr} on {@code /proc/self/fd/<this dir>/<name>}: the
     * kernel resolves the descriptor's magic link to this very directory, then looks up {@code name}
     * in it without following it. Needs /proc mounted.
     */
    public SortedMap<XattrName, byte[]> xattrs(NativeName name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = procPath(a, name);
            return readXattrs(a, new XattrSource() {
                @Override
                public long list(MemorySegment buf) {
                    return Libc.llistxattr(a, path, buf);
                }

                @Override
                public long get(MemorySegment xname, MemorySegment buf) {
                    return Libc.lgetxattr(a, path, xname, buf);
                }
            }, "Dir.xattrs", "llistxattr", "lgetxattr", name);
        }
    }

    /** The extended attributes of this directory itself ({@code flistxattr}/{@code fgetxattr}). */
    public SortedMap<XattrName, byte[]> xattrs() {
        int dirfd = fd();
        try (Arena a = Arena.ofConfined()) {
            return readXattrs(a, new XattrSource() {
                @Override
                public long list(MemorySegment buf) {
                    return Libc.flistxattr(a, dirfd, buf);
                }

                @Override
                public long get(MemorySegment xname, MemorySegment buf) {
                    return Libc.fgetxattr(a, dirfd, xname, buf);
                }
            }, "Dir.xattrs", "flistxattr", "fgetxattr", null);
        }
    }

    private interface XattrSource {
        long list(MemorySegment buf);

        long get(MemorySegment name, MemorySegment buf);
    }

    private static SortedMap<XattrName, byte[]> readXattrs(Arena a, XattrSource src, String op, String listCall,
            String getCall, NativeName forError) {
        byte[] list;
        while (true) {
            long size = src.list(MemorySegment.NULL);
            if (size == -Errno.EOPNOTSUPP) {
                return Collections.emptySortedMap();
            }
            if (size < 0) {
                throw new FsException(op, listCall, (int) -size, forError);
            }
            if (size == 0) {
                return Collections.emptySortedMap();
            }
            MemorySegment buf = a.allocate(size);
            long n = src.list(buf);
            if (n == -Errno.ERANGE) {
                continue; // grew between the two calls
            }
            if (n < 0) {
                throw new FsException(op, listCall, (int) -n, forError);
            }
            list = buf.asSlice(0, n).toArray(JAVA_BYTE);
            break;
        }
        TreeMap<XattrName, byte[]> out = new TreeMap<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] != 0) {
                continue;
            }
            if (i > start) {
                byte[] nameBytes = Arrays.copyOfRange(list, start, i);
                byte[] value = readOneXattr(a, src, nameBytes, op, getCall, forError);
                if (value != null) {
                    out.put(XattrName.ofOwned(nameBytes), value);
                }
            }
            start = i + 1;
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** One value, or null when the attribute vanished since the listing. */
    private static byte[] readOneXattr(Arena a, XattrSource src, byte[] name, String op, String getCall,
            NativeName forError) {
        MemorySegment cname = Libc.cString(a, name);
        while (true) {
            long size = src.get(cname, MemorySegment.NULL);
            if (size == -Errno.ENODATA) {
                return null;
            }
            if (size < 0) {
                throw new FsException(op, getCall, (int) -size, forError);
            }
            if (size == 0) {
                return new byte[0];
            }
            MemorySegment buf = a.allocate(size);
            long n = src.get(cname, buf);
            if (n == -Errno.ERANGE) {
                continue;
            }
            if (n == -Errno.ENODATA) {
                return null;
            }
            if (n < 0) {
                throw new FsException(op, getCall, (int) -n, forError);
            }
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    /**
     * Opens {@code name} for reading with {@code O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
     * O_CLOEXEC}, plus {@code O_NOATIME} where permitted (the owner or CAP_FOWNER; otherwise it is
     * dropped after {@code EPERM}), so a backup does not change access times. A symlink fails with
     * {@code ELOOP}. {@code O_NONBLOCK} makes a FIFO or device that replaced the file since its
     * {@link #stat} open without waiting; compare {@link OpenFile#stat()} with the earlier stat
     * (type, inode, dev) before reading.
     */
    public OpenFile openRead(NativeName name) {
        try (Arena a = Arena.ofConfined()) {
            return new OpenFile(openat(a, fd(), Libc.cString(a, name.raw()), READ_FLAGS, 0, true,
                    "Dir.openRead", name));
        }
    }

    // ------------------------------------------------------------------ restore side

    /** {@code mkdirat(2)}; the umask applies. */
    public void mkdir(NativeName name, int mode) {
        checkMode(mode);
        try (Arena a = Arena.ofConfined()) {
            check(Libc.mkdirat(a, fd(), Libc.cString(a, name.raw()), mode), "Dir.mkdir", "mkdirat", name);
        }
    }

    /** {@code symlinkat(2)}: a symlink {@code name} holding {@code target} exactly (it may dangle). */
    public void symlink(NativeName name, byte[] target) {
        if (target.length == 0) {
            throw new IllegalArgumentException("a symlink target is not empty");
        }
        for (byte b : target) {
            if (b == 0) {
                throw new IllegalArgumentException("a symlink target holds no NUL");
            }
        }
        try (Arena a = Arena.ofConfined()) {
            check(Libc.symlinkat(a, Libc.cString(a, target), fd(), Libc.cString(a, name.raw())),
                    "Dir.symlink", "symlinkat", name);
        }
    }

    /**
     * {@code linkat(2)} with flags 0: a hard link {@code newName} here to {@code existingName} in
     * {@code existingDir} (which may be this directory). A symlink is linked itself, not its target.
     */
    public void link(Dir existingDir, NativeName existingName, NativeName newName) {
        try (Arena a = Arena.ofConfined()) {
            check(Libc.linkat(a, existingDir.fd(), Libc.cString(a, existingName.raw()), fd(),
                    Libc.cString(a, newName.raw()), 0), "Dir.link", "linkat", newName);
        }
    }

    /**
     * {@code mknodat(2)}: a FIFO, socket, character or block device (the last two need CAP_MKNOD), or an
     * empty regular file. {@code rdev} is a {@link FileStat#makedev} value, used for devices only. The
     * umask applies.
     */
    public void mknod(NativeName name, FileType type, int mode, long rdev) {
        checkMode(mode);
        if (type == FileType.DIRECTORY || type == FileType.SYMLINK) {
            throw new IllegalArgumentException("mknod makes no " + type + "; use mkdir or symlink");
        }
        try (Arena a = Arena.ofConfined()) {
            check(Libc.mknodat(a, fd(), Libc.cString(a, name.raw()), type.modeBits() | mode, rdev),
                    "Dir.mknod", "mknodat", name);
        }
    }

    /** {@code mkfifoat(3)}; the umask applies. */
    public void mkfifo(NativeName name, int mode) {
        checkMode(mode);
        try (Arena a = Arena.ofConfined()) {
            check(Libc.mkfifoat(a, fd(), Libc.cString(a, name.raw()), mode), "Dir.mkfifo", "mkfifoat", name);
        }
    }

    /**
     * Creates the regular file {@code name} for writing: {@code O_CREAT | O_EXCL | O_WRONLY |
     * O_NOFOLLOW | O_NOCTTY | O_CLOEXEC}. Fails with {@code EEXIST} when anything (a dangling symlink
     * included) has that name. The umask applies to {@code mode}.
     */
    public OpenFile create(NativeName name, int mode) {
        checkMode(mode);
        try (Arena a = Arena.ofConfined()) {
            return new OpenFile(openat(a, fd(), Libc.cString(a, name.raw()), CREATE_FLAGS, mode, false,
                    "Dir.create", name));
        }
    }

    /**
     * {@code fchownat(2)} with {@code AT_SYMLINK_NOFOLLOW}: a symlink gets the owner itself. uid and gid
     * are unsigned 32-bit ids; 4294967295 (-1, "leave unchanged" in C) is refused. Changing the owner
     * clears set-user-ID, set-group-ID and {@code security.capability}: set those afterwards.
     */
    public void chown(NativeName name, long uid, long gid) {
        checkId(uid, "uid");
        checkId(gid, "gid");
        try (Arena a = Arena.ofConfined()) {
            check(Libc.fchownat(a, fd(), Libc.cString(a, name.raw()), (int) uid, (int) gid, Libc.AT_SYMLINK_NOFOLLOW),
                    "Dir.chown", "fchownat", name);
        }
    }

    /**
     * {@code fchmodat(2)} with {@code AT_SYMLINK_NOFOLLOW}: the exact mode (07777, setuid, setgid and
     * sticky included, no umask). A symlink has no mode of its own on Linux and gives {@code EOPNOTSUPP}.
     */
    public void chmod(NativeName name, int mode) {
        checkMode(mode);
        try (Arena a = Arena.ofConfined()) {
            check(Libc.fchmodat(a, fd(), Libc.cString(a, name.raw()), mode, Libc.AT_SYMLINK_NOFOLLOW),
                    "Dir.chmod", "fchmodat", name);
        }
    }

    /**
     * {@code utimensat(2)} with {@code AT_SYMLINK_NOFOLLOW}: modification and access time to the
     * nanosecond, on a symlink itself too. A null leaves that time unchanged ({@code UTIME_OMIT}).
     * Set times last: writing data, xattrs or ACLs changes mtime or ctime.
     */
    public void setTimes(NativeName name, Instant mtime, Instant atime) {
        try (Arena a = Arena.ofConfined()) {
            check(Libc.utimensat(a, fd(), Libc.cString(a, name.raw()), Libc.timespecs(a, atime, mtime),
                    Libc.AT_SYMLINK_NOFOLLOW), "Dir.setTimes", "utimensat", name);
        }
    }

    /** {@link #setTimes(NativeName, Instant, Instant)} with nanoseconds since the epoch. */
    public void setTimes(NativeName name, long mtimeNs, long atimeNs) {
        setTimes(name, ofNanos(mtimeNs), ofNanos(atimeNs));
    }

    private static Instant ofNanos(long ns) {
        return Instant.ofEpochSecond(Math.floorDiv(ns, 1_000_000_000L), Math.floorMod(ns, 1_000_000_000L));
    }

    /**
     * Sets each extended attribute (create or replace, {@code lsetxattr(2)} flags 0) on {@code name}
     * without following a symlink, through the same {@code /proc/self/fd} path as {@link #xattrs}.
     * Attributes not in the map are left alone. Stops at the first failure (the earlier ones stay set).
     * On a symlink the kernel allows {@code trusted.*} and {@code security.*} but refuses
     * {@code user.*} ({@code EPERM}); a file system without xattrs gives {@code EOPNOTSUPP}.
     */
    public void setXattrs(NativeName name, Map<XattrName, byte[]> xattrs) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = procPath(a, name);
            for (Map.Entry<XattrName, byte[]> e : xattrs.entrySet()) {
                byte[] v = e.getValue();
                MemorySegment value = a.allocate(Math.max(1, v.length)).asSlice(0, v.length);
                MemorySegment.copy(v, 0, value, JAVA_BYTE, 0, v.length);
                check(Libc.lsetxattr(a, path, Libc.cString(a, e.getKey().raw()), value, 0),
                        "Dir.setXattrs", "lsetxattr", name);
            }
        }
    }

    /** {@code renameat(2)}: {@code from} here becomes {@code to} in {@code toDir}, replacing what was there. */
    public void rename(NativeName from, Dir toDir, NativeName to) {
        try (Arena a = Arena.ofConfined()) {
            check(Libc.renameat(a, fd(), Libc.cString(a, from.raw()), toDir.fd(), Libc.cString(a, to.raw())),
                    "Dir.rename", "renameat", from);
        }
    }

    /** {@code renameat(2)} within this directory. */
    public void rename(NativeName from, NativeName to) {
        rename(from, this, to);
    }

    /** {@code unlinkat(2)} of anything but a directory. */
    public void unlink(NativeName name) {
        try (Arena a = Arena.ofConfined()) {
            check(Libc.unlinkat(a, fd(), Libc.cString(a, name.raw()), 0), "Dir.unlink", "unlinkat", name);
        }
    }

    /** {@code unlinkat(2)} with {@code AT_REMOVEDIR}: removes an empty directory. */
    public void rmdir(NativeName name) {
        try (Arena a = Arena.ofConfined()) {
            check(Libc.unlinkat(a, fd(), Libc.cString(a, name.raw()), Libc.AT_REMOVEDIR), "Dir.rmdir", "unlinkat",
                    name);
        }
    }

    /**
     * The immutable attribute of {@code name} ({@code FS_IOC_GETFLAGS}, like {@code lsattr}), not
     * following a symlink. See {@link #setImmutable} for how the file is opened.
     *
     * @return {@link ImmutableState#SET} or {@link ImmutableState#CLEAR}; {@link ImmutableState#UNSUPPORTED}
     *         when the file system has no inode flags or {@code name} is not a regular file or directory
     * @throws FsException when the name cannot be opened or the ioctl fails otherwise
     */
    public ImmutableState immutable(NativeName name) {
        return flags(name, null);
    }

    /**
     * Sets or lifts the immutable attribute of {@code name} (like {@code chattr +i} / {@code chattr -i}),
     * keeping every other inode flag: {@code FS_IOC_GETFLAGS}, then {@code FS_IOC_SETFLAGS} with only
     * {@code FS_IMMUTABLE_FL} changed (nothing is written when it already has the wanted value), then
     * {@code FS_IOC_GETFLAGS} again to check that the file system kept it.
     *
     * <p>Only regular files and directories are touched: {@code name} is checked with {@code statx}
     * first, and anything else (a symlink, a FIFO, a device, whose ioctls would reach a driver) is
     * {@link ImmutableState#UNSUPPORTED} without being opened. The file is opened with
     * {@code O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC}, as {@code chattr} does, and the
     * opened descriptor's type is checked again.
     *
     * <p>Changing the attribute needs {@code CAP_LINUX_IMMUTABLE} (root has it); without it the kernel
     * answers {@code EPERM}, which is thrown. A file system without inode flags ({@code ENOTTY},
     * {@code EOPNOTSUPP}) or one that silently drops the flag gives {@link ImmutableState#UNSUPPORTED}.
     *
     * @param on true to set the attribute, false to lift it
     * @return the state afterwards: {@link ImmutableState#SET} or {@link ImmutableState#CLEAR} as asked,
     *         or {@link ImmutableState#UNSUPPORTED}
     * @throws FsException when the name cannot be opened, or an ioctl fails other than with ENOTTY or EOPNOTSUPP
     */
    public ImmutableState setImmutable(NativeName name, boolean on) {
        return flags(name, on);
    }

    /** Reads (want == null) or sets the immutable flag; the two public methods above. */
    private ImmutableState flags(NativeName name, Boolean want) {
        String op = want == null ? "Dir.immutable" : "Dir.setImmutable";
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = Libc.cString(a, name.raw());
            FileType type = statx(a, fd(), path, STAT_FLAGS, op, name).type();
            if (type != FileType.FILE && type != FileType.DIRECTORY) {
                return ImmutableState.UNSUPPORTED;
            }
            int file = openat(a, fd(), path, INODE_FLAGS_OPEN, 0, false, op, name);
            try {
                FileType opened = statx(a, file, Libc.emptyString(a), STAT_FLAGS | Libc.AT_EMPTY_PATH, op, name).type();
                if (opened != FileType.FILE && opened != FileType.DIRECTORY) {
                    return ImmutableState.UNSUPPORTED; // swapped since the first statx
                }
                MemorySegment flags = a.allocate(8, 8); // the kernel uses an int; 8 bytes as the macro's "long" says
                int r = Libc.ioctl(a, file, Libc.FS_IOC_GETFLAGS, flags);
                if (r == -Errno.ENOTTY || r == -Errno.EOPNOTSUPP) {
                    return ImmutableState.UNSUPPORTED;
                }
                check(r, op, "ioctl(FS_IOC_GETFLAGS)", name);
                int current = flags.get(JAVA_INT, 0);
                boolean set = (current & Libc.FS_IMMUTABLE_FL) != 0;
                if (want == null || want == set) {
                    return set ? ImmutableState.SET : ImmutableState.CLEAR;
                }
                flags.set(JAVA_INT, 0, want ? current | Libc.FS_IMMUTABLE_FL : current & ~Libc.FS_IMMUTABLE_FL);
                r = Libc.ioctl(a, file, Libc.FS_IOC_SETFLAGS, flags);
                if (r == -Errno.ENOTTY || r == -Errno.EOPNOTSUPP) {
                    return ImmutableState.UNSUPPORTED;
                }
                check(r, op, "ioctl(FS_IOC_SETFLAGS)", name);
                flags.set(JAVA_INT, 0, 0);
                check(Libc.ioctl(a, file, Libc.FS_IOC_GETFLAGS, flags), op, "ioctl(FS_IOC_GETFLAGS)", name);
                boolean now = (flags.get(JAVA_INT, 0) & Libc.FS_IMMUTABLE_FL) != 0;
                if (now != want) {
                    return ImmutableState.UNSUPPORTED; // accepted but not kept
                }
                return now ? ImmutableState.SET : ImmutableState.CLEAR;
            } finally {
                int c = Libc.close(file);
                if (c < 0 && c != -Errno.EINTR) {
                    throw new FsException(op, "close", -c, name);
                }
            }
        }
    }

    /** {@code fsync(2)} of the directory: makes its entries (creations, renames, unlinks) durable. */
    public void fsync() {
        try (Arena a = Arena.ofConfined()) {
            check(Libc.fsync(a, fd()), "Dir.fsync", "fsync", null);
        }
    }

    /** Closes the descriptor; later calls do nothing. */
    @Override
    public void close() {
        fd.close("Dir.close");
    }

    /**
     * How many {@code Dir} and {@link OpenFile} objects the garbage collector found unreachable but
     * never closed, since the JVM started. Their descriptors stay open (closing them from the GC could
     * close a number a running call still uses). Anything above zero is a bug in the caller; tests
     * assert this does not grow.
     */
    public static long leakedDescriptors() {
        return Fd.leaked();
    }

    // ------------------------------------------------------------------ plumbing

    int fd() {
        return fd.get("Dir");
    }

    private MemorySegment procPath(Arena a, NativeName name) {
        byte[] n = name.raw();
        byte[] p = Arrays.copyOf(procPrefix, procPrefix.length + n.length);
        System.arraycopy(n, 0, p, procPrefix.length, n.length);
        fd(); // closed check
        return Libc.cString(a, p);
    }

    /**
     * openat with EINTR retried and, when {@code noatime}, O_NOATIME tried first and dropped after
     * EPERM (only the owner or CAP_FOWNER may use it).
     */
    static int openat(Arena a, int dirfd, MemorySegment path, int flags, int mode, boolean noatime, String op,
            NativeName name) {
        int f = noatime ? flags | Libc.O_NOATIME : flags;
        while (true) {
            int r = Libc.openat(a, dirfd, path, f, mode);
            if (r >= 0) {
                return r;
            }
            if (r == -Errno.EINTR) {
                continue;
            }
            if (r == -Errno.EPERM && (f & Libc.O_NOATIME) != 0) {
                f &= ~Libc.O_NOATIME;
                continue;
            }
            throw new FsException(op, "openat", -r, name);
        }
    }

    private static void check(int r, String op, String call, NativeName name) {
        if (r < 0) {
            throw new FsException(op, call, -r, name);
        }
    }

    private static void checkMode(int mode) {
        if ((mode & ~Libc.MODE_BITS) != 0) {
            throw new IllegalArgumentException("a mode has only the bits 07777, not 0" + Integer.toOctalString(mode));
        }
    }

    private static void checkId(long id, String what) {
        if (id < 0 || id >= 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(what + " must be in 0..4294967294, not " + id);
        }
    }
}
