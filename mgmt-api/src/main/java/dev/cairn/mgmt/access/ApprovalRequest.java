package dev.cairn.mgmt.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One multi-party approval request (requirement APR-1) as {@link Approvals} reports it: the status is as of the
 * moment it was read (a pending request past {@code expiresAt} shows {@link Status#EXPIRED}). Stored form:
 * docs/formats/access-state.md, "approvals.json". {@link #toString()} leaves out the reasons and the signed record.
 *
 * @param id             lowercase random UUID
 * @param action         a {@code dev.cairn.hsm.approval.ApprovalActions} string
 * @param target         the target, per docs/formats/approval-record.md, "Targets"
 * @param requester      who asked
 * @param reason         why (printable ASCII, 1..200)
 * @param createdAt      when it was asked
 * @param expiresAt      when a still-pending request expires ({@code createdAt + requestExpiry})
 * @param status         the status now
 * @param approvals      the approvals collected, in order
 * @param signedRecord   the signed approval text (docs/formats/approval-record.md, "Signed text") once
 *                       {@link Status#APPROVED}; kept after execution; empty before
 * @param decidedBy      who denied or cancelled it; null otherwise
 * @param decisionReason the denial reason; null otherwise
 */
public record ApprovalRequest(String id, String action, String target, String requester, String reason,
        Instant createdAt, Instant expiresAt, Status status, List<Approval> approvals, Optional<String> signedRecord,
        String decidedBy, String decisionReason) {

    /** Where a request stands. */
    public enum Status {
        /** Waiting for approvals. */
        PENDING,
        /** Enough approvals: the signed record is ready for {@link Approvals#takeForExecution} (once). */
        APPROVED,
        /** Someone other than the requester refused it. */
        DENIED,
        /** The requester withdrew it. */
        CANCELLED,
        /** Not decided in time, or approved but not executed within the record's window. */
        EXPIRED,
        /** The signed record was handed out for execution; it cannot be handed out again. */
        EXECUTED
    }

    /**
     * One approval.
     *
     * @param approver who approved
     * @param at       when
     * @param mfaAt    the approver's last MFA at that time
     */
    public record Approval(String approver, Instant at, Instant mfaAt) {
        /** Null checks. */
        public Approval {
            Objects.requireNonNull(approver, "approver");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(mfaAt, "mfaAt");
        }
    }

    /** Null checks and defensive copies. */
    public ApprovalRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        approvals = List.copyOf(approvals);
        Objects.requireNonNull(signedRecord, "signedRecord");
    }

    ApprovalRequest withStatus(Status s) {
        return new ApprovalRequest(id, action, target, requester, reason, createdAt, expiresAt, s, approvals,
                signedRecord, decidedBy, decisionReason);
    }

    @Override
    public String toString() {
        return "ApprovalRequest[id=" + id + ", action=" + action + ", target=" + target + ", requester=" + requester
                + ", status=" + status + ", approvals=" + approvals.size() + ", createdAt=" + createdAt
                + ", expiresAt=" + expiresAt + (decidedBy == null ? "" : ", decidedBy=" + decidedBy) + "]";
    }
}
