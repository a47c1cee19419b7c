package dev.cairn.mgmt.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed checkpoint (docs/formats/audit-log.md, section 6): it closes the entry {@code seq}, whose line
 * hashes to {@code hash}; the chain makes it cover every entry before.
 *
 * @param seq            the entry it closes
 * @param hash           hex SHA-256 of that entry's line
 * @param prevCheckpoint the {@code seq} of the log's previous checkpoint, 0 for the first
 * @param time           when it was written
 * @param key            the token label of the signing key
 * @param signature      DER ECDSA signature over {@link #signedBytes()}
 */
public record Checkpoint(long seq, String hash, long prevCheckpoint, Instant time, String key, byte[] signature) {

    /** The bytes the signature covers (section 6), ASCII. */
    public byte[] signedBytes() {
        return signedBytes(seq, hash, prevCheckpoint, time);
    }

    static byte[] signedBytes(long seq, String hash, long prevCheckpoint, Instant time) {
        return ("cairn-audit-checkpoint v1\n"
                + "seq=" + seq + "\n"
                + "hash=" + hash + "\n"
                + "prev-checkpoint=" + prevCheckpoint + "\n"
                + "time=" + AuditCodec.formatTime(time) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
