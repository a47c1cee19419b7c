package dev.cairn.tape.transport.iscsi;

import java.time.Duration;

/**
 * How the initiator logs in and what it offers in operational negotiation (RFC 7143 section 13).
 * Defaults ({@link #defaults()}) suit tape: large bursts, immediate data, a CRC32C header digest offered
 * but not required, and no data digest: what Cairn writes to tape is already authenticated end to end
 * (AES-GCM in the tape format) and verified by reading back, and a data digest on every byte cost tgt
 * more than half its throughput in measurements (docs/tape.md). The CHAP secret never appears in
 * {@link #toString()}.
 *
 * @param initiatorName          this initiator's iSCSI name
 * @param chapUser               CHAP user name, or null for no authentication
 * @param chapSecret             CHAP secret (12 to 16 bytes recommended by RFC 7143), or null
 * @param headerDigest           offer CRC32C header digests (the target decides)
 * @param dataDigest             offer CRC32C data digests (the target decides)
 * @param requireDigests         refuse a target that does not accept the offered digests
 * @param maxRecvDataSegmentLength the largest data segment this initiator accepts (declared)
 * @param maxBurstLength         offered MaxBurstLength
 * @param firstBurstLength       offered FirstBurstLength
 * @param connectTimeout         TCP connect plus login
 * @param keepaliveInterval      NOP-Out ping after this much idle time; zero for none
 */
public record IscsiOptions(String initiatorName, String chapUser, String chapSecret, boolean headerDigest,
                           boolean dataDigest, boolean requireDigests, int maxRecvDataSegmentLength,
                           int maxBurstLength, int firstBurstLength, Duration connectTimeout,
                           Duration keepaliveInterval) {

    public IscsiOptions {
        if (maxRecvDataSegmentLength < 512 || maxRecvDataSegmentLength > 0xffffff) {
            throw new IllegalArgumentException("MaxRecvDataSegmentLength is 512 to 16777215");
        }
        if (firstBurstLength < 512 || maxBurstLength < firstBurstLength || maxBurstLength > 0xffffff) {
            throw new IllegalArgumentException("need 512 <= FirstBurstLength <= MaxBurstLength <= 16777215");
        }
        if ((chapUser == null) != (chapSecret == null)) {
            throw new IllegalArgumentException("CHAP needs both a user and a secret");
        }
    }

    public static IscsiOptions defaults() {
        return new IscsiOptions("iqn.2026-11.dev.cairn:initiator", null, null, true, false, false,
                262_144, 1_048_576, 262_144, Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    public IscsiOptions withChap(String user, String secret) {
        return new IscsiOptions(initiatorName, user, secret, headerDigest, dataDigest, requireDigests,
                maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, connectTimeout, keepaliveInterval);
    }

    public IscsiOptions withDigests(boolean header, boolean data, boolean require) {
        return new IscsiOptions(initiatorName, chapUser, chapSecret, header, data, require,
                maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, connectTimeout, keepaliveInterval);
    }

    public IscsiOptions withKeepalive(Duration interval) {
        return new IscsiOptions(initiatorName, chapUser, chapSecret, headerDigest, dataDigest, requireDigests,
                maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, connectTimeout, interval);
    }

    public IscsiOptions withConnectTimeout(Duration timeout) {
        return new IscsiOptions(initiatorName, chapUser, chapSecret, headerDigest, dataDigest, requireDigests,
                maxRecvDataSegmentLength, maxBurstLength, firstBurstLength, timeout, keepaliveInterval);
    }

    @Override
    public String toString() {
        return "IscsiOptions[initiator=" + initiatorName + ", chap=" + (chapUser != null ? chapUser + "/***" : "none")
                + ", headerDigest=" + headerDigest + ", dataDigest=" + dataDigest + ", maxRecv=" + maxRecvDataSegmentLength
                + ", maxBurst=" + maxBurstLength + ", firstBurst=" + firstBurstLength + "]";
    }
}
