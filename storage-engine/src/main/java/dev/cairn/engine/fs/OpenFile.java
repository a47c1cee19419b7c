package dev.cairn.engine.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An open file from {@link Dir#openRead} (read only) or {@link Dir#create} (write only). All I/O is
 * positional ({@code pread(2)}, {@code pwrite(2)}): there is no file position, so several threads may
 * read or write one {@code OpenFile} at once. {@link #close()} must not race with them (see
 * {@link Dir}). The caller closes it.
 *
 * <p>The {@link MemorySegment} methods move data straight between a native segment and the kernel; a
 * heap segment or a {@code byte[]} goes through a temporary native buffer (one copy, at most
 * {@value #CHUNK} bytes per system call).
 */
public final class OpenFile implements AutoCloseable {
    static final int CHUNK = 1 << 20;

    private final Fd fd;

    OpenFile(int fd) {
        this.fd = new Fd(this, fd);
    }

    /** {@code statx(2)} of the open file ({@code AT_EMPTY_PATH}). */
    public FileStat stat() {
        try (Arena a = Arena.ofConfined()) {
            return Dir.statx(a, fd(), Libc.emptyString(a), Libc.AT_EMPTY_PATH | Libc.AT_SYMLINK_NOFOLLOW,
                    "OpenFile.stat", null);
        }
    }

    /**
     * Reads up to {@code dst.byteSize()} bytes at {@code position} with one {@code pread(2)} (retried on
     * EINTR). Returns the number of bytes read, which may be fewer than asked (a short read is not an
     * error), or -1 at end of file. A heap segment is read through a native buffer of at most
     * {@value #CHUNK} bytes.
     */
    public int read(long position, MemorySegment dst) {
        checkPosition(position);
        if (dst.byteSize() == 0) {
            return 0;
        }
        if (dst.isNative()) {
            try (Arena a = Arena.ofConfined()) {
                return preadOnce(a, position, dst, Math.min(dst.byteSize(), Integer.MAX_VALUE));
            }
        }
        try (Arena a = Arena.ofConfined()) {
            long len = Math.min(dst.byteSize(), CHUNK);
            MemorySegment buf = a.allocate(len);
            int n = preadOnce(a, position, buf, len);
            if (n > 0) {
                MemorySegment.copy(buf, 0, dst, 0, n);
            }
            return n;
        }
    }

    /** {@link #read(long, MemorySegment)} into {@code dst[off, off + len)}. */
    public int read(long position, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        return read(position, MemorySegment.ofArray(dst).asSlice(off, len));
    }

    private int preadOnce(Arena a, long position, MemorySegment buf, long len) {
        int f = fd();
        while (true) {
            long n = Libc.pread(a, f, buf, len, position);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                throw new FsException("OpenFile.read", "pread", (int) -n, null);
            }
            return n == 0 ? -1 : (int) n;
        }
    }

    /**
     * The byte ranges that hold data, found with {@code lseek(2)} {@code SEEK_DATA} and
     * {@code SEEK_HOLE}, up to the size the file has now. Holes are everything else; a file without
     * holes gives one extent covering it, an empty file none. A file system that does not support
     * SEEK_DATA (EINVAL, EOPNOTSUPP) gives one extent covering the whole size. Extents are as the file
     * system reports them (block-aligned on ext4; a range of explicit zeros is data, not a hole).
     */
    public List<Extent> dataExtents() {
        long size = stat().size();
        int f = fd();
        List<Extent> out = new ArrayList<>();
        try (Arena a = Arena.ofConfined()) {
            long pos = 0;
            while (pos < size) {
                long data = Libc.lseek(a, f, pos, Libc.SEEK_DATA);
                if (data == -Errno.ENXIO) {
                    break; // only a hole from pos to the end
                }
                if ((data == -Errno.EINVAL || data == -Errno.EOPNOTSUPP) && pos == 0) {
                    return List.of(new Extent(0, size));
                }
                if (data < 0) {
                    throw new FsException("OpenFile.dataExtents", "lseek(SEEK_DATA)", (int) -data, null);
                }
                if (data >= size) {
                    break;
                }
                long hole = Libc.lseek(a, f, data, Libc.SEEK_HOLE);
                if (hole < 0) {
                    throw new FsException("OpenFile.dataExtents", "lseek(SEEK_HOLE)", (int) -hole, null);
                }
                hole = Math.min(hole, size);
                out.add(new Extent(data, hole - data));
                pos = hole;
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Writes all of {@code src} at {@code position} ({@code pwrite(2)}, looped over short writes and EINTR). */
    public void write(long position, MemorySegment src) {
        checkPosition(position);
        if (src.isNative()) {
            try (Arena a = Arena.ofConfined()) {
                pwriteFully(a, position, src);
            }
            return;
        }
        long done = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.min(Math.max(1, src.byteSize()), CHUNK));
            while (done < src.byteSize()) {
                long len = Math.min(src.byteSize() - done, buf.byteSize());
                MemorySegment.copy(src, done, buf, 0, len);
                pwriteFully(a, position + done, buf.asSlice(0, len));
                done += len;
            }
        }
    }

    /** {@link #write(long, MemorySegment)} of {@code src[off, off + len)}. */
    public void write(long position, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        write(position, MemorySegment.ofArray(src).asSlice(off, len));
    }

    private void pwriteFully(Arena a, long position, MemorySegment buf) {
        int f = fd();
        long done = 0;
        while (done < buf.byteSize()) {
            long len = Math.min(buf.byteSize() - done, Integer.MAX_VALUE);
            long n = Libc.pwrite(a, f, buf.asSlice(done), len, position + done);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                throw new FsException("OpenFile.write", "pwrite", (int) -n, null);
            }
            if (n == 0) {
                throw new IllegalStateException("OpenFile.write: pwrite wrote nothing for a non-empty buffer");
            }
            done += n;
        }
    }

    /** {@code ftruncate(2)}: extending leaves a hole (no blocks allocated), shrinking drops data. */
    public void setLength(long length) {
        checkPosition(length);
        try (Arena a = Arena.ofConfined()) {
            int r = Libc.ftruncate(a, fd(), length);
            if (r < 0) {
                throw new FsException("OpenFile.setLength", "ftruncate", -r, null);
            }
        }
    }

    /** {@code fchmod(2)}: the exact mode, 07777 bits, no umask. */
    public void chmod(int mode) {
        if ((mode & ~Libc.MODE_BITS) != 0) {
            throw new IllegalArgumentException("a mode has only the bits 07777, not 0" + Integer.toOctalString(mode));
        }
        try (Arena a = Arena.ofConfined()) {
            int r = Libc.fchmod(a, fd(), mode);
            if (r < 0) {
                throw new FsException("OpenFile.chmod", "fchmod", -r, null);
            }
        }
    }

    /** {@code fsync(2)}: data and metadata durable. */
    public void fsync() {
        try (Arena a = Arena.ofConfined()) {
            int r = Libc.fsync(a, fd());
            if (r < 0) {
                throw new FsException("OpenFile.fsync", "fsync", -r, null);
            }
        }
    }

    /** {@code fdatasync(2)}: data and the metadata needed to read it back durable. */
    public void fdatasync() {
        try (Arena a = Arena.ofConfined()) {
            int r = Libc.fdatasync(a, fd());
            if (r < 0) {
                throw new FsException("OpenFile.fdatasync", "fdatasync", -r, null);
            }
        }
    }

    /**
     * Closes the descriptor; later calls do nothing. An error from {@code close(2)} (EIO, or ENOSPC or
     * EDQUOT on NFS, where a write error may surface only here) is thrown: a restore must not count the
     * file as written. Call {@link #fsync()} first when durability matters.
     */
    @Override
    public void close() {
        fd.close("OpenFile.close");
    }

    private int fd() {
        return fd.get("OpenFile");
    }

    private static void checkPosition(long p) {
        if (p < 0) {
            throw new IllegalArgumentException("a position or length is not negative: " + p);
        }
    }
}
