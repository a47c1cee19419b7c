package dev.cairn.mgmt.access;

import java.util.Objects;

/**
 * A request, approval, decision or execution that the access services refuse (docs/access.md). The {@link #kind()}
 * is what the server maps to an HTTP status; the message says what is wrong and what to do, and never contains a
 * reason text, a credential or a signed record.
 */
public final class ApprovalRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why it was refused. */
    public enum Kind {
        /** The approver (or decider) is the requester: someone else must decide. */
        SELF_APPROVAL,
        /** This approver already approved this request. */
        DUPLICATE_APPROVER,
        /** The request (or the signed record's window) expired. */
        EXPIRED,
        /** The request is no longer pending (already approved, denied, cancelled or executed). */
        NOT_PENDING,
        /** The approver's last MFA is missing or older than the policy allows: step up and retry. */
        MFA_NOT_FRESH,
        /** No request with this id. */
        NOT_FOUND,
        /** Only the requester may do this. */
        NOT_REQUESTER,
        /** An argument breaks an input rule (identity, action, target, reason). */
        INVALID
    }

    private final Kind kind;

    /** A refusal of the given kind with a message that says what to do. */
    public ApprovalRefusedException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Why it was refused. */
    public Kind kind() {
        return kind;
    }
}
