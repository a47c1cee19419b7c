package dev.cairn.mgmt.audit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * The Linux append-only inode attribute ({@code FS_APPEND_FL}, the {@code a} of {@code chattr}) through
 * {@code FS_IOC_GETFLAGS}/{@code FS_IOC_SETFLAGS} (docs/formats/audit-log.md, section 1). Setting it needs
 * {@code CAP_LINUX_IMMUTABLE} and a file system with inode flags; where either is missing the calls answer
 * {@code false} instead of failing. Clearing it is for tests and operators archiving old segments.
 */
public final class AppendOnlyAttribute {
    // <linux/fs.h>: _IOR('f', 1, long) and _IOW('f', 2, long); the kernel reads and writes an int.
    private static final long FS_IOC_GETFLAGS = 0x8008_6601L;
    private static final long FS_IOC_SETFLAGS = 0x4008_6602L;
    /** Do not change: the kernel's value. */
    private static final int FS_APPEND_FL = 0x0000_0020;
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0100000 : 0400000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LINKER.defaultLookup().find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private AppendOnlyAttribute() {
    }

    /** Sets or clears the attribute on {@code file}; true when the file system now holds the wanted state. */
    public static boolean set(Path file, boolean appendOnly) {
        return change(file, appendOnly);
    }

    /** Whether {@code file} has the attribute (false where inode flags are not supported). */
    public static boolean isSet(Path file) {
        return change(file, null);
    }

    private static boolean change(Path file, Boolean want) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STATE);
            MemorySegment path = a.allocateFrom(file.toString());
            int fd = (int) OPEN.invokeExact(st, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
            if (fd < 0) {
                return false;
            }
            try {
                MemorySegment flags = a.allocate(8, 8);
                if ((int) IOCTL.invokeExact(st, fd, FS_IOC_GETFLAGS, flags) < 0) {
                    return false; // ENOTTY, EOPNOTSUPP: no inode flags here
                }
                int current = flags.get(JAVA_INT, 0);
                boolean set = (current & FS_APPEND_FL) != 0;
                if (want == null) {
                    return set;
                }
                if (want == set) {
                    return true;
                }
                flags.set(JAVA_INT, 0, want ? current | FS_APPEND_FL : current & ~FS_APPEND_FL);
                if ((int) IOCTL.invokeExact(st, fd, FS_IOC_SETFLAGS, flags) < 0) {
                    return false; // EPERM without CAP_LINUX_IMMUTABLE
                }
                flags.set(JAVA_INT, 0, 0);
                if ((int) IOCTL.invokeExact(st, fd, FS_IOC_GETFLAGS, flags) < 0) {
                    return false;
                }
                return ((flags.get(JAVA_INT, 0) & FS_APPEND_FL) != 0) == want;
            } finally {
                int unused = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable t) {
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("calling ioctl(FS_IOC_GETFLAGS/SETFLAGS) failed: " + t, t);
        }
    }

    static int errno(MemorySegment st) {
        return (int) ERRNO.get(st, 0L);
    }
}
