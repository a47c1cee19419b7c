package dev.cairn.tape.transport.sg;

import com.sun.jna.Memory;
import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;

/**
 * One SG_IO request ready to send: the {@code sg_io_hdr} and the native memory it points to (CDB, data
 * buffer, sense buffer). Built by {@link SgIoTransport#prepare}, read back by
 * {@link SgIoTransport#interpret}; it owns its native memory and frees it on {@link #close()}, which
 * must not happen while the kernel may still write to it (the transport closes it after the ioctl
 * returned). Not thread safe.
 */
final class SgCommand implements AutoCloseable {

    /** SPC's largest sense data (252 bytes); {@code mx_sb_len} is an unsigned char, so it fits. */
    static final int SENSE_BUFFER_LENGTH = 252;

    final Cdb cdb;
    /** The direction actually requested from the kernel: NONE when the command moves no bytes. */
    final Direction direction;
    final SgIoHeader header;
    final Memory cdbMemory;
    /** The data buffer (zeroed for data-in), or null when nothing is transferred. */
    final Memory dataMemory;
    final Memory senseMemory;
    private final Memory headerMemory;

    SgCommand(Cdb cdb, Direction direction, Memory headerMemory, Memory cdbMemory, Memory dataMemory,
              Memory senseMemory) {
        this.cdb = cdb;
        this.direction = direction;
        this.headerMemory = headerMemory;
        this.header = new SgIoHeader(headerMemory);
        this.cdbMemory = cdbMemory;
        this.dataMemory = dataMemory;
        this.senseMemory = senseMemory;
    }

    /** Frees the native memory. Idempotent. */
    @Override
    public void close() {
        senseMemory.close();
        if (dataMemory != null) {
            dataMemory.close();
        }
        cdbMemory.close();
        headerMemory.close();
    }
}
