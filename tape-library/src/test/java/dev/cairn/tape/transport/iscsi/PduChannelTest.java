package dev.cairn.tape.transport.iscsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PDU framing, digests and the parser's behaviour on hostile input; no network. */
class PduChannelTest {

    @Test
    void aPduRoundTripsWithPaddingAndDigests() throws IOException {
        for (boolean digests : new boolean[] {false, true}) {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            PduChannel out = new PduChannel(new ByteArrayInputStream(new byte[0]), wire);
            out.digests(digests, digests);
            byte[] data = {1, 2, 3, 4, 5};
            Pdu p = Pdu.of(Pdu.SCSI_COMMAND, false).flags(0x81).lun(3).itt(0x1234).data(data);
            out.write(p);
            out.flush();
            assertThat(wire.size()).isEqualTo(48 + 8 + (digests ? 8 : 0)); // data padded to 8
            PduChannel in = new PduChannel(new ByteArrayInputStream(wire.toByteArray()), new ByteArrayOutputStream());
            in.digests(digests, digests);
            Pdu back = in.readHeader(1024);
            assertThat(back.opcode()).isEqualTo(Pdu.SCSI_COMMAND);
            assertThat(back.itt()).isEqualTo(0x1234);
            assertThat(back.flags()).isEqualTo(0x81);
            assertThat(in.readData(back)).containsExactly(data);
        }
    }

    @Test
    void theDigestIsCrc32cLeastSignificantByteFirst() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        PduChannel out = new PduChannel(new ByteArrayInputStream(new byte[0]), wire);
        out.digests(true, false);
        out.write(Pdu.of(Pdu.NOP_OUT, true));
        out.flush();
        byte[] b = wire.toByteArray();
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b, 0, 48);
        long v = c.getValue();
        assertThat(b[48] & 0xff).isEqualTo((int) (v & 0xff));
        assertThat(b[51] & 0xff).isEqualTo((int) (v >>> 24));
    }

    @Test
    void aCorruptedByteFailsTheDigest() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        PduChannel out = new PduChannel(new ByteArrayInputStream(new byte[0]), wire);
        out.digests(true, true);
        out.write(Pdu.of(Pdu.DATA_IN, false).data(new byte[100]));
        out.flush();
        for (int at : new int[] {20, 60, 120}) {
            byte[] bad = wire.toByteArray();
            bad[at] ^= 0x10;
            PduChannel in = new PduChannel(new ByteArrayInputStream(bad), new ByteArrayOutputStream());
            in.digests(true, true);
            assertThatThrownBy(() -> in.readData(in.readHeader(1 << 20))).isInstanceOf(IscsiProtocolException.class)
                    .hasMessageContaining("digest mismatch");
        }
    }

    @Test
    void aDataSegmentLargerThanNegotiatedIsRefusedBeforeAllocation() {
        byte[] bhs = new byte[48];
        bhs[0] = Pdu.DATA_IN;
        bhs[5] = (byte) 0xff; // 16 MiB - 1
        bhs[6] = (byte) 0xff;
        bhs[7] = (byte) 0xff;
        PduChannel in = new PduChannel(new ByteArrayInputStream(bhs), new ByteArrayOutputStream());
        assertThatThrownBy(() -> in.readHeader(8192)).isInstanceOf(IscsiProtocolException.class).hasMessageContaining("8192");
    }

    @Test
    void randomStreamsOnlyEverFailAsProtocolErrorsOrEndOfStream() {
        Random r = new Random(7143);
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            if (junk.length > 7 && r.nextBoolean()) {
                junk[5] = 0; // often a plausible length
                junk[6] = 0;
            }
            PduChannel in = new PduChannel(new ByteArrayInputStream(junk), new ByteArrayOutputStream());
            in.digests(r.nextBoolean(), r.nextBoolean());
            try {
                Pdu p = in.readHeader(4096);
                in.readData(p);
                Pdu.decodeKeys(p.dataBytes());
            } catch (IscsiProtocolException | EOFException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (IOException e) {
                throw new AssertionError("unexpected " + e, e);
            }
        }
    }

    @Test
    void textKeysRoundTripAndDuplicatesAreRefused() {
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("InitiatorName", "iqn.2026-11.dev.cairn:x");
        keys.put("AuthMethod", "None");
        assertThat(Pdu.decodeKeys(Pdu.encodeKeys(keys))).isEqualTo(keys);
        assertThatThrownBy(() -> Pdu.decodeKeys("A=1\0A=2\0".getBytes())).isInstanceOf(IscsiProtocolException.class);
        assertThatThrownBy(() -> Pdu.decodeKeys("novalue\0".getBytes())).isInstanceOf(IscsiProtocolException.class);
    }

    @Test
    void negotiationTakesTheSmallerBurstsAndTheTargetsBooleans() {
        IscsiOptions o = IscsiOptions.defaults();
        IscsiSession.Negotiated n = IscsiSession.negotiate(Map.of("HeaderDigest", "CRC32C", "DataDigest", "None",
                "MaxRecvDataSegmentLength", "8192", "MaxBurstLength", "65536", "FirstBurstLength", "131072",
                "ImmediateData", "No", "InitialR2T", "Yes"), o);
        assertThat(n.headerDigest()).isTrue();
        assertThat(n.dataDigest()).isFalse();
        assertThat(n.targetMaxRecvDataSegmentLength()).isEqualTo(8192);
        assertThat(n.maxBurstLength()).isEqualTo(65536);
        assertThat(n.firstBurstLength()).isEqualTo(65536); // never above MaxBurstLength
        assertThat(n.immediateData()).isFalse();
        assertThat(n.initialR2T()).isTrue();
        IscsiSession.Negotiated defaults = IscsiSession.negotiate(Map.of(), o);
        assertThat(defaults.targetMaxRecvDataSegmentLength()).isEqualTo(8192); // RFC 7143 defaults
        assertThat(defaults.initialR2T()).isTrue();
        assertThatThrownBy(() -> IscsiSession.negotiate(Map.of("MaxBurstLength", "12"), o)).isInstanceOf(IscsiProtocolException.class);
        assertThatThrownBy(() -> IscsiSession.negotiate(Map.of("ImmediateData", "Maybe"), o)).isInstanceOf(IscsiProtocolException.class);
    }

    @Test
    void chapResponseMatchesRfc1994() {
        // MD5(0x01 || "secret" || 0x0102030405) computed independently (Python hashlib)
        assertThat(Chap.response(1, "secret", "0x0102030405")).isEqualTo("0xad554409dd428bd604dbd0241164a508");
        assertThatThrownBy(() -> Chap.response(1, "s", "12345")).isInstanceOf(IscsiProtocolException.class);
    }

    @Test
    void urlsParseAndBadOnesSayWhatIsExpected() {
        IscsiUrl u = IscsiUrl.parse("iscsi://127.0.0.1:3270/iqn.2026-11.dev.cairn:vtl-3270");
        assertThat(u.port()).isEqualTo(3270);
        assertThat(u.targetName()).isEqualTo("iqn.2026-11.dev.cairn:vtl-3270");
        assertThat(IscsiUrl.parse("iscsi://host/iqn.2026-11.x:y/3").lun()).isEqualTo(3);
        assertThat(IscsiUrl.parse("iscsi://host/iqn.2026-11.x:y").port()).isEqualTo(3260);
        assertThatThrownBy(() -> IscsiUrl.parse("http://x/iqn.a:b")).hasMessageContaining("iscsi://");
        assertThatThrownBy(() -> IscsiUrl.parse("iscsi://x/notaniqn")).hasMessageContaining("iqn.");
    }
}
