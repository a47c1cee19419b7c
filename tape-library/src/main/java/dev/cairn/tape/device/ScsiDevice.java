package dev.cairn.tape.device;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.InquiryData;
import dev.cairn.tape.scsi.RetryPolicy;
import dev.cairn.tape.scsi.ScsiDecodeException;
import dev.cairn.tape.scsi.ScsiResponse;
import dev.cairn.tape.scsi.Sense;
import dev.cairn.tape.scsi.SenseCategory;
import dev.cairn.tape.scsi.Spc;
import dev.cairn.tape.scsi.VpdUnitSerial;
import dev.cairn.tape.transport.ScsiTransport;
import java.time.Duration;

/**
 * One logical unit behind a transport, with the retry policy of its sense categories applied: a UNIT
 * ATTENTION (reset, medium changed: every new iSCSI session starts with one) is retried once, BECOMING
 * READY is retried after the suggested delay until {@code readyWait} runs out, BUSY and TASK SET FULL
 * after a short pause; everything else reaches the caller. Thread safe as its transport.
 */
public final class ScsiDevice {
    private static final int MAX_RETRIES = 20;

    private final ScsiTransport transport;
    private final int lun;
    private final Duration readyWait;
    private String name;

    public ScsiDevice(ScsiTransport transport, int lun, Duration readyWait) {
        this.transport = transport;
        this.lun = lun;
        this.readyWait = readyWait;
        this.name = transport.describe() + " LUN " + lun;
    }

    public int lun() {
        return lun;
    }

    public ScsiTransport transport() {
        return transport;
    }

    /** How messages name this device: "IET VIRTUAL-TAPE serial beaf11 (iscsi://... LUN 1)". */
    public String name() {
        return name;
    }

    void name(String n) {
        this.name = n;
    }

    /** A finished command: the response and, for CHECK CONDITION, its decoded sense data. */
    public record Outcome(ScsiResponse response, Sense sense) {
        public boolean good() {
            return response.good();
        }

        public byte[] data() {
            return response.dataIn();
        }
    }

    /**
     * Runs {@code cdb}, retrying what its sense category says may be retried. Returns GOOD and CHECK
     * CONDITION outcomes; other statuses (RESERVATION CONFLICT...) and undecodable sense throw.
     */
    public Outcome run(Cdb cdb, byte[] dataOut, Duration timeout) {
        long readyDeadline = System.nanoTime() + readyWait.toNanos();
        boolean unitAttentionRetried = false;
        for (int attempt = 0; ; attempt++) {
            ScsiResponse r = transport.execute(lun, cdb, dataOut, timeout);
            if (r.status() == ScsiResponse.GOOD) {
                return new Outcome(r, null);
            }
            if ((r.status() == ScsiResponse.BUSY || r.status() == ScsiResponse.TASK_SET_FULL) && attempt < MAX_RETRIES) {
                pause(Duration.ofMillis(200));
                continue;
            }
            if (r.status() != ScsiResponse.CHECK_CONDITION) {
                throw new TapeException(name + ": " + cdb.name() + " ended with SCSI status 0x"
                        + Integer.toHexString(r.status()) + statusName(r.status()), (Sense) null);
            }
            Sense sense;
            try {
                sense = Sense.parse(r.sense());
            } catch (ScsiDecodeException e) {
                throw new TapeException(name + ": " + cdb.name() + " failed and its sense data cannot be read: " + e.getMessage(), e);
            }
            SenseCategory c = sense.category();
            RetryPolicy policy = c.retry();
            if (c == SenseCategory.UNIT_ATTENTION && !unitAttentionRetried) {
                unitAttentionRetried = true;
                continue;
            }
            if (policy.kind() == RetryPolicy.Kind.AFTER_DELAY && attempt < MAX_RETRIES
                    && System.nanoTime() + policy.suggestedDelay().toNanos() < readyDeadline) {
                pause(policy.suggestedDelay());
                continue;
            }
            return new Outcome(r, sense);
        }
    }

    /** Like {@link #run}, but a CHECK CONDITION becomes the matching {@link TapeException}. */
    public Outcome require(Cdb cdb, byte[] dataOut, Duration timeout) {
        Outcome o = run(cdb, dataOut, timeout);
        if (!o.good()) {
            throw failure(cdb, o.sense());
        }
        return o;
    }

    /** The typed exception for a CHECK CONDITION of {@code cdb}. */
    TapeException failure(Cdb cdb, Sense s) {
        String msg = name + ": " + cdb.name() + " failed: " + s.describe();
        int ascq = (s.asc() << 8) | s.ascq();
        if (s.key() == Sense.NOT_READY && s.asc() == 0x3a) {
            return new TapeException.NoMediumException(msg + ". Load a cartridge first.", s);
        }
        if (s.key() == Sense.DATA_PROTECT) {
            return new TapeException.WriteProtectedException(msg, s);
        }
        if (s.key() == Sense.ILLEGAL_REQUEST && ascq == 0x3b0e) {
            return new TapeException.SourceEmptyException(msg + ". The source element is empty.", s);
        }
        if (s.key() == Sense.ILLEGAL_REQUEST && ascq == 0x3b0d) {
            return new TapeException.DestinationFullException(msg + ". The destination element is full.", s);
        }
        if (s.key() == Sense.ILLEGAL_REQUEST && s.asc() == 0x20) {
            return new TapeException.UnsupportedCommandException(msg + ". The device does not implement it.", s);
        }
        if (s.key() == Sense.VOLUME_OVERFLOW) {
            return new TapeException.EndOfMediumException(msg + ". The cartridge is full; this write is not on tape.", s);
        }
        if (s.key() == Sense.MEDIUM_ERROR || s.key() == Sense.HARDWARE_ERROR) {
            return new TapeException.TapeIoException(msg, s);
        }
        return new TapeException(msg, s);
    }

    /** INQUIRY plus the unit serial number (VPD 80h, empty when the device has none). */
    public DeviceIdentity identify(Duration timeout) {
        InquiryData inq = InquiryData.parse(require(Spc.inquiry(96), null, timeout).data());
        String serial = "";
        Outcome vpd = run(Spc.inquiryVpd(VpdUnitSerial.PAGE_CODE, 255), null, timeout);
        if (vpd.good()) {
            try {
                serial = VpdUnitSerial.parse(vpd.data()).serialNumber();
            } catch (ScsiDecodeException e) {
                serial = "";
            }
        }
        DeviceIdentity id = new DeviceIdentity(inq.vendor(), inq.product(), inq.revision(), serial);
        name = id + " (" + transport.describe() + " LUN " + lun + ")";
        return id;
    }

    private static String statusName(int status) {
        return switch (status) {
            case ScsiResponse.RESERVATION_CONFLICT -> " (RESERVATION CONFLICT: another host holds the device)";
            case ScsiResponse.BUSY -> " (BUSY)";
            case ScsiResponse.TASK_SET_FULL -> " (TASK SET FULL)";
            default -> "";
        };
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TapeException("interrupted while waiting for the device", e);
        }
    }
}
