package dev.cairn.mgmt.audit;

/** Whether the host clock was disciplined when an entry was written (docs/formats/audit-log.md, section 7). */
public enum ClockSync {
    SYNCHRONIZED("synchronized"),
    UNSYNCHRONIZED("unsynchronized"),
    /** Neither chrony nor timedatectl answered: unknown is a state, never a guess. */
    UNKNOWN("unknown");

    private final String wire;

    ClockSync(String wire) {
        this.wire = wire;
    }

    /** The value of the {@code clockSync} member. */
    public String wire() {
        return wire;
    }

    static ClockSync fromWire(String s) {
        for (ClockSync c : values()) {
            if (c.wire.equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("clockSync must be synchronized, unsynchronized or unknown");
    }
}
