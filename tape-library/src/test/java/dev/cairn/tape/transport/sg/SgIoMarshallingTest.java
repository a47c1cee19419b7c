package dev.cairn.tape.transport.sg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.Direction;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link SgIoTransport#prepare} and {@link SgIoTransport#timeoutMillis}: the request side, no device. */
class SgIoMarshallingTest {

    @Test
    void noDataCommand() {
        Cdb tur = Cdbs.testUnitReady();
        try (SgCommand c = SgIoTransport.prepare(tur, null, 30_000)) {
            SgIoHeader h = c.header;
            assertThat(h.interface_id).isEqualTo('S');
            assertThat(h.dxfer_direction).isEqualTo(SgIoTransport.SG_DXFER_NONE).isEqualTo(-1);
            assertThat(h.dxferLen()).isZero();
            assertThat(h.dxferp).isNull();
            assertThat(h.cmdLen()).isEqualTo(6);
            assertThat(h.mxSbLen()).isEqualTo(252);
            assertThat(h.timeoutMillis()).isEqualTo(30_000);
            assertThat(h.flags).isZero();
            assertThat(h.iovec_count).isZero();
            assertThat(h.cmdp.getByteArray(0, 6)).isEqualTo(tur.bytes());
            assertThat(h.sbp.getByteArray(0, 252)).containsOnly(0);
            assertThat(c.direction).isEqualTo(Direction.NONE);
        }
    }

    @Test
    void dataInCommand() {
        Cdb inquiry = Cdbs.inquiry(96);
        try (SgCommand c = SgIoTransport.prepare(inquiry, null, 5_000)) {
            SgIoHeader h = c.header;
            assertThat(h.dxfer_direction).isEqualTo(SgIoTransport.SG_DXFER_FROM_DEV).isEqualTo(-3);
            assertThat(h.dxferLen()).isEqualTo(96);
            assertThat(h.dxferp).isNotNull().isEqualTo(c.dataMemory);
            assertThat(c.dataMemory.size()).isEqualTo(96);
            assertThat(h.dxferp.getByteArray(0, 96)).as("zeroed, never stale heap").containsOnly(0);
            assertThat(h.cmdLen()).isEqualTo(6);
            assertThat(h.mxSbLen()).isEqualTo(252);
            assertThat(h.timeoutMillis()).isEqualTo(5_000);
        }
    }

    @Test
    void dataOutCommand() {
        byte[] block = new byte[1024];
        Arrays.fill(block, (byte) 0x5a);
        block[0] = 1;
        block[1023] = 2;
        try (SgCommand c = SgIoTransport.prepare(Cdbs.write6(block.length), block, 600_000)) {
            SgIoHeader h = c.header;
            assertThat(h.dxfer_direction).isEqualTo(SgIoTransport.SG_DXFER_TO_DEV).isEqualTo(-2);
            assertThat(h.dxferLen()).isEqualTo(1024);
            assertThat(h.dxferp.getByteArray(0, 1024)).isEqualTo(block);
            assertThat(h.cmdLen()).isEqualTo(6);
            assertThat(h.mxSbLen()).isEqualTo(252);
            assertThat(h.timeoutMillis()).isEqualTo(600_000);
        }
        assertThat(block[0]).as("the caller's array is copied, not kept").isEqualTo((byte) 1);
    }

    @Test
    void sixteenAndTwelveByteCdbs() {
        Cdb locate = Cdbs.locate16(0x0102_0304_0506_0708L);
        try (SgCommand c = SgIoTransport.prepare(locate, null, 1)) {
            assertThat(c.header.cmdLen()).isEqualTo(16);
            assertThat(c.header.cmdp.getByteArray(0, 16)).isEqualTo(locate.bytes());
            assertThat(c.header.dxfer_direction).isEqualTo(-1);
        }
        try (SgCommand c = SgIoTransport.prepare(Cdbs.readElementStatus(0x01_0000), null, 1)) {
            assertThat(c.header.cmdLen()).isEqualTo(12);
            assertThat(c.header.dxferLen()).isEqualTo(0x01_0000);
            assertThat(c.header.dxfer_direction).isEqualTo(-3);
        }
    }

    @Test
    void theHeaderReachesNativeMemoryAtTheCOffsets() {
        try (SgCommand c = SgIoTransport.prepare(Cdbs.inquiry(96), null, 7_000)) {
            c.header.write();
            var m = c.header.getPointer();
            assertThat(m.getInt(0)).isEqualTo('S');
            assertThat(m.getInt(4)).isEqualTo(-3);
            assertThat(m.getByte(8)).isEqualTo((byte) 6);
            assertThat(m.getByte(9) & 0xff).isEqualTo(252);
            assertThat(m.getInt(12)).isEqualTo(96);
            assertThat(m.getPointer(16)).isEqualTo(c.dataMemory);
            assertThat(m.getPointer(24)).isEqualTo(c.cdbMemory);
            assertThat(m.getPointer(32)).isEqualTo(c.senseMemory);
            assertThat(m.getInt(40)).isEqualTo(7_000);
        }
    }

    @Test
    void commandsThatMoveNoBytesAreSentAsNone() {
        try (SgCommand c = SgIoTransport.prepare(Cdbs.inquiry(0), null, 10)) {
            assertThat(c.header.dxfer_direction).isEqualTo(SgIoTransport.SG_DXFER_NONE);
            assertThat(c.header.dxferp).isNull();
            assertThat(c.direction).isEqualTo(Direction.NONE);
        }
        try (SgCommand c = SgIoTransport.prepare(Cdbs.write6(0), new byte[0], 10)) {
            assertThat(c.header.dxfer_direction).isEqualTo(SgIoTransport.SG_DXFER_NONE);
            assertThat(c.header.dxferLen()).isZero();
            assertThat(c.header.dxferp).isNull();
        }
    }

    @Test
    void dataOutMustMatchTheDirection() {
        assertThatThrownBy(() -> SgIoTransport.prepare(Cdbs.write6(512), null, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WRITE(6)").hasMessageContaining("dataOut");
        assertThatThrownBy(() -> SgIoTransport.prepare(Cdbs.testUnitReady(), new byte[1], 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TEST UNIT READY").hasMessageContaining("null");
        assertThatThrownBy(() -> SgIoTransport.prepare(Cdbs.inquiry(36), new byte[0], 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("INQUIRY");
        assertThatThrownBy(() -> SgIoTransport.prepare(Cdbs.testUnitReady(), null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 ms");
    }

    @Test
    void timeoutConversion() {
        assertThat(SgIoTransport.timeoutMillis(Duration.ofSeconds(30))).isEqualTo(30_000);
        assertThat(SgIoTransport.timeoutMillis(Duration.ofHours(4))).isEqualTo(14_400_000);
        assertThat(SgIoTransport.timeoutMillis(Duration.ZERO)).as("0 would mean the driver default").isEqualTo(1);
        assertThat(SgIoTransport.timeoutMillis(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(SgIoTransport.timeoutMillis(Duration.ofNanos(1_500_000))).as("rounded up").isEqualTo(2);
        assertThat(SgIoTransport.timeoutMillis(Duration.ofMillis(Integer.MAX_VALUE - 1L))).isEqualTo(Integer.MAX_VALUE - 1);
        assertThat(SgIoTransport.timeoutMillis(Duration.ofMillis(Integer.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
        assertThat(SgIoTransport.timeoutMillis(Duration.ofDays(365))).isEqualTo(Integer.MAX_VALUE);
        assertThat(SgIoTransport.timeoutMillis(Duration.ofSeconds(Long.MAX_VALUE))).as("no overflow").isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> SgIoTransport.timeoutMillis(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void closingFreesTheBuffersOnce() {
        SgCommand c = SgIoTransport.prepare(Cdbs.inquiry(96), null, 10);
        c.close();
        c.close();
        assertThat(c.dataMemory.valid()).isFalse();
        assertThat(c.senseMemory.valid()).isFalse();
        assertThat(c.cdbMemory.valid()).isFalse();
    }
}
