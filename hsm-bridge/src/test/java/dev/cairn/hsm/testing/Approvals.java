package dev.cairn.hsm.testing;

import dev.cairn.hsm.approval.ApprovalRecord;
import dev.cairn.hsm.approval.Authorization;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.hsm.approval.SignedApprovalAuthorization;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Real signed approval records for tests: an approval authority key and records signed with it. */
public final class Approvals {
    private final KeyPair authority;

    public Approvals() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            authority = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An authorization for {@code action} on {@code target}, approved by two people other than the requester, valid for an hour from {@code now}. */
    public Authorization approve(String action, String target, Instant now) {
        ApprovalRecord r = new ApprovalRecord(UUID.randomUUID().toString(), action, target, "alice", List.of("bob", "carol"),
                now.minusSeconds(60), now.plus(Duration.ofHours(1)), "test");
        try {
            return new SignedApprovalAuthorization(SignedApproval.sign(r, authority.getPrivate(), null), authority.getPublic(), 2);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
