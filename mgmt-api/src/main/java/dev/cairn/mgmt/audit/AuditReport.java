package dev.cairn.mgmt.audit;

import java.util.List;

/**
 * What {@link AuditVerifier} found (docs/formats/audit-log.md, section 9). The log is {@link #clean()} when
 * there are no findings; notices (torn tails) do not make it unclean. Findings name segment files and
 * seqs, never field values.
 *
 * @param findings         evidence of tampering or damage, in the order found
 * @param notices          torn tails (crash leftovers, or a cut at the same place: indistinguishable)
 * @param entries          entry lines read
 * @param checkpoints      checkpoint lines read
 * @param lastSeq          the highest seq seen, 0 when none
 * @param lastSignedSeq    the highest seq closed by a checkpoint whose signature verified, 0 when none
 * @param unsigned         entries after {@code lastSignedSeq}: chained but not signed
 */
public record AuditReport(List<Finding> findings, List<Finding> notices, long entries, long checkpoints,
                          long lastSeq, long lastSignedSeq, long unsigned) {

    public AuditReport {
        findings = List.copyOf(findings);
        notices = List.copyOf(notices);
    }

    public boolean clean() {
        return findings.isEmpty();
    }

    /** The kinds of finding; {@link #wire()} is the name in JSON output and in the format document. */
    public enum Kind {
        EDITED("edited"), INSERTED("inserted"), REMOVED("removed"), REORDERED("reordered"), GAP("gap"),
        BAD_SIGNATURE("bad-signature"), TORN_TAIL("torn-tail"), UNKNOWN_VERSION("unknown-version");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /**
     * One finding.
     *
     * @param kind    what kind
     * @param seq     the seq it concerns (for a checkpoint, the seq it closes; for a range, its first seq)
     * @param segment the segment file name, or empty when it concerns the directory
     * @param line    the 1-based line in that segment, or 0
     * @param detail  one sentence for the operator
     */
    public record Finding(Kind kind, long seq, String segment, int line, String detail) {
    }
}
