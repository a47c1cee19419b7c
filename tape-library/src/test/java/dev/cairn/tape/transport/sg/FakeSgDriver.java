package dev.cairn.tape.transport.sg;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A stand-in for the C library and the kernel's sg driver, so {@link SgIoTransport#execute} runs its
 * whole path (header written to native memory, pointers followed, reply read back) without a device.
 * For SG_IO it does what {@code sg_new_write}/{@code sg_new_read} do with the header: checks
 * {@code interface_id}, copies the CDB and data-out from the user pointers, asks {@link #reply} for an
 * outcome, and writes data-in, sense, status, resid and info back. It is a model of the driver written
 * from its source, not the driver: what it accepts proves nothing about a real kernel.
 */
final class FakeSgDriver implements LibC {

    static final int FD = 42;

    /** What the "device" answers. {@code dataIn} is truncated to dxfer_len; sense to mx_sb_len. */
    record Reply(int status, int host, int driver, byte[] dataIn, byte[] sense, int errno) {
        static Reply good(byte[] dataIn) {
            return new Reply(0, 0, 0, dataIn, new byte[0], 0);
        }

        static Reply errno(int errno) {
            return new Reply(0, 0, 0, new byte[0], new byte[0], errno);
        }
    }

    /** What one SG_IO carried, as the driver saw it. */
    record Sent(int interfaceId, int direction, byte[] cdb, int dxferLen, byte[] dataOut, int mxSbLen, long timeoutMs) {}

    int openErrno;
    int versionErrno;
    int version = 30536;
    BiFunction<byte[], byte[], Reply> reply = (cdb, out) -> Reply.good(new byte[0]);
    final List<Sent> sent = new ArrayList<>();
    final List<Integer> closed = new ArrayList<>();
    final List<Integer> openFlags = new ArrayList<>();
    /** "sg_io start", "sg_io end", "close", in the order they happened. */
    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger inFlight = new AtomicInteger();
    volatile int maxInFlight;
    volatile long sgIoDelayMillis;

    @Override
    public int open(String path, int flags) {
        openFlags.add(flags);
        if (openErrno != 0) {
            throw new LastErrorException(openErrno);
        }
        return FD;
    }

    @Override
    public synchronized int close(int fd) {
        closed.add(fd);
        events.add("close");
        return 0;
    }

    @Override
    public int ioctl(int fd, NativeLong request, Pointer argp) {
        if (fd != FD) {
            throw new LastErrorException(EBADF);
        }
        if (request.intValue() == SgIoTransport.SG_GET_VERSION_NUM) {
            if (versionErrno != 0) {
                throw new LastErrorException(versionErrno);
            }
            argp.setInt(0, version);
            return 0;
        }
        if (request.intValue() != SgIoTransport.SG_IO) {
            throw new LastErrorException(ENOTTY);
        }
        events.add("sg_io start");
        int now = inFlight.incrementAndGet();
        maxInFlight = Math.max(maxInFlight, now);
        try {
            if (sgIoDelayMillis > 0) {
                Thread.sleep(sgIoDelayMillis);
            }
            return sgIo(argp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LastErrorException(EINTR);
        } finally {
            inFlight.decrementAndGet();
            events.add("sg_io end");
        }
    }

    private int sgIo(Pointer argp) {
        SgIoHeader h = new SgIoHeader(argp);
        h.read();
        if (h.interface_id != 'S') {
            throw new LastErrorException(ENOSYS);
        }
        if (h.cmdp == null || h.cmdLen() < 6 || h.cmdLen() > 16) {
            throw new LastErrorException(EMSGSIZE);
        }
        byte[] cdb = h.cmdp.getByteArray(0, h.cmdLen());
        int len = (int) h.dxferLen();
        byte[] out = null;
        if (h.dxfer_direction == SgIoTransport.SG_DXFER_TO_DEV && len > 0) {
            out = h.dxferp.getByteArray(0, len);
        }
        synchronized (this) {
            sent.add(new Sent(h.interface_id, h.dxfer_direction, cdb, len, out, h.mxSbLen(), h.timeoutMillis()));
        }
        Reply r = reply.apply(cdb, out);
        if (r.errno() != 0) {
            throw new LastErrorException(r.errno());
        }
        int transferred = 0;
        if (h.dxfer_direction == SgIoTransport.SG_DXFER_FROM_DEV && len > 0) {
            transferred = Math.min(len, r.dataIn().length);
            h.dxferp.write(0, r.dataIn(), 0, transferred);
        } else if (h.dxfer_direction == SgIoTransport.SG_DXFER_TO_DEV) {
            transferred = len;
        }
        int senseLen = Math.min(h.mxSbLen(), r.sense().length);
        if (senseLen > 0) {
            h.sbp.write(0, Arrays.copyOf(r.sense(), senseLen), 0, senseLen);
        }
        h.status = (byte) r.status();
        h.masked_status = (byte) ((r.status() >> 1) & 0x7f);
        h.msg_status = 0;
        h.sb_len_wr = (byte) senseLen;
        h.host_status = (short) r.host();
        h.driver_status = (short) r.driver();
        h.resid = len - transferred;
        h.duration = 3;
        h.info = (r.status() != 0 || r.host() != 0 || r.driver() != 0) ? 1 : 0;
        h.write();
        return 0;
    }

    @Override
    public String strerror(int errnum) {
        return "fake strerror " + errnum;
    }
}
