package dev.cairn.tape.transport;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.ScsiResponse;
import java.time.Duration;

/**
 * A way to send SCSI commands to the logical units behind one target: an iSCSI target
 * (IscsiTransport) or a Linux SCSI generic device ({@code SgIoTransport}, where the LUN is fixed
 * by the device node and {@code lun} must be 0).
 *
 * <p>Every command has a timeout; a command that does not complete in time fails with
 * {@link TransportException}. The iSCSI transport enforces it itself (it never hangs) and, having lost
 * its connection, fails the command in flight and reconnects on the next call. SG_IO hands the timeout
 * to the kernel, whose error recovery (abort, then resets) can take longer, and a device that detached
 * may come back under another /dev/sg number: the caller rediscovers it. Implementations are thread
 * safe; commands to one transport are serialised.
 */
public interface ScsiTransport extends AutoCloseable {

    /**
     * Sends {@code cdb} to {@code lun} and waits for its status.
     *
     * @param dataOut the data to send for {@link dev.cairn.tape.scsi.Direction#OUT} commands, else null
     * @return the status, data and sense; CHECK CONDITION is a response, not an exception
     * @throws TransportException when the command could not be delivered or answered (connection lost,
     *                            timeout, protocol error)
     */
    ScsiResponse execute(int lun, Cdb cdb, byte[] dataOut, Duration timeout);

    /** What this transport talks to, for messages: an iscsi:// URL or a /dev/sg path. */
    String describe();

    @Override
    void close();
}
