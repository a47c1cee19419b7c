package dev.cairn.mgmt.audit;

/** How an audited action ended (docs/formats/audit-log.md, section 3, member {@code outcome}). */
public enum Outcome {
    SUCCESS("success"),
    /** Refused before anything changed. */
    DENIED("denied"),
    /** Attempted and failed. */
    FAILURE("failure");

    private final String wire;

    Outcome(String wire) {
        this.wire = wire;
    }

    /** The value of the {@code outcome} member. */
    public String wire() {
        return wire;
    }

    /** The outcome named {@code s} ({@code success}, {@code denied}, {@code failure}). */
    public static Outcome fromWire(String s) {
        for (Outcome o : values()) {
            if (o.wire.equals(s)) {
                return o;
            }
        }
        throw new IllegalArgumentException("outcome must be success, denied or failure");
    }
}
