package dev.cairn.hsm.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Pins format version 1 (docs/formats/approval-record.md, "Worked example"). If this test has to
 * change, the format changed: bump the header to v2 instead and keep a v1 reader.
 */
class ApprovalGoldenTest {

    static final String GOLDEN_CANONICAL = """
            cairn-approval v1
            id=6f1c2e1a-0b7d-4c39-9a4e-2d5f8e3b7a10
            action=key.destroy
            target=tenant:clinic-a
            requester=alice@clinic-a.example
            approvers=bob@clinic-a.example,carol@clinic-a.example
            approved-at=2026-11-28T14:00:00Z
            expires-at=2026-11-28T15:00:00Z
            reason=Offboarding clinic-a, termination clause 9.2
            """;

    /** Public half of a throwaway P-256 key made once for this vector (X.509 SubjectPublicKeyInfo, base64). */
    static final String GOLDEN_AUTHORITY_SPKI =
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtXEpA5/NUQ1uO+AMgVIxY8h+HZV1Xehw7jxht+Fga4WN+5q9RcTrCuPmt2oX+VSrby/apLVwGEAbMFYt/xCL3g==";

    static final String GOLDEN_SIGNED = GOLDEN_CANONICAL
            + "signature=MEQCIHu1bt23ttn/UkM8O80suQo+p3nf0sho8cFwhe6k+oAEAiBmHi3ZB0OW14Ueu5Q42oc/9K0rhFxzDpIY5yhZQ+60qQ==\n";

    @Test
    void canonicalBytesArePinned() {
        byte[] bytes = ApprovalFixtures.record().canonicalBytes();

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(GOLDEN_CANONICAL);
        assertThat(bytes).hasSize(304);
        assertThat(bytes[bytes.length - 1]).isEqualTo((byte) '\n');
        assertThat(GOLDEN_CANONICAL).doesNotContain("\r");
    }

    @Test
    void goldenSignedTextParsesAndAuthorizes() throws Exception {
        SignedApproval parsed = SignedApproval.parse(GOLDEN_SIGNED);

        assertThat(parsed.record()).isEqualTo(ApprovalFixtures.record());
        assertThat(parsed.toText()).isEqualTo(GOLDEN_SIGNED);
        assertThatCode(() -> new SignedApprovalAuthorization(parsed, goldenAuthority(), 2)
                .authorize(ApprovalActions.KEY_DESTROY, "tenant:clinic-a", ApprovalFixtures.DURING))
                .doesNotThrowAnyException();
    }

    @Test
    void goldenSignatureDoesNotCoverAnotherTarget() throws Exception {
        SignedApproval moved = SignedApproval.parse(GOLDEN_SIGNED.replace("tenant:clinic-a", "tenant:clinic-b"));

        assertThatThrownBy(() -> new SignedApprovalAuthorization(moved, goldenAuthority(), 2)
                .authorize(ApprovalActions.KEY_DESTROY, "tenant:clinic-b", ApprovalFixtures.DURING))
                .isInstanceOf(AuthorizationException.class)
                .hasMessageContaining("signature rule");
    }

    /** The table at the end of the worked example. */
    @Test
    void workedExampleTable() throws Exception {
        SignedApproval golden = SignedApproval.parse(GOLDEN_SIGNED);
        Authorization two = new SignedApprovalAuthorization(golden, goldenAuthority(), 2);
        String at = "2026-11-28T";

        assertThatThrownBy(() -> two.authorize("key.disable", "tenant:clinic-a", Instant.parse(at + "14:30:00Z")))
                .hasMessageContaining("action rule");
        assertThatThrownBy(() -> two.authorize("key.destroy", "tenant:clinic-a", Instant.parse(at + "13:59:59Z")))
                .hasMessageContaining("time rule: not valid before 2026-11-28T14:00:00Z");
        assertThatThrownBy(() -> two.authorize("key.destroy", "tenant:clinic-a", Instant.parse(at + "15:00:00Z")))
                .hasMessageContaining("time rule: expired at 2026-11-28T15:00:00Z");
        assertThatThrownBy(() -> new SignedApprovalAuthorization(golden, goldenAuthority(), 3)
                .authorize("key.destroy", "tenant:clinic-a", Instant.parse(at + "14:30:00Z")))
                .hasMessageContaining("approvers rule: 2 distinct approvers other than the requester, 3 required");
    }

    @Test
    void actionStringsAreFrozen() {
        assertThat(ApprovalActions.KEY_DISABLE).isEqualTo("key.disable");
        assertThat(ApprovalActions.KEY_ENABLE).isEqualTo("key.enable");
        assertThat(ApprovalActions.KEY_DESTROY).isEqualTo("key.destroy");
        assertThat(ApprovalActions.SNAPSHOT_DELETE).isEqualTo("snapshot.delete");
        assertThat(ApprovalActions.RETENTION_SHORTEN).isEqualTo("retention.shorten");
        assertThat(ApprovalActions.RETENTION_REMOVE).isEqualTo("retention.remove");
        assertThat(ApprovalActions.IMMUTABILITY_DISABLE).isEqualTo("immutability.disable");
        assertThat(ApprovalActions.SCHEDULE_REDUCE).isEqualTo("schedule.reduce");
    }

    static PublicKey goldenAuthority() throws Exception {
        return KeyFactory.getInstance("EC")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(GOLDEN_AUTHORITY_SPKI)));
    }
}
