package dev.cairn.tape.transport.sg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.ScsiResponse;
import dev.cairn.tape.transport.TransportException;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SgIoTransport#interpret} and {@link SgIoTransport#ioctlFailure} on headers filled by hand the
 * way the sg driver fills them: the reply side, no device.
 */
class SgIoInterpretTest {

    private static final String DEV = "/dev/sg7";

    /** Prepares {@code cdb}, lets {@code kernel} fill the header and buffers, and interprets it. */
    private static ScsiResponse run(Cdb cdb, byte[] dataOut, Consumer<SgCommand> kernel) {
        try (SgCommand c = SgIoTransport.prepare(cdb, dataOut, 60_000)) {
            kernel.accept(c);
            return SgIoTransport.interpret(DEV, c);
        }
    }

    private static TransportException failure(Cdb cdb, Consumer<SgCommand> kernel) {
        TransportException e = catchThrowableOfType(TransportException.class, () -> run(cdb, null, kernel));
        assertThat(e).as("expected a TransportException").isNotNull();
        return e;
    }

    private static Consumer<SgCommand> status(int status, int host, int driver) {
        return c -> {
            c.header.status = (byte) status;
            c.header.host_status = (short) host;
            c.header.driver_status = (short) driver;
            c.header.duration = 12;
        };
    }

    @Test
    void goodWithoutData() {
        ScsiResponse r = run(Cdbs.testUnitReady(), null, status(0, 0, 0));
        assertThat(r.good()).isTrue();
        assertThat(r.dataIn()).isEmpty();
        assertThat(r.sense()).isEmpty();
        assertThat(r.residual()).isZero();
    }

    @Test
    void goodWithAllDataIn() {
        byte[] inquiry = new byte[96];
        for (int i = 0; i < inquiry.length; i++) {
            inquiry[i] = (byte) (i + 1);
        }
        ScsiResponse r = run(Cdbs.inquiry(96), null, c -> {
            c.dataMemory.write(0, inquiry, 0, 96);
            c.header.resid = 0;
        });
        assertThat(r.status()).isEqualTo(ScsiResponse.GOOD);
        assertThat(r.dataIn()).isEqualTo(inquiry);
        assertThat(r.residual()).isZero();
    }

    @Test
    void residualShortensTheDataIn() {
        // READ(6) of up to 64 KiB finds a 512-byte block: the driver reports resid = 65536 - 512.
        byte[] block = new byte[512];
        block[0] = 0x11;
        block[511] = 0x22;
        ScsiResponse r = run(Cdbs.read6(65536), null, c -> {
            c.dataMemory.write(0, block, 0, 512);
            c.dataMemory.setByte(512, (byte) 0x7f); // beyond what was transferred: must not appear
            c.header.resid = 65536 - 512;
        });
        assertThat(r.good()).isTrue();
        assertThat(r.dataIn()).isEqualTo(block);
        assertThat(r.residual()).isEqualTo(65024);
    }

    @Test
    void residualOfADataOutCommand() {
        ScsiResponse r = run(Cdbs.write6(1024), new byte[1024], c -> c.header.resid = 100);
        assertThat(r.dataIn()).isEmpty();
        assertThat(r.residual()).isEqualTo(100);
    }

    @Test
    void nonsenseResidIsKeptInRange() {
        ScsiResponse negative = run(Cdbs.inquiry(36), null, c -> c.header.resid = -5);
        assertThat(negative.dataIn()).hasSize(36);
        assertThat(negative.residual()).isZero();
        ScsiResponse tooLarge = run(Cdbs.inquiry(36), null, c -> c.header.resid = 1000);
        assertThat(tooLarge.dataIn()).isEmpty();
        assertThat(tooLarge.residual()).isEqualTo(36);
        ScsiResponse none = run(Cdbs.testUnitReady(), null, c -> c.header.resid = 7);
        assertThat(none.residual()).as("no transfer, no residual").isZero();
    }

    @Test
    void checkConditionWithSenseIsAResponse() {
        byte[] sense = Cdbs.senseNotReadyNoMedium();
        ScsiResponse r = run(Cdbs.testUnitReady(), null, c -> {
            c.senseMemory.write(0, sense, 0, sense.length);
            status(ScsiResponse.CHECK_CONDITION, 0, SgStatus.DRIVER_SENSE).accept(c);
            c.header.masked_status = 1;
            c.header.sb_len_wr = (byte) sense.length;
            c.header.info = 1;
        });
        assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
        assertThat(r.good()).isFalse();
        assertThat(r.sense()).isEqualTo(sense);
    }

    @Test
    void senseLengthNeverExceedsTheBuffer() {
        ScsiResponse r = run(Cdbs.testUnitReady(), null, c -> {
            status(ScsiResponse.CHECK_CONDITION, 0, SgStatus.DRIVER_SENSE).accept(c);
            c.header.sb_len_wr = (byte) 255;
        });
        assertThat(r.sense()).hasSize(252);
    }

    @Test
    void checkConditionWithoutSenseOnAGoodPathIsStillAResponse() {
        ScsiResponse r = run(Cdbs.testUnitReady(), null, status(ScsiResponse.CHECK_CONDITION, 0, 0));
        assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
        assertThat(r.sense()).isEmpty();
    }

    @Test
    void otherDeviceStatusesAreResponses() {
        assertThat(run(Cdbs.testUnitReady(), null, status(ScsiResponse.BUSY, 0, 0)).status()).isEqualTo(ScsiResponse.BUSY);
        assertThat(run(Cdbs.testUnitReady(), null, status(ScsiResponse.RESERVATION_CONFLICT, 0, 0)).status())
                .isEqualTo(ScsiResponse.RESERVATION_CONFLICT);
        assertThat(run(Cdbs.testUnitReady(), null, status(ScsiResponse.TASK_SET_FULL, 0, 0)).status())
                .isEqualTo(ScsiResponse.TASK_SET_FULL);
    }

    @Test
    void theDevicesAnswerWinsOverAHostCodeTheKernelDerivedFromIt() {
        // Many kernels (roughly 2.6.36 until 6.1) turn RESERVATION CONFLICT into DID_NEXUS_FAILURE and some sense data into
        // DID_MEDIUM_ERROR / DID_TARGET_FAILURE: the device answered, so the caller gets the answer.
        assertThat(run(Cdbs.testUnitReady(), null,
                status(ScsiResponse.RESERVATION_CONFLICT, SgStatus.DID_NEXUS_FAILURE, 0)).status())
                .isEqualTo(ScsiResponse.RESERVATION_CONFLICT);
        byte[] mediumError = {0x70, 0, 0x03, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x11, 0, 0, 0, 0, 0};
        ScsiResponse r = run(Cdbs.read6(512), null, c -> {
            c.senseMemory.write(0, mediumError, 0, mediumError.length);
            status(ScsiResponse.CHECK_CONDITION, SgStatus.DID_MEDIUM_ERROR, SgStatus.DRIVER_SENSE).accept(c);
            c.header.sb_len_wr = (byte) mediumError.length;
            c.header.resid = 512;
        });
        assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
        assertThat(r.sense()).isEqualTo(mediumError);
        assertThat(r.dataIn()).isEmpty();
        // CHECK CONDITION with sense under any non-timeout host error: still the device's answer.
        ScsiResponse withError = run(Cdbs.testUnitReady(), null, c -> {
            c.senseMemory.write(0, Cdbs.senseNotReadyNoMedium(), 0, 18);
            status(ScsiResponse.CHECK_CONDITION, SgStatus.DID_ERROR, SgStatus.DRIVER_SENSE).accept(c);
            c.header.sb_len_wr = 18;
        });
        assertThat(withError.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
    }

    static Stream<Arguments> hostErrors() {
        return IntStream.rangeClosed(0x01, 0x14)
                .filter(h -> h != SgStatus.DID_TIME_OUT)
                .mapToObj(h -> Arguments.of(h, hostName(h)));
    }

    private static String hostName(int host) {
        return SgStatus.hostName(host).split(" ")[0];
    }

    @ParameterizedTest(name = "host_status 0x{0} {1}")
    @MethodSource("hostErrors")
    void eachHostErrorIsATransportFailure(int host, String name) {
        TransportException e = failure(Cdbs.readElementStatus(1024), status(0, host, 0));
        assertThat(e).isNotNull();
        assertThat(e.isTimeout()).isFalse();
        assertThat(e.getMessage()).contains(DEV, "READ ELEMENT STATUS", "opcode 0xb8", name, "failed in the host adapter",
                "is unknown");
        assertThat(name).startsWith("DID_");
    }

    @Test
    void hostErrorWithCheckConditionButNoSenseIsATransportFailure() {
        TransportException e = failure(Cdbs.testUnitReady(), status(ScsiResponse.CHECK_CONDITION, SgStatus.DID_ERROR, 0));
        assertThat(e.getMessage()).contains("DID_ERROR (0x07", "SCSI status 0x02");
    }

    @Test
    void unknownHostCodeKeepsItsNumber() {
        TransportException e = failure(Cdbs.testUnitReady(), status(0, 0x55, 0));
        assertThat(e.getMessage()).contains("host status 0x0055");
    }

    @Test
    void hostTimeoutIsATimeout() {
        TransportException e = failure(Cdbs.locate16(1_000_000), c -> {
            status(0, SgStatus.DID_TIME_OUT, 0).accept(c);
            c.header.duration = 60_001;
        });
        assertThat(e.isTimeout()).isTrue();
        assertThat(e.getMessage()).contains(DEV, "LOCATE(16)", "timed out after 60001 ms", "limit 60000 ms",
                "DID_TIME_OUT (0x03", "is unknown");
    }

    static Stream<Arguments> driverErrors() {
        return Stream.of(SgStatus.DRIVER_BUSY, SgStatus.DRIVER_SOFT, SgStatus.DRIVER_MEDIA, SgStatus.DRIVER_ERROR,
                        SgStatus.DRIVER_INVALID, SgStatus.DRIVER_HARD)
                .map(d -> Arguments.of(d, SgStatus.driverName(d).split(" ")[0]));
    }

    @ParameterizedTest(name = "driver_status 0x{0} {1}")
    @MethodSource("driverErrors")
    void eachDriverErrorIsATransportFailure(int driver, String name) {
        TransportException e = failure(Cdbs.inquiry(36), status(0, 0, driver));
        assertThat(e.isTimeout()).isFalse();
        assertThat(e.getMessage()).contains(DEV, "INQUIRY", name, "failed in the SCSI driver");
        TransportException withSuggest = failure(Cdbs.inquiry(36), status(0, 0, driver | 0x10));
        assertThat(withSuggest.getMessage()).contains(name + "|SUGGEST_RETRY");
    }

    @Test
    void driverTimeoutIsATimeout() {
        TransportException e = failure(Cdbs.testUnitReady(), status(0, 0, SgStatus.DRIVER_TIMEOUT));
        assertThat(e.isTimeout()).isTrue();
        assertThat(e.getMessage()).contains("DRIVER_TIMEOUT (0x06");
        TransportException withSuggest = failure(Cdbs.testUnitReady(), status(0, 0, SgStatus.DRIVER_TIMEOUT | 0x20));
        assertThat(withSuggest.isTimeout()).isTrue();
        assertThat(withSuggest.getMessage()).contains("DRIVER_TIMEOUT|SUGGEST_ABORT (0x26");
    }

    @Test
    void driverSenseAloneIsNotAnError() {
        ScsiResponse r = run(Cdbs.testUnitReady(), null, status(0, 0, SgStatus.DRIVER_SENSE));
        assertThat(r.good()).isTrue();
    }

    @Test
    void driverErrorUnderADeviceAnswerIsAResponse() {
        ScsiResponse r = run(Cdbs.testUnitReady(), null, c -> {
            c.senseMemory.write(0, Cdbs.senseNotReadyNoMedium(), 0, 18);
            status(ScsiResponse.CHECK_CONDITION, 0, SgStatus.DRIVER_SENSE | 0x10).accept(c);
            c.header.sb_len_wr = 18;
        });
        assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
    }

    @Test
    void ioctlFailures() {
        Cdb write = Cdbs.write6(65536);
        TransportException eintr = SgIoTransport.ioctlFailure(DEV, write, LibC.EINTR, "EINTR (4, Interrupted system call)", null);
        assertThat(eintr.isTimeout()).isFalse();
        assertThat(eintr.getMessage()).contains(DEV, "SG_IO for WRITE(6)", "EINTR (4", "may still be running", "is unknown");

        TransportException timedOut = SgIoTransport.ioctlFailure(DEV, write, LibC.ETIMEDOUT, "ETIMEDOUT (110)", null);
        assertThat(timedOut.isTimeout()).isTrue();

        TransportException nomem = SgIoTransport.ioctlFailure(DEV, write, LibC.ENOMEM, "ENOMEM (12)", null);
        assertThat(nomem.isTimeout()).isFalse();
        assertThat(nomem.getMessage()).contains("was not sent", "max_sectors");

        TransportException gone = SgIoTransport.ioctlFailure(DEV, write, LibC.ENODEV, "ENODEV (19)", null);
        assertThat(gone.getMessage()).contains("SgDevices", "is unknown");

        TransportException other = SgIoTransport.ioctlFailure(DEV, write, 121, "errno 121 (Remote I/O error)", null);
        assertThat(other.getMessage()).contains("errno 121", "is unknown");
    }

    @Test
    void namesOfCodes() {
        assertThat(SgStatus.hostName(0)).isEqualTo("DID_OK (0x00, no error)");
        assertThat(SgStatus.hostName(0x14)).startsWith("DID_TRANSPORT_MARGINAL (0x14");
        assertThat(SgStatus.driverName(0x08)).isEqualTo("DRIVER_SENSE (0x08, sense data is available)");
        assertThat(SgStatus.driverName(0x88)).startsWith("DRIVER_SENSE|SUGGEST_SENSE (0x88");
        assertThat(SgStatus.driverName(0x09)).contains("0x0009", "not a DRIVER_* value");
        assertThat(SgStatus.driverName(0x58)).contains("0x0058", "not a DRIVER_* value");
        assertThat(SgStatus.hostName(-1)).contains("not a DID_* value");
    }
}
