package dev.cairn.mgmt.audit;

/**
 * Tells the writer whether the host clock is synchronised (docs/formats/audit-log.md, section 7). The
 * writer calls it on every append, so implementations must answer quickly (cache). Tests inject a fixed
 * answer with {@link #fixed}.
 */
@FunctionalInterface
public interface ClockSyncProbe {
    ClockSync current();

    /** Always {@code state}. */
    static ClockSyncProbe fixed(ClockSync state) {
        return () -> state;
    }
}
