package dev.cairn.mgmt.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.hsm.KeyEvent;
import dev.cairn.hsm.KeyStateException;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.hsm.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key plane's events land in the audit trail through {@link KeyEventAuditor}, against a real SoftHSM2
 * token: the trail then verifies with the audit public key alone, and a checkpoint on every entry (each
 * one a signature by the same token) does not re-enter the log.
 */
class KeyEventAuditorTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    @TempDir
    Path tmp;

    @Test
    void keyOperationsAreAuditedAndTheTrailVerifies() throws Exception {
        Path dir = tmp.resolve("audit");
        KeyEventAuditor.Actor officer = new KeyEventAuditor.Actor("officer1", "password+totp", "192.0.2.7", "test-agent/1");
        try (Pkcs11KeyVault vault = hsm.token().open();
             AuditLog log = AuditLog.open(dir, vault.auditSigner(), new TestClock(Instant.parse("2026-11-28T10:00:00Z")),
                     ClockSyncProbe.fixed(ClockSync.SYNCHRONIZED), AuditFixture.editable(1))) {
            vault.addListener(new KeyEventAuditor(log, () -> officer));
            vault.createKek("clinic-a", Duration.ofDays(365));
            vault.rotate("clinic-a");
            // a refused operation is audited too, and still fails for its caller
            assertThatThrownBy(() -> vault.createKek("clinic-a", Duration.ofDays(365))).isInstanceOf(KeyStateException.class);
            assertThat(log.lastCheckpoint()).isEqualTo(log.lastSeq()); // a checkpoint (a token signature) after every entry
        }

        AuditReport report = AuditVerifier.verify(dir, AuditVerifier.readPublicKey(auditPem()));
        assertThat(report.findings()).isEmpty();
        List<AuditEntry> entries = AuditSearch.search(dir, new AuditQuery(null, null, null, null, null, null, 100, null)).entries();
        assertThat(entries).extracting(e -> e.event().action())
                .contains("key.create_kek", "key.rotate")
                .doesNotContain("key.sign");
        AuditEntry created = entries.stream().filter(e -> e.event().action().equals("key.create_kek")).findFirst().orElseThrow();
        assertThat(created.event().actor()).isEqualTo("officer1");
        assertThat(created.event().targets()).containsExactly("tenant:clinic-a", "key:cairn/clinic-a/kek/1");
        assertThat(created.event().outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(entries).anyMatch(e -> e.event().outcome() != Outcome.SUCCESS && e.event().action().equals("key.create_kek"));
    }

    @Test
    void eventsWithoutTenantOrLabelAndUnsafeDetailsBecomeValidEntries() {
        KeyEventAuditor.Actor cli = KeyEventAuditor.Actor.localCommand("root");
        AuditEvent lost = KeyEventAuditor.toAuditEvent(new KeyEvent(Instant.EPOCH, KeyEvent.Operation.TOKEN_LOST, null, null, 0,
                KeyEvent.Outcome.FAILURE, "token \"cairn\" vanished:\nCKR_DEVICE_REMOVED\u0000"), cli);
        assertThat(lost.action()).isEqualTo("key.token_lost");
        assertThat(lost.targets()).isEmpty();
        assertThat(lost.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(lost.reason()).isEqualTo("token \"cairn\" vanished: CKR_DEVICE_REMOVED ");
        assertThat(lost.authMethod()).isEqualTo("local-console");

        String longDetail = "x".repeat(511) + "\uD83D\uDE00" + "y".repeat(100);
        String reason = KeyEventAuditor.reason(longDetail);
        assertThat(reason).hasSizeLessThanOrEqualTo(KeyEventAuditor.MAX_REASON).doesNotContain("\uD83D");
        assertThat(KeyEventAuditor.reason("\uDE00 lone")).isEqualTo("  lone");
    }

    @Test
    void aDestroyOfEveryGenerationBecomesAValidTarget() {
        AuditEvent destroyed = KeyEventAuditor.toAuditEvent(new KeyEvent(Instant.EPOCH, KeyEvent.Operation.DESTROY_KEK,
                "radiology", "cairn/radiology/kek/*", 2, KeyEvent.Outcome.SUCCESS, "2 generation(s) destroyed"),
                KeyEventAuditor.Actor.localCommand("root"));
        assertThat(destroyed.targets()).containsExactly("tenant:radiology", "key:cairn/radiology/kek/all");
        assertThat(KeyEventAuditor.keyTarget("a b\u00e9*" + "z".repeat(200))).startsWith("key:a_b_all").hasSize(128);
    }

    private String auditPem() {
        try (Pkcs11KeyVault vault = hsm.token().open()) {
            return vault.auditSigner().publicKeyPem();
        }
    }
}
