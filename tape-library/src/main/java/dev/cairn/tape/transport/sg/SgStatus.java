package dev.cairn.tape.transport.sg;

import java.util.List;

/**
 * The host (adapter) and driver status codes that {@code SG_IO} reports in
 * {@code sg_io_hdr.host_status} and {@code driver_status}, with their Linux names, for messages and for
 * {@link SgIoTransport#interpret}. Values from the kernel's {@code include/scsi/scsi.h} (before 5.14) and
 * {@code scsi_status.h} (after): they are kernel ABI and do not change.
 *
 * <p>Since Linux 5.14 the SCSI midlayer has no driver byte: {@code driver_status} is 0, or
 * {@code DRIVER_SENSE} when the status is CHECK CONDITION, and a command timeout shows as host status
 * {@code DID_TIME_OUT}. Older kernels also report {@code DRIVER_TIMEOUT} and the others, with a
 * {@code SUGGEST_*} hint in the high nibble.
 */
final class SgStatus {

    static final int DID_OK = 0x00;
    static final int DID_NO_CONNECT = 0x01;
    static final int DID_BUS_BUSY = 0x02;
    static final int DID_TIME_OUT = 0x03;
    static final int DID_BAD_TARGET = 0x04;
    static final int DID_ABORT = 0x05;
    static final int DID_PARITY = 0x06;
    static final int DID_ERROR = 0x07;
    static final int DID_RESET = 0x08;
    static final int DID_BAD_INTR = 0x09;
    static final int DID_PASSTHROUGH = 0x0a;
    static final int DID_SOFT_ERROR = 0x0b;
    static final int DID_IMM_RETRY = 0x0c;
    static final int DID_REQUEUE = 0x0d;
    static final int DID_TRANSPORT_DISRUPTED = 0x0e;
    static final int DID_TRANSPORT_FAILFAST = 0x0f;
    static final int DID_TARGET_FAILURE = 0x10;
    static final int DID_NEXUS_FAILURE = 0x11;
    static final int DID_ALLOC_FAILURE = 0x12;
    static final int DID_MEDIUM_ERROR = 0x13;
    static final int DID_TRANSPORT_MARGINAL = 0x14;

    static final int DRIVER_OK = 0x00;
    static final int DRIVER_BUSY = 0x01;
    static final int DRIVER_SOFT = 0x02;
    static final int DRIVER_MEDIA = 0x03;
    static final int DRIVER_ERROR = 0x04;
    static final int DRIVER_INVALID = 0x05;
    static final int DRIVER_TIMEOUT = 0x06;
    static final int DRIVER_HARD = 0x07;
    static final int DRIVER_SENSE = 0x08;
    /** The driver byte proper; the high nibble is a SUGGEST_* hint. */
    static final int DRIVER_MASK = 0x0f;
    static final int SUGGEST_MASK = 0xf0;

    /** {@code sg_io_hdr.info}: bit 0 clear means no sense, host or driver "noise". */
    static final int SG_INFO_OK_MASK = 0x1;
    static final int SG_INFO_OK = 0x0;

    /** SAM status COMMAND TERMINATED (obsolete, but a device may still send it with sense). */
    static final int COMMAND_TERMINATED = 0x22;

    private record Code(int value, String name, String meaning) {}

    /** Index = value. */
    private static final List<Code> HOST = List.of(
            new Code(DID_OK, "DID_OK", "no error"),
            new Code(DID_NO_CONNECT, "DID_NO_CONNECT", "could not connect to the target"),
            new Code(DID_BUS_BUSY, "DID_BUS_BUSY", "the bus stayed busy through the time-out period"),
            new Code(DID_TIME_OUT, "DID_TIME_OUT", "the command timed out"),
            new Code(DID_BAD_TARGET, "DID_BAD_TARGET", "bad target"),
            new Code(DID_ABORT, "DID_ABORT", "the command was aborted"),
            new Code(DID_PARITY, "DID_PARITY", "parity error"),
            new Code(DID_ERROR, "DID_ERROR", "internal error in the host adapter driver"),
            new Code(DID_RESET, "DID_RESET", "the bus or device was reset"),
            new Code(DID_BAD_INTR, "DID_BAD_INTR", "unexpected interrupt"),
            new Code(DID_PASSTHROUGH, "DID_PASSTHROUGH", "forced past the midlayer"),
            new Code(DID_SOFT_ERROR, "DID_SOFT_ERROR", "the host adapter driver asks for a retry"),
            new Code(DID_IMM_RETRY, "DID_IMM_RETRY", "retry without counting it"),
            new Code(DID_REQUEUE, "DID_REQUEUE", "requeue the command"),
            new Code(DID_TRANSPORT_DISRUPTED, "DID_TRANSPORT_DISRUPTED",
                    "a transport error disrupted execution; the port is blocked while the link recovers"),
            new Code(DID_TRANSPORT_FAILFAST, "DID_TRANSPORT_FAILFAST", "the transport failed the command fast"),
            new Code(DID_TARGET_FAILURE, "DID_TARGET_FAILURE", "permanent target failure"),
            new Code(DID_NEXUS_FAILURE, "DID_NEXUS_FAILURE", "permanent nexus failure (reservation conflict)"),
            new Code(DID_ALLOC_FAILURE, "DID_ALLOC_FAILURE", "space allocation on the device failed"),
            new Code(DID_MEDIUM_ERROR, "DID_MEDIUM_ERROR", "medium error"),
            new Code(DID_TRANSPORT_MARGINAL, "DID_TRANSPORT_MARGINAL", "marginal transport errors"));

    private static final List<Code> DRIVER = List.of(
            new Code(DRIVER_OK, "DRIVER_OK", "no error"),
            new Code(DRIVER_BUSY, "DRIVER_BUSY", "driver busy"),
            new Code(DRIVER_SOFT, "DRIVER_SOFT", "soft error"),
            new Code(DRIVER_MEDIA, "DRIVER_MEDIA", "media error"),
            new Code(DRIVER_ERROR, "DRIVER_ERROR", "driver error"),
            new Code(DRIVER_INVALID, "DRIVER_INVALID", "invalid request"),
            new Code(DRIVER_TIMEOUT, "DRIVER_TIMEOUT", "the command timed out"),
            new Code(DRIVER_HARD, "DRIVER_HARD", "hard error"),
            new Code(DRIVER_SENSE, "DRIVER_SENSE", "sense data is available"));

    private static final List<String> SUGGEST = List.of(
            "", "SUGGEST_RETRY", "SUGGEST_ABORT", "SUGGEST_REMAP", "SUGGEST_DIE", "", "", "", "SUGGEST_SENSE");

    private SgStatus() {}

    /** "DID_NO_CONNECT (0x01, could not connect to the target)"; unknown values keep their number. */
    static String hostName(int hostStatus) {
        if (hostStatus >= 0 && hostStatus < HOST.size()) {
            Code c = HOST.get(hostStatus);
            return "%s (0x%02x, %s)".formatted(c.name(), c.value(), c.meaning());
        }
        return "host status 0x%04x (not a DID_* value Cairn knows)".formatted(hostStatus);
    }

    /** "DRIVER_TIMEOUT|SUGGEST_RETRY (0x16, the command timed out)"; unknown values keep their number. */
    static String driverName(int driverStatus) {
        int driver = driverStatus & DRIVER_MASK;
        int suggest = (driverStatus & SUGGEST_MASK) >> 4;
        String suggestName = suggest < SUGGEST.size() ? SUGGEST.get(suggest) : "";
        if (driver < DRIVER.size() && (driverStatus & ~(DRIVER_MASK | SUGGEST_MASK)) == 0
                && (suggest == 0 || !suggestName.isEmpty())) {
            Code c = DRIVER.get(driver);
            String name = suggest == 0 ? c.name() : c.name() + "|" + suggestName;
            return "%s (0x%02x, %s)".formatted(name, driverStatus, c.meaning());
        }
        return "driver status 0x%04x (not a DRIVER_* value Cairn knows)".formatted(driverStatus);
    }

    /**
     * Host codes that many kernel versions (roughly from 2.6.36 until the midlayer moved them to an
     * internal byte in 6.1) set from the device's own status, not from a transport failure: {@code DID_NEXUS_FAILURE} for RESERVATION CONFLICT, and {@code DID_TARGET_FAILURE},
     * {@code DID_ALLOC_FAILURE}, {@code DID_MEDIUM_ERROR} for certain sense data. With a non-GOOD status
     * byte they mean the device answered.
     */
    static boolean annotatesDeviceStatus(int hostStatus) {
        return hostStatus == DID_TARGET_FAILURE || hostStatus == DID_NEXUS_FAILURE
                || hostStatus == DID_ALLOC_FAILURE || hostStatus == DID_MEDIUM_ERROR;
    }
}
