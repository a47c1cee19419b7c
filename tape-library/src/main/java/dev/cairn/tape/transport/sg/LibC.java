package dev.cairn.tape.transport.sg;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The four C library calls the SG_IO transport needs, bound through JNA. Package-private: tests replace
 * it with a fake driver ({@code FakeSgDriver}) to run {@link SgIoTransport#execute} without a device.
 *
 * <p>{@code open(2)} and {@code ioctl(2)} are variadic in C. On Linux x86_64 and aarch64 a variadic
 * call passes an int and a pointer exactly as a fixed-argument call does, so the fixed signatures below
 * are correct there (they would not be on macOS arm64, which Cairn does not target). Failures come back
 * as {@link LastErrorException} carrying {@code errno}, so no other native call can overwrite it first.
 */
interface LibC extends Library {

    /** Flags for {@code open(2)}; the asm-generic values, identical on x86_64 and aarch64. */
    int O_RDWR = 0x2;
    int O_NONBLOCK = 0x800; // 04000
    int O_CLOEXEC = 0x80000; // 02000000

    /** errno values (asm-generic, identical on x86_64 and aarch64) that the transport names. */
    int EPERM = 1;
    int ENOENT = 2;
    int EINTR = 4;
    int EIO = 5;
    int ENXIO = 6;
    int EBADF = 9;
    int EAGAIN = 11;
    int ENOMEM = 12;
    int EACCES = 13;
    int EFAULT = 14;
    int EBUSY = 16;
    int ENODEV = 19;
    int EINVAL = 22;
    int ENOTTY = 25;
    int EDOM = 33;
    int ENOSYS = 38;
    int EMSGSIZE = 90;
    int ETIMEDOUT = 110;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer argp) throws LastErrorException;

    String strerror(int errnum);

    /** The process's C library, loaded on first use. */
    static LibC system() {
        return Holder.INSTANCE;
    }

    /** Lazy holder: loading libc only when a real device is opened keeps pure tests free of it. */
    final class Holder {
        static final LibC INSTANCE = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

        private Holder() {}
    }

    /** The symbolic name of an errno value, for messages ("ENOENT"), or "errno N" for one not listed. */
    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENOTTY -> "ENOTTY";
            case EDOM -> "EDOM";
            case ENOSYS -> "ENOSYS";
            case EMSGSIZE -> "EMSGSIZE";
            case ETIMEDOUT -> "ETIMEDOUT";
            default -> "errno " + errno;
        };
    }
}
