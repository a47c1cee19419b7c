package dev.cairn.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.hsm.KeyEvent.Operation;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.approval.ApprovalRecord;
import dev.cairn.hsm.approval.AuthorizationException;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.hsm.approval.SignedApprovalAuthorization;
import dev.cairn.hsm.pkcs11.Ck;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.hsm.testing.TestClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.KeyAgreement;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The CA and approval keys ({@code cairn/ca/1}, {@code cairn/approval/1}) against SoftHSM2: docs/keys.md, section 1. */
class TokenSignerTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    private final TestClock clock = new TestClock(Instant.parse("2026-11-28T12:00:00Z"));

    @Test
    void bothKeysAreCreatedOnceSurviveAReopenAndStayInTheToken() throws Exception {
        var hsm = HSM.newToken();
        List<KeyEvent> events = new CopyOnWriteArrayList<>();
        PublicKey ca;
        PublicKey approval;
        try (Pkcs11KeyVault vault = hsm.open(clock)) {
            vault.addListener(events::add);
            TokenSigner c1 = vault.caSigner();
            TokenSigner a1 = vault.approvalSigner();
            assertThat(c1.label()).isEqualTo("cairn/ca/1");
            assertThat(a1.label()).isEqualTo("cairn/approval/1");
            assertThat(vault.caSigner().publicKey()).isEqualTo(c1.publicKey());
            assertThat(vault.approvalSigner().publicKey()).isEqualTo(a1.publicKey());
            assertThat(c1.publicKey()).isNotEqualTo(a1.publicKey());
            assertThat(c1.publicKey()).isNotEqualTo(vault.auditSigner().publicKey());
            assertThat(events).filteredOn(e -> e.operation() == Operation.CREATE_CA_KEY).singleElement()
                    .satisfies(e -> {
                        assertThat(e.keyLabel()).isEqualTo("cairn/ca/1");
                        assertThat(e.outcome()).isEqualTo(KeyEvent.Outcome.SUCCESS);
                    });
            assertThat(events).filteredOn(e -> e.operation() == Operation.CREATE_APPROVAL_KEY).singleElement()
                    .satisfies(e -> assertThat(e.keyLabel()).isEqualTo("cairn/approval/1"));
            ca = c1.publicKey();
            approval = a1.publicKey();

            for (String label : List.of("cairn/ca/1", "cairn/approval/1")) {
                VaultStatus.TokenKey k = vault.status().keys().stream().filter(t -> t.label().equals(label))
                        .findFirst().orElseThrow();
                assertThat(k.sensitive()).as(label).isTrue();
                assertThat(k.extractable()).as(label).isFalse();
                assertThat(k.neverExtractable()).as(label).isTrue();
                assertThat(k.kind()).isEqualTo(label.equals("cairn/ca/1") ? "ca" : "approval");
            }
            assertThat(c1.privateKey().getEncoded()).isNull();
            assertThat(vault.pkcs11().countObjects(Ck.CKO_PRIVATE_KEY)).isEqualTo(3); // audit, ca, approval
        }
        events.clear();
        try (Pkcs11KeyVault again = hsm.open(clock)) {
            again.addListener(events::add);
            assertThat(again.caSigner().publicKey()).isEqualTo(ca);
            assertThat(again.approvalSigner().publicKey()).isEqualTo(approval);
            assertThat(events).noneMatch(e -> e.operation() == Operation.CREATE_CA_KEY
                    || e.operation() == Operation.CREATE_APPROVAL_KEY);
            assertThat(again.pkcs11().countObjects(Ck.CKO_PRIVATE_KEY)).isEqualTo(3);
        }
    }

    @Test
    void signsInTheTokenAndVerifiesWithTheExportedPublicKey() throws Exception {
        try (Pkcs11KeyVault vault = HSM.token().open(clock)) {
            List<KeyEvent> events = new CopyOnWriteArrayList<>();
            vault.addListener(events::add);
            for (TokenSigner signer : List.of(vault.caSigner(), vault.approvalSigner())) {
                byte[] msg = ("to be signed by " + signer.label()).getBytes(StandardCharsets.UTF_8);
                byte[] sig = signer.sign(msg);
                PublicKey exported = fromPem(signer.publicKeyPem());
                assertThat(exported).isEqualTo(signer.publicKey());
                assertThat(AuditSigner.verify(exported, msg, sig)).isTrue();
                byte[] tampered = msg.clone();
                tampered[3] ^= 1;
                assertThat(AuditSigner.verify(exported, tampered, sig)).isFalse();
                assertThat(events).anyMatch(e -> e.operation() == Operation.SIGN && signer.label().equals(e.keyLabel()));
                assertThat(signer.toString()).isEqualTo("TokenSigner[" + signer.label() + "]");
            }
        }
    }

    @Test
    void signOnlyKeysRefuseKeyAgreement() {
        try (Pkcs11KeyVault vault = HSM.token().open(clock)) {
            for (TokenSigner signer : List.of(vault.caSigner(), vault.approvalSigner())) {
                assertThatThrownBy(() -> {
                    KeyAgreement ka = KeyAgreement.getInstance("ECDH", signer.provider());
                    ka.init(signer.privateKey());
                    ka.doPhase(signer.publicKey(), true);
                    ka.generateSecret();
                }).as(signer.label()).isInstanceOf(Exception.class);
            }
        }
    }

    @Test
    void bouncyCastleSignsACertificateWithTheTokenKey() throws Exception {
        try (Pkcs11KeyVault vault = HSM.token().open(clock)) {
            TokenSigner ca = vault.caSigner();
            X500Name name = new X500Name("CN=test,O=Cairn");
            Instant now = clock.instant();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(now),
                    Date.from(now.plus(Duration.ofDays(1))), name, ca.publicKey());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").setProvider(ca.provider()).build(ca.privateKey())));
            cert.verify(ca.publicKey());
            assertThatThrownBy(() -> cert.verify(vault.approvalSigner().publicKey())).isInstanceOf(Exception.class);
        }
    }

    @Test
    void anApprovalSignedWithTheApprovalKeyPassesWithTheExportedPublicKey() throws Exception {
        try (Pkcs11KeyVault vault = HSM.token().open(clock)) {
            TokenSigner signer = vault.approvalSigner();
            Instant now = clock.instant();
            ApprovalRecord record = new ApprovalRecord(UUID.randomUUID().toString(), ApprovalActions.KEY_DESTROY,
                    "tenant:clinic-a", "alice", List.of("bob", "carol"), now.minusSeconds(60), now.plus(Duration.ofHours(1)), "");
            SignedApproval signed = SignedApproval.sign(record, signer.privateKey(), signer.provider());
            SignedApproval parsed = SignedApproval.parse(signed.toText());
            new SignedApprovalAuthorization(parsed, fromPem(signer.publicKeyPem()), 2)
                    .authorize(ApprovalActions.KEY_DESTROY, "tenant:clinic-a", now);
            // the CA key is not the approval authority
            assertThatThrownBy(() -> new SignedApprovalAuthorization(parsed, vault.caSigner().publicKey(), 2)
                    .authorize(ApprovalActions.KEY_DESTROY, "tenant:clinic-a", now))
                    .isInstanceOf(AuthorizationException.class);
        }
    }

    private static PublicKey fromPem(String pem) throws Exception {
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }
}
