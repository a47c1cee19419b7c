package dev.cairn.engine.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.time.Instant;

/**
 * The glibc functions the filesystem layer calls, bound through the Foreign Function and Memory API.
 * Constants and struct offsets are those of Linux on x86_64 and aarch64 (LP64); docs/engine-fs.md
 * lists every call, flag and offset.
 *
 * <p>Convention: each wrapper returns the C function's non-negative result, or <em>minus errno</em>
 * when it returned -1. errno is captured by the linker right after the call
 * ({@code Linker.Option.captureCallState("errno")}) into a segment from the caller's arena, so
 * nothing the JVM does between the call and our read of errno can change it. Callers turn a negative
 * result into an {@link FsException}; EINTR handling is theirs too (the JVM installs its signal
 * handlers with SA_RESTART, so EINTR is rare, but a FIFO or NFS open may still see it).
 *
 * <p>All functions here are thread-safe in glibc; none keeps state between calls.
 */
final class Libc {
    private Libc() {
    }

    private static final String ARCH = System.getProperty("os.arch");
    private static final boolean AARCH64 = "aarch64".equals(ARCH);

    static {
        if (!System.getProperty("os.name").equals("Linux") || !(AARCH64 || "amd64".equals(ARCH))) {
            throw new UnsupportedOperationException("the engine's filesystem layer runs on Linux x86_64 or aarch64 "
                    + "only (this is " + System.getProperty("os.name") + " " + ARCH + ")");
        }
    }

    // ---- <fcntl.h>: open flags (octal in the headers; aarch64 moves O_DIRECTORY and O_NOFOLLOW)
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
    static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    static final int O_NOATIME = 01000000;
    static final int O_CLOEXEC = 02000000;

    // ---- <fcntl.h>: *at() flags
    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int AT_REMOVEDIR = 0x200;
    static final int AT_NO_AUTOMOUNT = 0x800;
    static final int AT_EMPTY_PATH = 0x1000;

    // ---- <unistd.h>: lseek whence
    static final int SEEK_SET = 0;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;

    // ---- <sys/stat.h>: file type bits of st_mode
    static final int S_IFMT = 0170000;
    static final int S_IFSOCK = 0140000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;
    static final int S_IFBLK = 0060000;
    static final int S_IFDIR = 0040000;
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;
    static final int MODE_BITS = 07777;

    // ---- <linux/fs.h>: inode flags, the ones chattr(1) shows. The ioctl numbers are
    // _IOR('f', 1, long) and _IOW('f', 2, long) with the generic _IOC encoding that x86_64 and aarch64
    // share (dir << 30 | size 8 << 16 | 'f' << 8 | nr). Despite the "long" in the macros the kernel
    // reads and writes an int (fs/ioctl.c, fileattr: put_user/get_user on an int __user *).
    static final long FS_IOC_GETFLAGS = 0x8008_6601L;
    static final long FS_IOC_SETFLAGS = 0x4008_6602L;
    static final int FS_IMMUTABLE_FL = 0x0000_0010;

    /** utimensat: leave this timestamp as it is. */
    static final long UTIME_OMIT = (1L << 30) - 2L;

    // ---- <linux/stat.h>: struct statx (256 bytes; same on every architecture)
    static final int STATX_BASIC_STATS = 0x7ff;
    static final int STATX_TYPE = 0x1;
    static final int STATX_MODE = 0x2;
    static final long STATX_SIZE_OF = 0x100;
    static final long STX_MASK = 0x00;      // __u32
    static final long STX_NLINK = 0x10;     // __u32
    static final long STX_UID = 0x14;       // __u32
    static final long STX_GID = 0x18;       // __u32
    static final long STX_MODE = 0x1c;      // __u16
    static final long STX_INO = 0x20;       // __u64
    static final long STX_SIZE = 0x28;      // __u64
    static final long STX_BLOCKS = 0x30;    // __u64, 512-byte units
    static final long STX_ATIME = 0x40;     // struct statx_timestamp { __s64 tv_sec; __u32 tv_nsec; __s32 pad; }
    static final long STX_CTIME = 0x60;
    static final long STX_MTIME = 0x70;
    static final long STX_RDEV_MAJOR = 0x80; // __u32
    static final long STX_RDEV_MINOR = 0x84; // __u32
    static final long STX_DEV_MAJOR = 0x88;  // __u32
    static final long STX_DEV_MINOR = 0x8c;  // __u32

    // ---- struct linux_dirent64 (getdents64)
    static final long D_RECLEN = 16; // unsigned short
    static final long D_TYPE = 18;   // unsigned char
    static final long D_NAME = 19;   // char[], NUL-terminated

    // ---- struct passwd / struct group (LP64)
    static final long PW_NAME = 0;   // char *pw_name
    static final long PW_SIZE = 48;
    static final long GR_NAME = 0;   // char *gr_name
    static final long GR_SIZE = 32;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");

    // Restricted (native access): deliberate here, and allowed at run time by --enable-native-access.
    @SuppressWarnings("restricted")
    private static MethodHandle bind(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment sym = LIBC.find(name).orElseThrow(() -> new UnsupportedOperationException(
                "glibc has no " + name + " (the filesystem layer needs glibc 2.30 or newer)"));
        return LINKER.downcallHandle(sym, fd, options);
    }

    private static MethodHandle bindErrno(String name, FunctionDescriptor fd) {
        return bind(name, fd, ERRNO_OPT);
    }

    // int openat(int dirfd, const char *path, int flags, ... /* mode_t mode */): variadic from the 4th
    private static final MethodHandle OPENAT = bind("openat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            ERRNO_OPT, Linker.Option.firstVariadicArg(3));
    private static final MethodHandle CLOSE = bindErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)
    private static final MethodHandle STATX = bindErrno("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    // ssize_t getdents64(int fd, void *buf, size_t count)
    private static final MethodHandle GETDENTS64 = bindErrno("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    // ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
    private static final MethodHandle READLINKAT = bindErrno("readlinkat",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    // ssize_t pread(int fd, void *buf, size_t count, off_t offset), pwrite likewise
    private static final MethodHandle PREAD = bindErrno("pread",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE = bindErrno("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    // off_t lseek(int fd, off_t offset, int whence)
    private static final MethodHandle LSEEK = bindErrno("lseek",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    // ssize_t flistxattr(int fd, char *list, size_t size); llistxattr(const char *path, ...)
    private static final MethodHandle FLISTXATTR = bindErrno("flistxattr",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle LLISTXATTR = bindErrno("llistxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    // ssize_t fgetxattr(int fd, const char *name, void *value, size_t size); lgetxattr(const char *path, ...)
    private static final MethodHandle FGETXATTR = bindErrno("fgetxattr",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle LGETXATTR = bindErrno("lgetxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    // int fsetxattr(int fd, const char *name, const void *value, size_t size, int flags); lsetxattr(path, ...)
    private static final MethodHandle FSETXATTR = bindErrno("fsetxattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle LSETXATTR = bindErrno("lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    // int mkdirat(int dirfd, const char *path, mode_t mode)
    private static final MethodHandle MKDIRAT = bindErrno("mkdirat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // int symlinkat(const char *target, int newdirfd, const char *linkpath)
    private static final MethodHandle SYMLINKAT = bindErrno("symlinkat",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    // int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
    private static final MethodHandle LINKAT = bindErrno("linkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    // int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
    private static final MethodHandle MKNODAT = bindErrno("mknodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    // int mkfifoat(int dirfd, const char *path, mode_t mode)
    private static final MethodHandle MKFIFOAT = bindErrno("mkfifoat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
    private static final MethodHandle FCHOWNAT = bindErrno("fchownat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    // int fchmodat(int dirfd, const char *path, mode_t mode, int flags); int fchmod(int fd, mode_t mode)
    private static final MethodHandle FCHMODAT = bindErrno("fchmodat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCHMOD = bindErrno("fchmod",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    // int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
    private static final MethodHandle UTIMENSAT = bindErrno("utimensat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    // int ftruncate(int fd, off_t length); int fsync(int fd); int fdatasync(int fd)
    private static final MethodHandle FTRUNCATE = bindErrno("ftruncate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle FSYNC = bindErrno("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FDATASYNC = bindErrno("fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
    private static final MethodHandle RENAMEAT = bindErrno("renameat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    // int unlinkat(int dirfd, const char *path, int flags)
    private static final MethodHandle UNLINKAT = bindErrno("unlinkat",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    // int ioctl(int fd, unsigned long request, ...): variadic from the 3rd; here always a pointer
    private static final MethodHandle IOCTL = bind("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            ERRNO_OPT, Linker.Option.firstVariadicArg(2));
    // int getpwuid_r(uid_t, struct passwd *, char *buf, size_t, struct passwd **result): returns the error
    private static final MethodHandle GETPWUID_R = bind("getpwuid_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle GETGRGID_R = bind("getgrgid_r",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));

    // ------------------------------------------------------------------ helpers

    /** A NUL-terminated copy of {@code bytes} in {@code arena}. */
    static MemorySegment cString(Arena arena, byte[] bytes) {
        MemorySegment s = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        return s; // allocate() zeroes, so the last byte is NUL
    }

    /** The NUL-terminated string at {@code pointer} (from a struct glibc filled), decoded as UTF-8. */
    @SuppressWarnings("restricted")
    static String stringAt(MemorySegment pointer) {
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /** The empty string, for the AT_EMPTY_PATH calls on a descriptor itself. */
    static MemorySegment emptyString(Arena arena) {
        return arena.allocate(1);
    }

    private static MemorySegment state(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    private static int result(int r, MemorySegment state) {
        return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
    }

    private static long result(long r, MemorySegment state) {
        return r == -1 ? -(int) ERRNO.get(state, 0L) : r;
    }

    private static IllegalStateException linkFailure(String fn, Throwable t) {
        return new IllegalStateException("native call " + fn + " failed in the FFM linker", t);
    }

    // ------------------------------------------------------------------ calls (non-negative or -errno)

    static int openat(Arena a, int dirfd, MemorySegment path, int flags, int mode) {
        MemorySegment st = state(a);
        try {
            return result((int) OPENAT.invokeExact(st, dirfd, path, flags, mode), st);
        } catch (Throwable t) {
            throw linkFailure("openat", t);
        }
    }

    static int close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = state(a);
            return result((int) CLOSE.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw linkFailure("close", t);
        }
    }

    static int statx(Arena a, int dirfd, MemorySegment path, int flags, int mask, MemorySegment buf) {
        MemorySegment st = state(a);
        try {
            return result((int) STATX.invokeExact(st, dirfd, path, flags, mask, buf), st);
        } catch (Throwable t) {
            throw linkFailure("statx", t);
        }
    }

    static long getdents64(Arena a, int fd, MemorySegment buf) {
        MemorySegment st = state(a);
        try {
            return result((long) GETDENTS64.invokeExact(st, fd, buf, buf.byteSize()), st);
        } catch (Throwable t) {
            throw linkFailure("getdents64", t);
        }
    }

    static long readlinkat(Arena a, int dirfd, MemorySegment path, MemorySegment buf) {
        MemorySegment st = state(a);
        try {
            return result((long) READLINKAT.invokeExact(st, dirfd, path, buf, buf.byteSize()), st);
        } catch (Throwable t) {
            throw linkFailure("readlinkat", t);
        }
    }

    static long pread(Arena a, int fd, MemorySegment buf, long count, long offset) {
        MemorySegment st = state(a);
        try {
            return result((long) PREAD.invokeExact(st, fd, buf, count, offset), st);
        } catch (Throwable t) {
            throw linkFailure("pread", t);
        }
    }

    static long pwrite(Arena a, int fd, MemorySegment buf, long count, long offset) {
        MemorySegment st = state(a);
        try {
            return result((long) PWRITE.invokeExact(st, fd, buf, count, offset), st);
        } catch (Throwable t) {
            throw linkFailure("pwrite", t);
        }
    }

    static long lseek(Arena a, int fd, long offset, int whence) {
        MemorySegment st = state(a);
        try {
            return result((long) LSEEK.invokeExact(st, fd, offset, whence), st);
        } catch (Throwable t) {
            throw linkFailure("lseek", t);
        }
    }

    static long flistxattr(Arena a, int fd, MemorySegment list) {
        MemorySegment st = state(a);
        try {
            return result((long) FLISTXATTR.invokeExact(st, fd, list, list.byteSize()), st);
        } catch (Throwable t) {
            throw linkFailure("flistxattr", t);
        }
    }

    static long llistxattr(Arena a, MemorySegment path, MemorySegment list) {
        MemorySegment st = state(a);
        try {
            return result((long) LLISTXATTR.invokeExact(st, path, list, list.byteSize()), st);
        } catch (Throwable t) {
            throw linkFailure("llistxattr", t);
        }
    }

    static long fgetxattr(Arena a, int fd, MemorySegment name, MemorySegment value) {
        MemorySegment st = state(a);
        try {
            return result((long) FGETXATTR.invokeExact(st, fd, name, value, value.byteSize()), st);
        } catch (Throwable t) {
            throw linkFailure("fgetxattr", t);
        }
    }

    static long lgetxattr(Arena a, MemorySegment path, MemorySegment name, MemorySegment value) {
        MemorySegment st = state(a);
        try {
            return result((long) LGETXATTR.invokeExact(st, path, name, value, value.byteSize()), st);
        } catch (Throwable t) {
            throw linkFailure("lgetxattr", t);
        }
    }

    static int fsetxattr(Arena a, int fd, MemorySegment name, MemorySegment value, int flags) {
        MemorySegment st = state(a);
        try {
            return result((int) FSETXATTR.invokeExact(st, fd, name, value, value.byteSize(), flags), st);
        } catch (Throwable t) {
            throw linkFailure("fsetxattr", t);
        }
    }

    static int lsetxattr(Arena a, MemorySegment path, MemorySegment name, MemorySegment value, int flags) {
        MemorySegment st = state(a);
        try {
            return result((int) LSETXATTR.invokeExact(st, path, name, value, value.byteSize(), flags), st);
        } catch (Throwable t) {
            throw linkFailure("lsetxattr", t);
        }
    }

    static int mkdirat(Arena a, int dirfd, MemorySegment path, int mode) {
        MemorySegment st = state(a);
        try {
            return result((int) MKDIRAT.invokeExact(st, dirfd, path, mode), st);
        } catch (Throwable t) {
            throw linkFailure("mkdirat", t);
        }
    }

    static int symlinkat(Arena a, MemorySegment target, int dirfd, MemorySegment path) {
        MemorySegment st = state(a);
        try {
            return result((int) SYMLINKAT.invokeExact(st, target, dirfd, path), st);
        } catch (Throwable t) {
            throw linkFailure("symlinkat", t);
        }
    }

    static int linkat(Arena a, int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath, int flags) {
        MemorySegment st = state(a);
        try {
            return result((int) LINKAT.invokeExact(st, olddirfd, oldpath, newdirfd, newpath, flags), st);
        } catch (Throwable t) {
            throw linkFailure("linkat", t);
        }
    }

    static int mknodat(Arena a, int dirfd, MemorySegment path, int mode, long dev) {
        MemorySegment st = state(a);
        try {
            return result((int) MKNODAT.invokeExact(st, dirfd, path, mode, dev), st);
        } catch (Throwable t) {
            throw linkFailure("mknodat", t);
        }
    }

    static int mkfifoat(Arena a, int dirfd, MemorySegment path, int mode) {
        MemorySegment st = state(a);
        try {
            return result((int) MKFIFOAT.invokeExact(st, dirfd, path, mode), st);
        } catch (Throwable t) {
            throw linkFailure("mkfifoat", t);
        }
    }

    static int fchownat(Arena a, int dirfd, MemorySegment path, int uid, int gid, int flags) {
        MemorySegment st = state(a);
        try {
            return result((int) FCHOWNAT.invokeExact(st, dirfd, path, uid, gid, flags), st);
        } catch (Throwable t) {
            throw linkFailure("fchownat", t);
        }
    }

    static int fchmodat(Arena a, int dirfd, MemorySegment path, int mode, int flags) {
        MemorySegment st = state(a);
        try {
            return result((int) FCHMODAT.invokeExact(st, dirfd, path, mode, flags), st);
        } catch (Throwable t) {
            throw linkFailure("fchmodat", t);
        }
    }

    static int fchmod(Arena a, int fd, int mode) {
        MemorySegment st = state(a);
        try {
            return result((int) FCHMOD.invokeExact(st, fd, mode), st);
        } catch (Throwable t) {
            throw linkFailure("fchmod", t);
        }
    }

    static int utimensat(Arena a, int dirfd, MemorySegment path, MemorySegment times, int flags) {
        MemorySegment st = state(a);
        try {
            return result((int) UTIMENSAT.invokeExact(st, dirfd, path, times, flags), st);
        } catch (Throwable t) {
            throw linkFailure("utimensat", t);
        }
    }

    static int ftruncate(Arena a, int fd, long length) {
        MemorySegment st = state(a);
        try {
            return result((int) FTRUNCATE.invokeExact(st, fd, length), st);
        } catch (Throwable t) {
            throw linkFailure("ftruncate", t);
        }
    }

    static int fsync(Arena a, int fd) {
        MemorySegment st = state(a);
        try {
            return result((int) FSYNC.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw linkFailure("fsync", t);
        }
    }

    static int fdatasync(Arena a, int fd) {
        MemorySegment st = state(a);
        try {
            return result((int) FDATASYNC.invokeExact(st, fd), st);
        } catch (Throwable t) {
            throw linkFailure("fdatasync", t);
        }
    }

    static int renameat(Arena a, int olddirfd, MemorySegment oldpath, int newdirfd, MemorySegment newpath) {
        MemorySegment st = state(a);
        try {
            return result((int) RENAMEAT.invokeExact(st, olddirfd, oldpath, newdirfd, newpath), st);
        } catch (Throwable t) {
            throw linkFailure("renameat", t);
        }
    }

    static int unlinkat(Arena a, int dirfd, MemorySegment path, int flags) {
        MemorySegment st = state(a);
        try {
            return result((int) UNLINKAT.invokeExact(st, dirfd, path, flags), st);
        } catch (Throwable t) {
            throw linkFailure("unlinkat", t);
        }
    }

    static int ioctl(Arena a, int fd, long request, MemorySegment arg) {
        MemorySegment st = state(a);
        try {
            return result((int) IOCTL.invokeExact(st, fd, request, arg), st);
        } catch (Throwable t) {
            throw linkFailure("ioctl", t);
        }
    }

    /** getpwuid_r: 0 and a filled {@code result} pointer, 0 and NULL (no such user), or an errno. */
    static int getpwuid_r(int uid, MemorySegment pwd, MemorySegment buf, MemorySegment result) {
        try {
            return (int) GETPWUID_R.invokeExact(uid, pwd, buf, buf.byteSize(), result);
        } catch (Throwable t) {
            throw linkFailure("getpwuid_r", t);
        }
    }

    static int getgrgid_r(int gid, MemorySegment grp, MemorySegment buf, MemorySegment result) {
        try {
            return (int) GETGRGID_R.invokeExact(gid, grp, buf, buf.byteSize(), result);
        } catch (Throwable t) {
            throw linkFailure("getgrgid_r", t);
        }
    }

    // ------------------------------------------------------------------ struct decoding

    /** A filled struct statx as a {@link FileStat}. */
    static FileStat decodeStatx(MemorySegment b) {
        int mode = Short.toUnsignedInt(b.get(JAVA_SHORT, STX_MODE));
        return new FileStat(
                FileType.fromMode(mode),
                mode & MODE_BITS,
                Integer.toUnsignedLong(b.get(JAVA_INT, STX_UID)),
                Integer.toUnsignedLong(b.get(JAVA_INT, STX_GID)),
                b.get(JAVA_LONG, STX_SIZE),
                timestamp(b, STX_ATIME),
                timestamp(b, STX_MTIME),
                timestamp(b, STX_CTIME),
                b.get(JAVA_LONG, STX_INO),
                FileStat.makedev(b.get(JAVA_INT, STX_DEV_MAJOR), b.get(JAVA_INT, STX_DEV_MINOR)),
                FileStat.makedev(b.get(JAVA_INT, STX_RDEV_MAJOR), b.get(JAVA_INT, STX_RDEV_MINOR)),
                Integer.toUnsignedLong(b.get(JAVA_INT, STX_NLINK)),
                b.get(JAVA_LONG, STX_BLOCKS));
    }

    private static Instant timestamp(MemorySegment b, long offset) {
        return Instant.ofEpochSecond(b.get(JAVA_LONG, offset), Integer.toUnsignedLong(b.get(JAVA_INT, offset + 8)));
    }

    /** A struct timespec[2] {atime, mtime} for utimensat; a null Instant leaves that time as it is. */
    static MemorySegment timespecs(Arena a, Instant atime, Instant mtime) {
        MemorySegment t = a.allocate(32, 8);
        t.set(JAVA_LONG, 0, atime == null ? 0 : atime.getEpochSecond());
        t.set(JAVA_LONG, 8, atime == null ? UTIME_OMIT : atime.getNano());
        t.set(JAVA_LONG, 16, mtime == null ? 0 : mtime.getEpochSecond());
        t.set(JAVA_LONG, 24, mtime == null ? UTIME_OMIT : mtime.getNano());
        return t;
    }
}
