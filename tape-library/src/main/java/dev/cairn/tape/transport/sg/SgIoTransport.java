package dev.cairn.tape.transport.sg;

import static dev.cairn.tape.transport.sg.SgStatus.COMMAND_TERMINATED;
import static dev.cairn.tape.transport.sg.SgStatus.DID_OK;
import static dev.cairn.tape.transport.sg.SgStatus.DID_TIME_OUT;
import static dev.cairn.tape.transport.sg.SgStatus.DRIVER_MASK;
import static dev.cairn.tape.transport.sg.SgStatus.DRIVER_OK;
import static dev.cairn.tape.transport.sg.SgStatus.DRIVER_SENSE;
import static dev.cairn.tape.transport.sg.SgStatus.DRIVER_TIMEOUT;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;
import dev.cairn.tape.scsi.ScsiResponse;
import dev.cairn.tape.transport.ScsiTransport;
import dev.cairn.tape.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * SCSI commands to one Linux SCSI generic device ({@code /dev/sgN}) through the v3 {@code SG_IO} ioctl.
 * The device node names one logical unit, so {@code lun} is always 0. See {@code docs/tape-sgio.md}.
 *
 * <h2>What a command becomes</h2>
 * {@link #prepare} builds an {@link SgIoHeader} and its native buffers from the {@link Cdb} (pure, no
 * device); {@link #execute} hands it to {@code ioctl(fd, SG_IO, &hdr)}, which blocks until the command
 * completes or its timeout expires in the kernel; {@link #interpret} turns the filled header into a
 * {@link ScsiResponse} or a {@link TransportException} (pure, no device). The mapping, in order:
 * <ol>
 *   <li>the ioctl failed: {@link TransportException} naming errno ({@code ETIMEDOUT} is a timeout);
 *   <li>{@code host_status == DID_TIME_OUT} or driver byte {@code DRIVER_TIMEOUT}: timeout;
 *   <li>the device answered with a non-GOOD status (CHECK CONDITION or COMMAND TERMINATED with sense
 *       data, or a host code the kernel derives from the device's status, see
 *       {@link SgStatus#annotatesDeviceStatus}): a response, whatever the host and driver status say;
 *   <li>any other {@code host_status != DID_OK}, or a driver byte other than {@code DRIVER_OK} and
 *       {@code DRIVER_SENSE}: {@link TransportException};
 *   <li>otherwise a response: the status byte ({@code status}; {@code masked_status} is obsolete), the
 *       bytes actually transferred for data-in ({@code dxfer_len - resid}), the sense bytes
 *       ({@code sb_len_wr}) and the residual.
 * </ol>
 * A transport failure or timeout leaves the command's effect on the device unknown, and every such
 * message says so: a tape drive's position must be re-read, not assumed.
 *
 * <h2>Concurrency</h2>
 * <table>
 *   <caption>What may run together</caption>
 *   <tr><th>operation</th><th>with</th><th>why it is safe</th></tr>
 *   <tr><td>execute</td><td>execute</td><td>serialised by {@code lock}: one SG_IO at a time per
 *       transport, so commands reach the device in call order</td></tr>
 *   <tr><td>close</td><td>execute</td><td>close takes the same lock, so it waits for the command in
 *       flight (at most its timeout) and the descriptor is never closed under a running ioctl, nor
 *       reused by another open while one still refers to it</td></tr>
 *   <tr><td>describe, driverVersion</td><td>anything</td><td>immutable fields</td></tr>
 * </table>
 * Two transports on the same device node have separate descriptors; the sg driver queues their
 * commands independently, so callers must not drive one tape drive through two transports.
 */
public final class SgIoTransport implements ScsiTransport {

    /** {@code ioctl} request numbers from {@code <scsi/sg.h>}. */
    static final int SG_IO = 0x2285;
    static final int SG_GET_VERSION_NUM = 0x2282;

    /** {@code sg_io_hdr.dxfer_direction} values. */
    static final int SG_DXFER_NONE = -1;
    static final int SG_DXFER_TO_DEV = -2;
    static final int SG_DXFER_FROM_DEV = -3;

    /** {@code sg_io_hdr.interface_id}: 'S' for SCSI generic. */
    static final int SG_INTERFACE_ID = 'S';

    /** The v3 interface (sg_io_hdr, SG_IO) arrived with sg driver 3.0.0, reported as 30000. */
    static final int MIN_DRIVER_VERSION = 30000;

    private final String path;
    private final LibC libc;
    private final int fd;
    private final int driverVersion;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed; // guarded by lock

    private SgIoTransport(String path, LibC libc, int fd, int driverVersion) {
        this.path = path;
        this.libc = libc;
        this.fd = fd;
        this.driverVersion = driverVersion;
    }

    /**
     * Opens {@code device} (a {@code /dev/sgN} node) read-write and non-blocking, and checks that it is
     * a SCSI generic device with the v3 interface.
     *
     * @throws TransportException when the node cannot be opened (the message names errno and what to
     *                            do) or is not an sg device
     * @throws UnsupportedOperationException off Linux x86_64/aarch64, where {@link SgIoHeader}'s layout
     *                                       has not been checked
     */
    public static SgIoTransport open(Path device) {
        Objects.requireNonNull(device, "device");
        if (!Platform.isLinux() || !(Platform.ARCH.equals("x86-64") || Platform.ARCH.equals("aarch64"))) {
            throw new UnsupportedOperationException("SG_IO needs Linux on x86_64 or aarch64; this is "
                    + System.getProperty("os.name") + " on " + Platform.ARCH);
        }
        return open(device.toString(), LibC.system());
    }

    /** {@link #open(Path)} with a given C library (tests pass a fake driver). */
    static SgIoTransport open(String path, LibC libc) {
        int fd;
        try {
            // O_NONBLOCK: do not wait for another opener's O_EXCL, nor for the device's error recovery,
            // at open time. SG_IO itself always blocks until the command completes, whatever the flag.
            // O_CLOEXEC: a process Cairn starts must not inherit the device.
            fd = libc.open(path, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            throw new TransportException("cannot open " + path + ": " + errnoText(libc, errno)
                    + openHint(errno), e);
        }
        int version;
        try (Memory out = new Memory(4)) {
            out.setInt(0, 0);
            try {
                libc.ioctl(fd, new NativeLong(SG_GET_VERSION_NUM), out);
            } catch (LastErrorException e) {
                closeQuietly(libc, fd);
                throw new TransportException(path + " is not a SCSI generic (sg) device: SG_GET_VERSION_NUM failed with "
                        + errnoText(libc, e.getErrorCode())
                        + ". Use a /dev/sgN node (SgDevices lists them), not /dev/stN or /dev/nstN.", e);
            }
            version = out.getInt(0);
        }
        if (version < MIN_DRIVER_VERSION) {
            closeQuietly(libc, fd);
            throw new TransportException(path + ": sg driver version " + version
                    + " is older than 3.0 (30000) and has no SG_IO; a kernel from 2.4 on has it", null);
        }
        return new SgIoTransport(path, libc, fd, version);
    }

    /** The sg driver's version as SG_GET_VERSION_NUM reported it (e.g. 30536 for 3.5.36). */
    public int driverVersion() {
        return driverVersion;
    }

    @Override
    public String describe() {
        return path;
    }

    /**
     * Sends {@code cdb} and waits for its completion, at most about {@code timeout} (the kernel aborts the
     * command then; the ioctl returns once the abort is done).
     *
     * @param lun must be 0: an sg node addresses exactly one logical unit
     * @throws IllegalArgumentException for {@code lun != 0}, {@code dataOut} not matching the CDB's
     *                                  direction, or a negative timeout
     * @throws IllegalStateException    after {@link #close()}
     */
    @Override
    public ScsiResponse execute(int lun, Cdb cdb, byte[] dataOut, Duration timeout) {
        Objects.requireNonNull(cdb, "cdb");
        if (lun != 0) {
            throw new IllegalArgumentException(path + ": an sg device node addresses one logical unit, so lun must be 0, not "
                    + lun + "; open the /dev/sgN of that LUN instead (SgDevices lists them with H:C:T:L)");
        }
        int timeoutMillis = timeoutMillis(timeout);
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException(path + " is closed; open it again to send " + cdb.name());
            }
            try (SgCommand command = prepare(cdb, dataOut, timeoutMillis)) {
                command.header.write();
                try {
                    libc.ioctl(fd, new NativeLong(SG_IO), command.header.getPointer());
                } catch (LastErrorException e) {
                    throw ioctlFailure(path, cdb, e.getErrorCode(), errnoText(libc, e.getErrorCode()), e);
                }
                command.header.read();
                return interpret(path, command);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the descriptor, once; waits for a command in flight. Later calls do nothing. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                libc.close(fd);
            } catch (LastErrorException e) {
                // Linux releases the descriptor even when close(2) reports an error; there is nothing to retry.
                throw new TransportException("closing " + path + " failed: " + errnoText(libc, e.getErrorCode()), e);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- pure parts: marshalling and mapping, tested without a device ----

    /**
     * The {@code sg_io_hdr} timeout for {@code timeout}: milliseconds, rounded up, at least 1 (0 would mean
     * the driver's default), at most {@link Integer#MAX_VALUE} (about 24.8 days; the field is unsigned
     * and its all-ones value means "no timeout", which Cairn never asks for).
     */
    static int timeoutMillis(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("a command timeout cannot be negative: " + timeout);
        }
        if (timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
            return Integer.MAX_VALUE;
        }
        long millis = timeout.toMillis();
        if (Duration.ofMillis(millis).compareTo(timeout) < 0) {
            millis++; // round a partial millisecond up: never shorter than asked
        }
        return (int) Math.max(1, millis);
    }

    /**
     * Builds the header and native buffers for {@code cdb}: interface 'S', the CDB, the data buffer
     * (a copy of {@code dataOut}, or a zeroed buffer of the CDB's {@code dataInLength}), a 252-byte
     * zeroed sense buffer, {@code timeoutMillis}, indirect I/O (flags 0). A command that moves no bytes
     * (direction NONE, a data-in length of 0, an empty data-out array) is sent as
     * {@code SG_DXFER_NONE} with no buffer.
     */
    static SgCommand prepare(Cdb cdb, byte[] dataOut, int timeoutMillis) {
        Objects.requireNonNull(cdb, "cdb");
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException(cdb.name() + ": timeout must be at least 1 ms, not " + timeoutMillis);
        }
        int dataLength = switch (cdb.direction()) {
            case NONE -> {
                requireNoDataOut(cdb, dataOut);
                yield 0;
            }
            case IN -> {
                requireNoDataOut(cdb, dataOut);
                yield cdb.dataInLength();
            }
            case OUT -> {
                if (dataOut == null) {
                    throw new IllegalArgumentException(cdb.name() + " is a data-out command: pass its data as dataOut");
                }
                yield dataOut.length;
            }
        };
        Direction direction = dataLength == 0 ? Direction.NONE : cdb.direction();
        byte[] cdbBytes = cdb.bytes();

        Memory headerMemory = new Memory(SgIoHeader.SIZE);
        Memory cdbMemory = new Memory(cdbBytes.length);
        Memory senseMemory = new Memory(SgCommand.SENSE_BUFFER_LENGTH);
        Memory dataMemory = dataLength == 0 ? null : new Memory(dataLength);
        headerMemory.clear();
        cdbMemory.write(0, cdbBytes, 0, cdbBytes.length);
        senseMemory.clear();
        if (direction == Direction.OUT) {
            dataMemory.write(0, dataOut, 0, dataLength);
        } else if (dataMemory != null) {
            // Zeroed, so a driver that under-reports resid can never hand back stale native heap.
            dataMemory.clear();
        }

        SgCommand command = new SgCommand(cdb, direction, headerMemory, cdbMemory, dataMemory, senseMemory);
        SgIoHeader h = command.header;
        h.interface_id = SG_INTERFACE_ID;
        h.dxfer_direction = switch (direction) {
            case NONE -> SG_DXFER_NONE;
            case IN -> SG_DXFER_FROM_DEV;
            case OUT -> SG_DXFER_TO_DEV;
        };
        h.cmd_len = (byte) cdbBytes.length;
        h.mx_sb_len = (byte) SgCommand.SENSE_BUFFER_LENGTH;
        h.iovec_count = 0;
        h.dxfer_len = dataLength;
        h.dxferp = dataMemory;
        h.cmdp = cdbMemory;
        h.sbp = senseMemory;
        h.timeout = timeoutMillis;
        h.flags = 0;
        h.pack_id = 0;
        h.usr_ptr = null;
        return command;
    }

    private static void requireNoDataOut(Cdb cdb, byte[] dataOut) {
        if (dataOut != null) {
            throw new IllegalArgumentException(cdb.name() + " is a " + cdb.direction()
                    + " command: dataOut must be null, not " + dataOut.length + " bytes");
        }
    }

    /**
     * Reads the outcome from a header the kernel filled (its Java fields, after {@code read()}) and the
     * command's buffers. See the class comment for the order of the rules.
     */
    static ScsiResponse interpret(String device, SgCommand command) {
        SgIoHeader h = command.header;
        Cdb cdb = command.cdb;
        int status = h.scsiStatus();
        int host = h.hostStatus();
        int driver = h.driverStatus();
        int driverByte = driver & DRIVER_MASK;
        int senseLength = Math.min(h.sbLenWr(), Math.min(h.mxSbLen(), SgCommand.SENSE_BUFFER_LENGTH));

        if (host == DID_TIME_OUT || driverByte == DRIVER_TIMEOUT) {
            throw new TransportException("%s: %s (opcode 0x%02x) timed out after %d ms (limit %d ms; host %s, driver %s). %s"
                    .formatted(device, cdb.name(), cdb.opcode(), h.durationMillis(), h.timeoutMillis(),
                            SgStatus.hostName(host), SgStatus.driverName(driver), OUTCOME_UNKNOWN), null, true);
        }
        boolean checkCondition = status == ScsiResponse.CHECK_CONDITION || status == COMMAND_TERMINATED;
        boolean deviceAnswered = status != ScsiResponse.GOOD
                && ((checkCondition && senseLength > 0) || SgStatus.annotatesDeviceStatus(host));
        if (host != DID_OK && !deviceAnswered) {
            throw new TransportException("%s: %s (opcode 0x%02x) failed in the host adapter: host %s, driver %s, SCSI status 0x%02x. %s Check the cabling, the adapter and the kernel log (dmesg)."
                    .formatted(device, cdb.name(), cdb.opcode(), SgStatus.hostName(host), SgStatus.driverName(driver),
                            status, OUTCOME_UNKNOWN), null);
        }
        if (driverByte != DRIVER_OK && driverByte != DRIVER_SENSE && !deviceAnswered) {
            throw new TransportException("%s: %s (opcode 0x%02x) failed in the SCSI driver: driver %s, host %s, SCSI status 0x%02x. %s Check the kernel log (dmesg)."
                    .formatted(device, cdb.name(), cdb.opcode(), SgStatus.driverName(driver), SgStatus.hostName(host),
                            status, OUTCOME_UNKNOWN), null);
        }

        byte[] sense = new byte[senseLength];
        if (senseLength > 0) {
            command.senseMemory.read(0, sense, 0, senseLength);
        }
        long requested = command.direction == Direction.NONE ? 0 : h.dxferLen();
        // resid is "dxfer_len - actual transferred"; a driver may report nonsense, so keep it in range.
        int residual = (int) Math.clamp((long) h.resid, 0L, requested);
        byte[] dataIn = new byte[0];
        if (command.direction == Direction.IN) {
            int transferred = (int) (requested - residual);
            dataIn = new byte[transferred];
            command.dataMemory.read(0, dataIn, 0, transferred);
        }
        return new ScsiResponse(status, dataIn, sense, residual);
    }

    private static final String OUTCOME_UNKNOWN =
            "Whether the device carried the command out is unknown: re-read its state (position, element status) before relying on it.";

    /** The exception for a failed {@code ioctl(SG_IO)}; {@code ETIMEDOUT} is marked as a timeout. */
    static TransportException ioctlFailure(String device, Cdb cdb, int errno, String errnoText, Throwable cause) {
        String meaning = switch (errno) {
            case LibC.EINTR -> "interrupted by a signal while waiting; the command may still be running on the device. "
                    + OUTCOME_UNKNOWN;
            case LibC.ETIMEDOUT -> "timed out. " + OUTCOME_UNKNOWN;
            case LibC.ENODEV -> "the device is gone (detached or removed); find it again with SgDevices. " + OUTCOME_UNKNOWN;
            case LibC.ENXIO -> "the device is in SCSI error recovery; the command was not sent, try again later";
            case LibC.EPERM -> "not permitted: the node must be open read-write, or the command needs CAP_SYS_RAWIO; the command was not sent";
            case LibC.ENOMEM -> "the kernel could not buffer the transfer (larger than the adapter's max_sectors or the sg reserved buffer); the command was not sent";
            case LibC.EDOM -> "too many commands queued on this descriptor; the command was not sent";
            case LibC.EMSGSIZE, LibC.EINVAL, LibC.ENOSYS -> "the kernel rejected the request header, which is a bug in Cairn; the command was not sent";
            default -> OUTCOME_UNKNOWN;
        };
        return new TransportException("%s: SG_IO for %s (opcode 0x%02x) failed with %s: %s"
                .formatted(device, cdb.name(), cdb.opcode(), errnoText, meaning), cause, errno == LibC.ETIMEDOUT);
    }

    private static String openHint(int errno) {
        return switch (errno) {
            case LibC.ENOENT -> ". No such device node: the sg driver may not be loaded (modprobe sg), or the device is"
                    + " gone; SgDevices lists the present ones.";
            case LibC.EACCES, LibC.EPERM -> ". The Cairn service user needs read-write access to the node (a udev rule"
                    + " or group membership, usually 'tape' or 'disk').";
            case LibC.EBUSY -> ". Another process holds the device exclusively (O_EXCL); stop it and try again.";
            case LibC.ENXIO, LibC.ENODEV -> ". The device is not there any more; SgDevices lists the present ones.";
            default -> ".";
        };
    }

    /** "ENOENT (2, No such file or directory)". */
    static String errnoText(LibC libc, int errno) {
        String text;
        try {
            text = libc.strerror(errno);
        } catch (RuntimeException | LinkageError e) {
            text = null;
        }
        return LibC.errnoName(errno) + " (" + errno + (text == null ? "" : ", " + text) + ")";
    }

    private static void closeQuietly(LibC libc, int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException ignored) {
            // Already failing with a better message; Linux frees the descriptor anyway.
        }
    }
}
