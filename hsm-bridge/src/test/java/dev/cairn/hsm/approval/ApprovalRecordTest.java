package dev.cairn.hsm.approval;

import static dev.cairn.hsm.approval.ApprovalFixtures.APPROVED_AT;
import static dev.cairn.hsm.approval.ApprovalFixtures.EXPIRES_AT;
import static dev.cairn.hsm.approval.ApprovalFixtures.ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApprovalRecordTest {

    private static ApprovalRecord with(String id, String action, String target, String requester, List<String> approvers,
                                       Instant approvedAt, Instant expiresAt, String reason) {
        return new ApprovalRecord(id, action, target, requester, approvers, approvedAt, expiresAt, reason);
    }

    @Test
    void instantsAreTruncatedToSecondsSoTheTextRoundTrips() {
        ApprovalRecord r = with(ID, "key.destroy", "tenant:clinic-a", "alice", List.of("bob"),
                APPROVED_AT.plusMillis(999), EXPIRES_AT.plusNanos(1), "");

        assertThat(r.approvedAt()).isEqualTo(APPROVED_AT);
        assertThat(r.expiresAt()).isEqualTo(EXPIRES_AT);
    }

    @Test
    void approversAreCopiedUnmodifiableAndKeepTheirOrder() {
        List<String> given = new ArrayList<>(List.of("carol", "bob", "carol"));
        ApprovalRecord r = with(ID, "key.destroy", "tenant:clinic-a", "alice", given, APPROVED_AT, EXPIRES_AT, "");
        given.clear();

        assertThat(r.approvers()).containsExactly("carol", "bob", "carol");
        assertThatThrownBy(() -> r.approvers().add("mallory")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsMalformedFieldsNamingTheFieldNotTheValue() {
        List<String> ok = List.of("bob");
        assertThatThrownBy(() -> with("6F1C2E1A-0B7D-4C39-9A4E-2D5F8E3B7A10", "key.destroy", "tenant:a", "alice", ok, APPROVED_AT, EXPIRES_AT, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("id must be a lowercase UUID");
        assertThatThrownBy(() -> with(ID, " ", "tenant:a", "alice", ok, APPROVED_AT, EXPIRES_AT, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("action must match");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a/b", "alice", ok, APPROVED_AT, EXPIRES_AT, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("target must match");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a", "", ok, APPROVED_AT, EXPIRES_AT, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("requester must match");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a", "alice", List.of("bob", "carol,dave"), APPROVED_AT, EXPIRES_AT, ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("approvers[1] must match")
                .hasMessageNotContaining("carol");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a", "alice", ok, APPROVED_AT, EXPIRES_AT, "line one\nline two"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason must be single-line")
                .hasMessageNotContaining("line one");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a", "alice", ok, APPROVED_AT, EXPIRES_AT, "x".repeat(201)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("reason must be");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a", "alice", ok, APPROVED_AT, APPROVED_AT.plusMillis(500), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("expiresAt must be after approvedAt");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a", "alice", ok, APPROVED_AT, Instant.parse("+10000-01-01T00:00:00Z"), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("expiresAt must be between");
        assertThatThrownBy(() -> with(ID, "key.destroy", "tenant:a", "alice", null, APPROVED_AT, EXPIRES_AT, ""))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void acceptsTheLimits() {
        ApprovalRecord r = with(ID, "a".repeat(40), "t".repeat(128), "u".repeat(64), List.of(), APPROVED_AT, EXPIRES_AT,
                " ~".repeat(100));

        assertThat(SignedApproval.parse(new SignedApproval(r, new byte[] {0x30, 0}).toText()).record()).isEqualTo(r);
    }

    @Test
    void tenantTarget() {
        assertThat(ApprovalActions.tenantTarget("clinic-a")).isEqualTo("tenant:clinic-a");
        assertThatThrownBy(() -> ApprovalActions.tenantTarget("clinic:a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApprovalActions.tenantTarget("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApprovalActions.tenantTarget("x".repeat(122))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ApprovalActions.tenantTarget("x".repeat(121))).hasSize(128);
    }
}
