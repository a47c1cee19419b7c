package dev.cairn.hsm.approval;

import static dev.cairn.hsm.approval.ApprovalFixtures.APPROVED_AT;
import static dev.cairn.hsm.approval.ApprovalFixtures.DURING;
import static dev.cairn.hsm.approval.ApprovalFixtures.EXPIRES_AT;
import static dev.cairn.hsm.approval.ApprovalFixtures.ID;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignedApprovalAuthorizationTest {
    private static final String TARGET = "tenant:clinic-a";
    private static KeyPair authority;
    private static KeyPair other;

    @BeforeAll
    static void keys() {
        authority = ApprovalFixtures.p256();
        other = ApprovalFixtures.p256();
    }

    private static Authorization signedBy(KeyPair kp, ApprovalRecord r) {
        return new SignedApprovalAuthorization(ApprovalFixtures.sign(r, kp), authority.getPublic(), 2);
    }

    private static Authorization valid() {
        return signedBy(authority, ApprovalFixtures.record());
    }

    private static AbstractThrowableAssert<?, ?> refused(Authorization a, String action, String target, Instant now) {
        return assertThatThrownBy(() -> a.authorize(action, target, now))
                .isInstanceOf(AuthorizationException.class)
                .hasMessageStartingWith("approval " + ID + " refused, ");
    }

    @Test
    void validTwoApproverRecordAuthorizes() {
        Authorization a = valid();

        assertThatCode(() -> a.authorize(ApprovalActions.KEY_DESTROY, TARGET, DURING)).doesNotThrowAnyException();
        assertThatCode(() -> a.authorize(ApprovalActions.KEY_DESTROY, TARGET, APPROVED_AT)).doesNotThrowAnyException();
        assertThatCode(() -> a.authorize(ApprovalActions.KEY_DESTROY, TARGET, EXPIRES_AT.minusNanos(1))).doesNotThrowAnyException();
        // Side-effect free: a second call gives the same answer.
        assertThatCode(() -> a.authorize(ApprovalActions.KEY_DESTROY, TARGET, DURING)).doesNotThrowAnyException();
    }

    @Test
    void signatureFromAnotherKeyIsRefused() {
        refused(signedBy(other, ApprovalFixtures.record()), ApprovalActions.KEY_DESTROY, TARGET, DURING)
                .hasMessageContaining("signature rule: the signature does not verify under the approval authority key");
    }

    @Test
    void fieldTamperedAfterSigningIsRefused() {
        String text = ApprovalFixtures.sign(ApprovalFixtures.record(), authority).toText();
        SignedApproval tampered = SignedApproval.parse(
                text.replace("expires-at=2026-11-28T15:00:00Z", "expires-at=2026-12-28T15:00:00Z"));
        Authorization a = new SignedApprovalAuthorization(tampered, authority.getPublic(), 2);

        refused(a, ApprovalActions.KEY_DESTROY, TARGET, DURING)
                .hasMessageContaining("signature rule: the signature does not verify");
    }

    @Test
    void garbageSignatureIsRefusedNotThrownThrough() {
        Authorization a = new SignedApprovalAuthorization(
                new SignedApproval(ApprovalFixtures.record(), new byte[] {0x30, 0x01, 0x02}), authority.getPublic(), 2);

        refused(a, ApprovalActions.KEY_DESTROY, TARGET, DURING).hasMessageContaining("signature rule");
    }

    @Test
    void signatureIsCheckedBeforeEverythingElse() {
        refused(signedBy(other, ApprovalFixtures.record()), ApprovalActions.KEY_DISABLE, "tenant:clinic-b", EXPIRES_AT)
                .hasMessageContaining("signature rule");
    }

    @Test
    void wrongActionIsRefused() {
        refused(valid(), ApprovalActions.KEY_DISABLE, TARGET, DURING)
                .hasMessageContaining("action rule: approved for key.destroy, requested key.disable");
    }

    @Test
    void wrongTargetIsRefused() {
        refused(valid(), ApprovalActions.KEY_DESTROY, "tenant:clinic-b", DURING)
                .hasMessageContaining("target rule: approved for tenant:clinic-a, requested tenant:clinic-b");
        refused(valid(), ApprovalActions.KEY_DESTROY, "tenant:clinic-a\nforged log line", DURING)
                .hasMessageContaining("target rule")
                .hasMessageNotContaining("forged");
    }

    @Test
    void beforeApprovedAtIsRefused() {
        refused(valid(), ApprovalActions.KEY_DESTROY, TARGET, APPROVED_AT.minusNanos(1))
                .hasMessageContaining("time rule: not valid before 2026-11-28T14:00:00Z");
    }

    @Test
    void atOrAfterExpiresAtIsRefused() {
        refused(valid(), ApprovalActions.KEY_DESTROY, TARGET, EXPIRES_AT)
                .hasMessageContaining("time rule: expired at 2026-11-28T15:00:00Z");
        refused(valid(), ApprovalActions.KEY_DESTROY, TARGET, EXPIRES_AT.plusSeconds(86_400))
                .hasMessageContaining("time rule: expired at 2026-11-28T15:00:00Z");
    }

    @Test
    void oneDistinctApproverIsNotEnough() {
        refused(signedBy(authority, ApprovalFixtures.record("alice", List.of("bob"))), ApprovalActions.KEY_DESTROY, TARGET, DURING)
                .hasMessageContaining("approvers rule: 1 distinct approver other than the requester, 2 required");
    }

    @Test
    void requesterAmongApproversIsNotCounted() {
        refused(signedBy(authority, ApprovalFixtures.record("alice", List.of("alice", "bob"))), ApprovalActions.KEY_DESTROY, TARGET, DURING)
                .hasMessageContaining("approvers rule: 1 distinct approver other than the requester, 2 required");
        // Identities are compared ASCII case-insensitively.
        refused(signedBy(authority, ApprovalFixtures.record("alice", List.of("Alice", "bob"))), ApprovalActions.KEY_DESTROY, TARGET, DURING)
                .hasMessageContaining("approvers rule: 1 distinct approver");
    }

    @Test
    void duplicateApproversCountOnce() {
        refused(signedBy(authority, ApprovalFixtures.record("alice", List.of("bob", "bob", "BOB"))), ApprovalActions.KEY_DESTROY, TARGET, DURING)
                .hasMessageContaining("approvers rule: 1 distinct approver other than the requester, 2 required");
        refused(signedBy(authority, ApprovalFixtures.record("alice", List.of())), ApprovalActions.KEY_DESTROY, TARGET, DURING)
                .hasMessageContaining("approvers rule: 0 distinct approvers other than the requester, 2 required");
    }

    @Test
    void requiredApproversIsConfigurable() {
        SignedApproval s = ApprovalFixtures.sign(ApprovalFixtures.record("alice", List.of("bob")), authority);

        assertThatCode(() -> new SignedApprovalAuthorization(s, authority.getPublic(), 1)
                .authorize(ApprovalActions.KEY_DESTROY, TARGET, DURING)).doesNotThrowAnyException();
        assertThatThrownBy(() -> new SignedApprovalAuthorization(s, authority.getPublic(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requiredApprovers");
    }

    @Test
    void authorityMustBeAP256Key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        SignedApproval s = ApprovalFixtures.sign(ApprovalFixtures.record(), authority);

        assertThatThrownBy(() -> new SignedApprovalAuthorization(s, g.generateKeyPair().getPublic(), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThatThrownBy(() -> new SignedApprovalAuthorization(s, rsa.generateKeyPair().getPublic(), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EC P-256");
    }

    @Test
    void denyAllDenies() {
        assertThatThrownBy(() -> Authorization.denyAll().authorize(ApprovalActions.KEY_DESTROY, TARGET, DURING))
                .isInstanceOf(AuthorizationException.class)
                .hasMessage("no approval was given");
    }
}
