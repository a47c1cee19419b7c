package dev.cairn.tape.transport.sg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.tape.scsi.ScsiResponse;
import dev.cairn.tape.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SgIoTransport} end to end against {@link FakeSgDriver}: the header goes through native memory
 * and the fake follows its pointers as the sg driver would. No kernel is involved.
 */
class SgIoTransportTest {

    private final FakeSgDriver driver = new FakeSgDriver();

    private SgIoTransport open() {
        return SgIoTransport.open("/dev/sg3", driver);
    }

    @Test
    void opensReadWriteNonBlockingAndChecksTheVersion() {
        try (SgIoTransport t = open()) {
            assertThat(driver.openFlags).containsExactly(LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
            assertThat(t.driverVersion()).isEqualTo(30536);
            assertThat(t.describe()).isEqualTo("/dev/sg3");
        }
        assertThat(driver.closed).containsExactly(FakeSgDriver.FD);
    }

    @Test
    void noDataCommandRoundTrip() {
        try (SgIoTransport t = open()) {
            ScsiResponse r = t.execute(0, Cdbs.testUnitReady(), null, Duration.ofSeconds(20));
            assertThat(r.good()).isTrue();
            FakeSgDriver.Sent s = driver.sent.getFirst();
            assertThat(s.interfaceId()).isEqualTo('S');
            assertThat(s.direction()).isEqualTo(-1);
            assertThat(s.cdb()).isEqualTo(Cdbs.testUnitReady().bytes());
            assertThat(s.dxferLen()).isZero();
            assertThat(s.mxSbLen()).isEqualTo(252);
            assertThat(s.timeoutMs()).isEqualTo(20_000);
        }
    }

    @Test
    void dataInRoundTripWithResidual() {
        byte[] inquiry = new byte[36];
        inquiry[0] = 0x01; // sequential-access device
        System.arraycopy("IBM     ".getBytes(), 0, inquiry, 8, 8);
        driver.reply = (cdb, out) -> FakeSgDriver.Reply.good(inquiry);
        try (SgIoTransport t = open()) {
            ScsiResponse r = t.execute(0, Cdbs.inquiry(96), null, Duration.ofSeconds(5));
            assertThat(r.dataIn()).isEqualTo(inquiry);
            assertThat(r.residual()).isEqualTo(60);
            assertThat(driver.sent.getFirst().direction()).isEqualTo(-3);
            assertThat(driver.sent.getFirst().dxferLen()).isEqualTo(96);
        }
    }

    @Test
    void dataOutRoundTrip() {
        byte[] block = new byte[4096];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7);
        }
        try (SgIoTransport t = open()) {
            ScsiResponse r = t.execute(0, Cdbs.write6(block.length), block, Duration.ofMinutes(10));
            assertThat(r.good()).isTrue();
            assertThat(r.residual()).isZero();
            assertThat(driver.sent.getFirst().dataOut()).isEqualTo(block);
            assertThat(driver.sent.getFirst().direction()).isEqualTo(-2);
            assertThat(driver.sent.getFirst().timeoutMs()).isEqualTo(600_000);
        }
    }

    @Test
    void checkConditionComesBackWithSense() {
        byte[] sense = Cdbs.senseNotReadyNoMedium();
        driver.reply = (cdb, out) -> new FakeSgDriver.Reply(2, 0, SgStatus.DRIVER_SENSE, new byte[0], sense, 0);
        try (SgIoTransport t = open()) {
            ScsiResponse r = t.execute(0, Cdbs.testUnitReady(), null, Duration.ofSeconds(5));
            assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
            assertThat(r.sense()).isEqualTo(sense);
        }
    }

    @Test
    void hostErrorBecomesATransportException() {
        driver.reply = (cdb, out) -> new FakeSgDriver.Reply(0, SgStatus.DID_NO_CONNECT, 0, new byte[0], new byte[0], 0);
        try (SgIoTransport t = open()) {
            assertThatThrownBy(() -> t.execute(0, Cdbs.testUnitReady(), null, Duration.ofSeconds(5)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("/dev/sg3").hasMessageContaining("TEST UNIT READY")
                    .hasMessageContaining("DID_NO_CONNECT");
        }
    }

    @Test
    void ioctlErrnoBecomesATransportException() {
        driver.reply = (cdb, out) -> FakeSgDriver.Reply.errno(LibC.EIO);
        try (SgIoTransport t = open()) {
            assertThatThrownBy(() -> t.execute(0, Cdbs.read6(512), null, Duration.ofSeconds(5)))
                    .isInstanceOf(TransportException.class)
                    .hasMessageContaining("/dev/sg3: SG_IO for READ(6)")
                    .hasMessageContaining("EIO (5, fake strerror 5)")
                    .satisfies(e -> assertThat(((TransportException) e).isTimeout()).isFalse());
        }
        driver.reply = (cdb, out) -> FakeSgDriver.Reply.errno(LibC.ETIMEDOUT);
        try (SgIoTransport t = open()) {
            assertThatThrownBy(() -> t.execute(0, Cdbs.read6(512), null, Duration.ofSeconds(5)))
                    .isInstanceOf(TransportException.class)
                    .satisfies(e -> assertThat(((TransportException) e).isTimeout()).isTrue());
        }
    }

    @Test
    void lunOtherThanZeroIsRefused() {
        try (SgIoTransport t = open()) {
            assertThatThrownBy(() -> t.execute(1, Cdbs.testUnitReady(), null, Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("/dev/sg3").hasMessageContaining("lun must be 0, not 1");
            assertThatThrownBy(() -> t.execute(-1, Cdbs.testUnitReady(), null, Duration.ofSeconds(5)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(driver.sent).isEmpty();
    }

    @Test
    void closesOnceAndRefusesCommandsAfterwards() {
        SgIoTransport t = open();
        t.close();
        t.close();
        assertThat(driver.closed).containsExactly(FakeSgDriver.FD);
        assertThatThrownBy(() -> t.execute(0, Cdbs.testUnitReady(), null, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("/dev/sg3 is closed");
        assertThat(driver.sent).isEmpty();
    }

    @Test
    void commandsAreSerialised() throws Exception {
        driver.sgIoDelayMillis = 5;
        try (SgIoTransport t = open(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<ScsiResponse>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(pool.submit(() -> t.execute(0, Cdbs.testUnitReady(), null, Duration.ofSeconds(5))));
            }
            for (Future<ScsiResponse> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS).good()).isTrue();
            }
        }
        assertThat(driver.sent).hasSize(20);
        assertThat(driver.maxInFlight).as("at most one SG_IO at a time").isEqualTo(1);
    }

    @Test
    void closeWaitsForTheCommandInFlight() throws Exception {
        driver.sgIoDelayMillis = 300;
        SgIoTransport t = open();
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<ScsiResponse> running = pool.submit(() -> t.execute(0, Cdbs.testUnitReady(), null, Duration.ofSeconds(5)));
            while (driver.inFlight.get() == 0 && !running.isDone()) {
                Thread.onSpinWait();
            }
            t.close();
            assertThat(driver.events).as("close waited for the ioctl").containsExactly("sg_io start", "sg_io end", "close");
            assertThat(running.get().good()).isTrue();
        }
        assertThat(driver.closed).containsExactly(FakeSgDriver.FD);
    }

    @Test
    void openFailureNamesTheErrnoAndWhatToDo() {
        driver.openErrno = LibC.ENOENT;
        assertThatThrownBy(() -> SgIoTransport.open("/dev/sg9", driver))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("cannot open /dev/sg9: ENOENT (2, fake strerror 2)")
                .hasMessageContaining("modprobe sg");
        driver.openErrno = LibC.EACCES;
        assertThatThrownBy(() -> SgIoTransport.open("/dev/sg9", driver))
                .hasMessageContaining("EACCES").hasMessageContaining("read-write access");
    }

    @Test
    void aNodeThatIsNotAnSgDeviceIsClosedAndRefused() {
        driver.versionErrno = LibC.ENOTTY;
        assertThatThrownBy(() -> SgIoTransport.open("/dev/nst0", driver))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("/dev/nst0 is not a SCSI generic (sg) device")
                .hasMessageContaining("ENOTTY");
        assertThat(driver.closed).containsExactly(FakeSgDriver.FD);
    }

    @Test
    void anOldDriverIsClosedAndRefused() {
        driver.version = 20134;
        assertThatThrownBy(() -> SgIoTransport.open("/dev/sg0", driver))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("sg driver version 20134 is older than 3.0");
        assertThat(driver.closed).containsExactly(FakeSgDriver.FD);
    }
}
