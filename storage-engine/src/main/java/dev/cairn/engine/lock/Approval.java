package dev.cairn.engine.lock;

import dev.cairn.hsm.approval.Authorization;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.hsm.approval.SignedApprovalAuthorization;
import java.security.PublicKey;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An approval offered for a lock change: the {@link Authorization} the engine asks (the key plane's
 * interface, docs/formats/approval-record.md) and the reference it writes into the lock's history
 * when the approval is used.
 *
 * @param reference     what identifies the approval in the lock history and the audit log; for a signed
 *                      approval record its id ({@link #signed})
 * @param authorization asked with {@code authorize(action, "snapshot:<id>", now)} for every approval
 *                      action the change needs
 */
public record Approval(String reference, Authorization authorization) {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9:._@-]{1,128}");

    public Approval {
        requireReference(reference);
        Objects.requireNonNull(authorization, "authorization");
    }

    /**
     * A signed approval record checked by {@link SignedApprovalAuthorization}; the reference is the
     * record's id.
     *
     * @param authority         the approval authority's EC P-256 public key
     * @param requiredApprovers distinct approvers other than the requester needed (the policy is 2)
     */
    public static Approval signed(SignedApproval approval, PublicKey authority, int requiredApprovers) {
        return new Approval(approval.record().id(), new SignedApprovalAuthorization(approval, authority, requiredApprovers));
    }

    static String requireReference(String reference) {
        Objects.requireNonNull(reference, "reference");
        if (!REFERENCE.matcher(reference).matches()) {
            throw new IllegalArgumentException("an approval reference is 1 to 128 characters of [A-Za-z0-9:._@-]");
        }
        return reference;
    }
}
