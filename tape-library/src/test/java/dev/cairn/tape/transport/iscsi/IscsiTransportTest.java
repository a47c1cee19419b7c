package dev.cairn.tape.transport.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;
import dev.cairn.tape.scsi.ScsiResponse;
import dev.cairn.tape.testing.EmulatedLibraryExtension;
import dev.cairn.tape.transport.TransportException;
import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pure-Java initiator against a live tgtd: login, CHAP, digests, data in and out across PDU and
 * burst boundaries, NOP, task management, timeouts and reconnection. CDBs here are raw bytes on purpose:
 * this tests the transport, not the SCSI vocabulary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IscsiTransportTest {
    @RegisterExtension
    static final EmulatedLibraryExtension VTL = new EmulatedLibraryExtension();
    static final Duration T = Duration.ofSeconds(20);

    static Cdb cdb(String name, String hex, Direction d, int in) {
        return new Cdb(name, HexFormat.of().parseHex(hex), d, in);
    }

    static final Cdb INQUIRY = cdb("INQUIRY", "120000006000", Direction.IN, 96);
    static final Cdb TEST_UNIT_READY = cdb("TEST UNIT READY", "000000000000", Direction.NONE, 0);
    static final Cdb REWIND = cdb("REWIND", "010000000000", Direction.NONE, 0);

    @Test
    @Order(1)
    void logsInAndSeesTheDrivesAndTheChanger() {
        try (IscsiTransport t = IscsiTransport.connect(VTL.url())) {
            int[] types = new int[4];
            for (int lun = 0; lun <= 3; lun++) {
                ScsiResponse r = t.execute(lun, INQUIRY, null, T);
                assertThat(r.good()).isTrue();
                types[lun] = r.dataIn()[0] & 0x1f;
            }
            assertThat(types).containsExactly(0x0c, 0x01, 0x01, 0x08);
            ScsiResponse changer = t.execute(3, INQUIRY, null, T);
            assertThat(new String(changer.dataIn(), 16, 16, StandardCharsets.US_ASCII).strip()).isEqualTo("VIRTUAL-CHANGER");
            assertThat(t.logins()).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void anEmptyDriveAnswersCheckConditionWithSenseNotAnException() {
        try (IscsiTransport t = IscsiTransport.connect(VTL.url())) {
            ScsiResponse first = t.execute(1, TEST_UNIT_READY, null, T);
            assertThat(first.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
            assertThat(first.sense()[2] & 0x0f).isEqualTo(0x06); // UNIT ATTENTION: the first command of a new nexus
            ScsiResponse r = t.execute(1, TEST_UNIT_READY, null, T);
            assertThat(r.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
            byte[] sense = r.sense();
            assertThat(sense[2] & 0x0f).isEqualTo(0x02); // NOT READY
            assertThat(sense[12] & 0xff).isEqualTo(0x3a); // MEDIUM NOT PRESENT
        }
    }

    @Test
    @Order(3)
    void writesAndReadsBackAcrossPduAndBurstBoundariesWithDigests() {
        IscsiOptions digests = IscsiOptions.defaults().withDigests(true, true, true);
        try (IscsiTransport t = new IscsiTransport(IscsiUrl.parse(VTL.url()), digests)) {
            clearUnitAttention(t, 3);
            clearUnitAttention(t, 2);
            // slot 1001 -> drive 257 (LUN 2)
            assertThat(t.execute(3, cdb("MOVE MEDIUM", "a500000103e9010100000000", Direction.NONE, 0), null, T).good()).isTrue();
            assertThat(t.negotiated()).contains("headerDigest=true").contains("dataDigest=true");
            Random rnd = new Random(42);
            int[] sizes = {1, 4095, 65536, 262_143, 262_144, 262_145, 700_001, 1_048_576};
            byte[][] blocks = new byte[sizes.length][];
            assertThat(t.execute(2, REWIND, null, T).good()).isTrue();
            for (int i = 0; i < sizes.length; i++) {
                blocks[i] = new byte[sizes[i]];
                rnd.nextBytes(blocks[i]);
                ScsiResponse w = t.execute(2, write6(sizes[i]), blocks[i], T);
                assertThat(w.good()).as("write of " + sizes[i]).isTrue();
            }
            assertThat(t.execute(2, REWIND, null, T).good()).isTrue();
            for (int i = 0; i < sizes.length; i++) {
                ScsiResponse r = t.execute(2, read6(sizes[i]), null, T);
                assertThat(r.good()).as("read of " + sizes[i]).isTrue();
                assertThat(r.dataIn()).as("block " + i + " of " + sizes[i] + " bytes").isEqualTo(blocks[i]);
            }
            // a read larger than the block: CHECK CONDITION with ILI; the sense Information field says how much
            // shorter the block was. (tgt gets the transfer length and residual backwards here: it sends 8191
            // bytes and a residual of 1; the device layer trusts the sense data, as st.c does.)
            assertThat(t.execute(2, REWIND, null, T).good()).isTrue();
            ScsiResponse big = t.execute(2, read6(8192), null, T);
            assertThat(big.status()).isEqualTo(ScsiResponse.CHECK_CONDITION);
            byte[] sense = big.sense();
            assertThat(sense[2] & 0x20).isEqualTo(0x20); // ILI
            int information = ((sense[3] & 0xff) << 24) | ((sense[4] & 0xff) << 16) | ((sense[5] & 0xff) << 8) | (sense[6] & 0xff);
            assertThat(8192 - information).isEqualTo(1);
            assertThat(big.dataIn()[0]).isEqualTo(blocks[0][0]);
            ScsiResponse back = t.execute(3, cdb("MOVE MEDIUM", "a5000001010103e900000000", Direction.NONE, 0), null, T);
            assertThat(back.good()).as(HexFormat.of().formatHex(back.sense())).isTrue();
        }
    }

    @Test
    @Order(4)
    void chapLogsInWithTheRightSecretOnly() {
        String chapUrl = VTL.library().addChapTarget("cairn-user", "chap-secret-1234");
        try (IscsiTransport t = new IscsiTransport(IscsiUrl.parse(chapUrl),
                IscsiOptions.defaults().withChap("cairn-user", "chap-secret-1234"))) {
            ScsiResponse r = t.execute(0, INQUIRY, null, T);
            assertThat(r.good()).isTrue();
        }
        try (IscsiTransport t = new IscsiTransport(IscsiUrl.parse(chapUrl),
                IscsiOptions.defaults().withChap("cairn-user", "wrong-secret-999"))) {
            assertThatThrownBy(() -> t.execute(0, INQUIRY, null, T)).isInstanceOf(TransportException.class)
                    .hasMessageContaining("authentication failed").satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-secret"));
        }
        try (IscsiTransport t = IscsiTransport.connect(chapUrl)) {
            assertThatThrownBy(() -> t.execute(0, INQUIRY, null, T)).isInstanceOf(TransportException.class)
                    .hasMessageContaining("cannot log in");
        }
    }

    @Test
    @Order(5)
    void nopPingAndTaskManagement() {
        try (IscsiTransport t = IscsiTransport.connect(VTL.url())) {
            t.ping(T);
            assertThat(t.resetLun(1, T)).isZero(); // function complete
            assertThat(t.abortTask(1, 0x7777, T)).isIn(0, 1); // complete, or "task does not exist"
            assertThat(t.execute(0, INQUIRY, null, T).good()).isTrue();
            t.logout(T);
            assertThat(t.execute(0, INQUIRY, null, T).good()).isTrue(); // logs in again
            assertThat(t.logins()).isEqualTo(2);
        }
    }

    @Test
    @Order(5)
    void anIdleConnectionIsKeptAliveWithNopPings() throws InterruptedException {
        IscsiOptions quick = IscsiOptions.defaults().withKeepalive(Duration.ofMillis(200));
        try (IscsiTransport t = new IscsiTransport(IscsiUrl.parse(VTL.url()), quick)) {
            assertThat(t.execute(0, INQUIRY, null, T).good()).isTrue();
            for (int i = 0; i < 200 && t.keepalivePings() < 2; i++) {
                Thread.sleep(100);
            }
            assertThat(t.keepalivePings()).isGreaterThanOrEqualTo(2);
            assertThat(t.execute(0, INQUIRY, null, T).good()).isTrue();
            assertThat(t.logins()).isEqualTo(1); // the same session all along
        }
    }

    @Test
    @Order(6)
    void aTargetThatNeverAnswersTimesOutInsteadOfHanging() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes();
                } catch (Exception ignored) {
                    // the client gave up
                }
            });
            IscsiOptions quick = IscsiOptions.defaults().withConnectTimeout(Duration.ofSeconds(2));
            try (IscsiTransport t = new IscsiTransport(IscsiUrl.parse("iscsi://127.0.0.1:" + silent.getLocalPort()
                    + "/iqn.2026-11.dev.cairn:silent"), quick)) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> t.execute(0, INQUIRY, null, T)).isInstanceOf(TransportException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
            }
            acceptor.join(5000);
        }
    }

    @Test
    @Order(7)
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aStoppedDaemonTimesTheCommandOutAndAKilledOneFailsItAndTheNextCallReconnects() throws Exception {
        VirtualTapeLibrary lib = VTL.library();
        try (IscsiTransport t = IscsiTransport.connect(lib.url())) {
            assertThat(t.execute(0, INQUIRY, null, T).good()).isTrue();
            // SIGSTOP: the daemon holds the connection but answers nothing
            new ProcessBuilder("kill", "-STOP", Long.toString(lib.pid())).start().waitFor();
            try {
                assertThatThrownBy(() -> t.execute(0, INQUIRY, null, Duration.ofSeconds(2)))
                        .isInstanceOf(TransportException.class)
                        .satisfies(e -> assertThat(((TransportException) e).isTimeout()).isTrue())
                        .hasMessageContaining("did not complete within 2 s");
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(lib.pid())).start().waitFor();
            }
            assertThat(t.execute(0, INQUIRY, null, T).good()).isTrue(); // reconnected
            assertThat(t.logins()).isEqualTo(2);

            // kill -9 in the middle of writing: the write fails with a clear error, never hangs
            clearUnitAttention(t, 3);
            clearUnitAttention(t, 1);
            assertThat(t.execute(3, cdb("MOVE MEDIUM", "a500000103e8010000000000", Direction.NONE, 0), null, T).good()).isTrue();
            byte[] block = new byte[262_144];
            Thread killer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                    lib.kill();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            TransportException failure = null;
            for (int i = 0; i < 100_000 && failure == null; i++) {
                try {
                    t.execute(1, write6(block.length), block, Duration.ofSeconds(10));
                } catch (TransportException e) {
                    failure = e;
                }
            }
            killer.join();
            assertThat(failure).isNotNull();
            assertThat(failure.getMessage()).contains("WRITE(6)").contains("outcome on the device is unknown");
            assertThatThrownBy(() -> t.execute(0, INQUIRY, null, T)).isInstanceOf(TransportException.class)
                    .hasMessageContaining("cannot log in");
            lib.restart();
            assertThat(t.execute(0, INQUIRY, null, T).good()).isTrue();
        }
    }

    /** A new I_T nexus starts with a UNIT ATTENTION on every LUN; the device layer retries it, these raw tests clear it. */
    static void clearUnitAttention(IscsiTransport t, int lun) {
        for (int i = 0; i < 3; i++) {
            ScsiResponse r = t.execute(lun, TEST_UNIT_READY, null, T);
            if (r.status() != ScsiResponse.CHECK_CONDITION || (r.sense()[2] & 0x0f) != 0x06) {
                return;
            }
        }
    }

    static Cdb write6(int length) {
        return new Cdb("WRITE(6)", new byte[] {0x0a, 0, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, 0},
                Direction.OUT, 0);
    }

    static Cdb read6(int length) {
        return new Cdb("READ(6)", new byte[] {0x08, 0, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, 0},
                Direction.IN, length);
    }
}
