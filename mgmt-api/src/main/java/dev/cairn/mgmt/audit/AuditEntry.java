package dev.cairn.mgmt.audit;

import java.time.Instant;

/**
 * One entry of the log as stored (docs/formats/audit-log.md, section 3).
 *
 * @param seq       1, 2, 3... across segments
 * @param time      the writer's clock at the append, millisecond precision
 * @param clockSync the clock-sync state then
 * @param event     who did what to which IDs, and how it ended
 * @param prev      hex SHA-256 of the previous entry's line ({@link AuditCodec#GENESIS} for seq 1)
 */
public record AuditEntry(long seq, Instant time, ClockSync clockSync, AuditEvent event, String prev) {
}
