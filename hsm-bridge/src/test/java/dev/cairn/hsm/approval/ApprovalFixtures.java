package dev.cairn.hsm.approval;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;

/** Shared test values: real P-256 keys and a valid two-approver record. */
final class ApprovalFixtures {
    static final String ID = "6f1c2e1a-0b7d-4c39-9a4e-2d5f8e3b7a10";
    static final Instant APPROVED_AT = Instant.parse("2026-11-28T14:00:00Z");
    static final Instant EXPIRES_AT = Instant.parse("2026-11-28T15:00:00Z");
    static final Instant DURING = Instant.parse("2026-11-28T14:30:00Z");

    private ApprovalFixtures() {
    }

    static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The golden record of docs/formats/approval-record.md, "Worked example". */
    static ApprovalRecord record() {
        return record("alice@clinic-a.example", List.of("bob@clinic-a.example", "carol@clinic-a.example"));
    }

    static ApprovalRecord record(String requester, List<String> approvers) {
        return new ApprovalRecord(ID, ApprovalActions.KEY_DESTROY, "tenant:clinic-a", requester, approvers,
                APPROVED_AT, EXPIRES_AT, "Offboarding clinic-a, termination clause 9.2");
    }

    static SignedApproval sign(ApprovalRecord r, KeyPair kp) {
        try {
            return SignedApproval.sign(r, kp.getPrivate(), null);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
