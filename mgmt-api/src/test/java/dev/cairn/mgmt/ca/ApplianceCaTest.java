package dev.cairn.mgmt.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.hsm.KeyEvent;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.TokenSigner;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.hsm.testing.TestClock;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The appliance CA against SoftHSM2 and real files (docs/formats/appliance-ca.md). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApplianceCaTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    private static final Duration DAYS_90 = Duration.ofDays(90);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final TestClock clock = new TestClock(Instant.parse("2026-11-28T12:00:00Z"));
    private final List<KeyEvent> events = new CopyOnWriteArrayList<>();
    private Pkcs11KeyVault vault;
    private TokenSigner signer;

    @TempDir
    Path tmp;

    @BeforeAll
    void openVault() {
        vault = HSM.token().open(clock);
        vault.addListener(events::add);
        signer = vault.caSigner();
    }

    @AfterAll
    void closeVault() {
        vault.close();
    }

    private ApplianceCa open(Path dir) {
        return ApplianceCa.open(dir, signer, clock);
    }

    // ------------------------------------------------------------ the CA certificate

    @Test
    void theCaKeyIsTheTokensAndTheCertificateIsACa() throws Exception {
        Path dir = tmp.resolve("ca");
        events.clear();
        ApplianceCa ca = open(dir);
        X509Certificate c = ca.certificate();
        assertThat(c.getPublicKey()).isEqualTo(vault.caSigner().publicKey());
        c.verify(signer.publicKey());
        assertThat(events).anyMatch(e -> e.operation() == KeyEvent.Operation.SIGN && "cairn/ca/1".equals(e.keyLabel()));
        String id = ApplianceCa.caId(signer.publicKey());
        assertThat(id).matches("[0-9a-f]{8}");
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=Cairn appliance CA " + id + ",O=Cairn");
        assertThat(c.getIssuerX500Principal()).isEqualTo(c.getSubjectX500Principal());
        assertThat(c.getBasicConstraints()).isEqualTo(0);
        assertThat(c.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] ku = c.getKeyUsage();
        assertThat(ku[5]).as("keyCertSign").isTrue();
        assertThat(ku[6]).as("cRLSign").isTrue();
        assertThat(ku[0]).as("digitalSignature").isFalse();
        assertThat(c.getExtensionValue("2.5.29.14")).as("SKI").isNotNull();
        assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(3650));
        assertThat(c.getNotBefore().toInstant()).isEqualTo(clock.instant().minus(Duration.ofMinutes(5)));
        assertThat(Files.readString(dir.resolve("ca.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.pem"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void reopeningGivesTheSameCaAndItsState() throws Exception {
        Path dir = tmp.resolve("ca");
        ApplianceCa first = open(dir);
        IssuedCertificate agent = first.issueClientCertificate("agent:ward-3", CaFixture.csr(CaFixture.ec("secp256r1")), DAYS_90);
        first.issueServerIdentity(List.of("cairn.clinic.lan"), List.of(), DAYS_90);
        clock.advance(Duration.ofHours(1));
        ApplianceCa again = open(dir);
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(again.issued()).hasSize(2);
        assertThat(again.issued().getFirst().serial()).isEqualTo(agent.serial());
        assertThat(again.issued().getFirst().certificate()).isEqualTo(agent.certificate());
        assertThat(again.issued().getFirst().subject()).isEqualTo("agent:ward-3");
        assertThat(again.issued().get(1).subject()).isEqualTo("cairn.clinic.lan");
    }

    @Test
    void aSwappedCaPemFailsClosed() throws Exception {
        Path ours = tmp.resolve("ours");
        open(ours);
        Path theirs = tmp.resolve("theirs");
        try (Pkcs11KeyVault other = HSM.newToken().open(clock)) {
            ApplianceCa.open(theirs, other.caSigner(), clock);
        }
        Files.copy(theirs.resolve("ca.pem"), ours.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> open(ours)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another key").hasMessageContaining("cairn/ca/1");
        // ours is untouched by the refusal
        assertThat(Files.readString(ours.resolve("ca.pem"))).isEqualTo(Files.readString(theirs.resolve("ca.pem")));
    }

    @Test
    void anAlteredCaPemWithTheRightKeyFailsClosed() throws Exception {
        Path dir = tmp.resolve("ca");
        open(dir);
        byte[] der = ((X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(dir.resolve("ca.pem")))).getEncoded();
        der[der.length - 5] ^= 0x01; // inside the signature
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMissingCaPemWithIssuedCertificatesFailsClosed() {
        Path dir = tmp.resolve("ca");
        open(dir).issueServerIdentity(List.of("cairn"), List.of(), DAYS_90);
        assertThatThrownBy(() -> {
            Files.delete(dir.resolve("ca.pem"));
            open(dir);
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("restore ca.pem");
    }

    // ------------------------------------------------------------ server identity

    @Test
    void serverIdentityValidatesAgainstTheCaWithTheGivenNames() throws Exception {
        ApplianceCa ca = open(tmp.resolve("ca"));
        List<InetAddress> ips = List.of(InetAddress.getByName("192.0.2.10"), InetAddress.getByName("2001:db8::10"));
        ServerIdentity id = ca.issueServerIdentity(List.of("cairn.clinic.lan", "backup"), ips, DAYS_90);
        X509Certificate c = id.certificate();
        CaFixture.validate(c, ca.certificate(), clock.instant());
        assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=cairn.clinic.lan");
        List<List<?>> sans = new ArrayList<>(c.getSubjectAlternativeNames());
        assertThat(sans).extracting(l -> l.get(0), l -> l.get(1)).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "cairn.clinic.lan"), org.assertj.core.groups.Tuple.tuple(2, "backup"),
                org.assertj.core.groups.Tuple.tuple(7, "192.0.2.10"), org.assertj.core.groups.Tuple.tuple(7, "2001:db8:0:0:0:0:0:10"));
        assertThat(c.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(c.getKeyUsage()[0]).isTrue();
        assertThat(c.getBasicConstraints()).isEqualTo(-1);
        assertThat(Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant())).isEqualTo(DAYS_90);
        assertThat(id.caCertificate()).isEqualTo(ca.certificate());
        assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(id.key().getAlgorithm()).isEqualTo("EC");
        // the key store carries the key and the chain
        KeyStore ks = id.keyStore("pw".toCharArray());
        assertThat(ks.getCertificateChain(ServerIdentity.ALIAS)).containsExactly(c, ca.certificate());
        assertThat(ks.getKey(ServerIdentity.ALIAS, "pw".toCharArray())).isEqualTo(id.key());
        assertThat(id.toString()).doesNotContain(id.key().toString());
        // an IP-only identity takes its CN from the first address
        ServerIdentity ipOnly = ca.issueServerIdentity(List.of(), List.of(InetAddress.getByName("127.0.0.1")), DAYS_90);
        assertThat(ipOnly.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=127.0.0.1");
        // a new key every time
        assertThat(ipOnly.certificate().getPublicKey()).isNotEqualTo(c.getPublicKey());
    }

    @Test
    void serverIdentityInputIsChecked() {
        ApplianceCa ca = open(tmp.resolve("ca"));
        assertThatThrownBy(() -> ca.issueServerIdentity(List.of(), List.of(), DAYS_90))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
        for (String bad : List.of("*.clinic.lan", "a..b", "-x.lan", "x.lan.", "bad name", "")) {
            assertThatThrownBy(() -> ca.issueServerIdentity(List.of(bad), List.of(), DAYS_90)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DNS host name");
        }
        assertThatThrownBy(() -> ca.issueServerIdentity(List.of("cairn"), List.of(), Duration.ofDays(399)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("398 days");
        assertThat(ca.issued()).isEmpty();
    }

    @Test
    void noPrivateKeyIsEverWritten() throws Exception {
        Path dir = tmp.resolve("ca");
        ApplianceCa ca = open(dir);
        ServerIdentity id = ca.issueServerIdentity(List.of("cairn"), List.of(), DAYS_90);
        ca.revoke(id.certificate().getSerialNumber(), "superseded");
        byte[] keyBytes = ((java.security.interfaces.ECPrivateKey) id.key()).getS().toByteArray();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                assertThat(text).as(f.toString()).doesNotContain("PRIVATE KEY");
                assertThat(indexOf(Files.readAllBytes(f), keyBytes)).as(f.toString()).isEqualTo(-1);
                assertThat(text).doesNotContain(Base64.getEncoder().encodeToString(keyBytes));
                assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            }
        }
    }

    // ------------------------------------------------------------ client certificates

    @Test
    void clientCertificateFromACsrValidates() throws Exception {
        ApplianceCa ca = open(tmp.resolve("ca"));
        for (KeyPair kp : List.of(CaFixture.ec("secp256r1"), CaFixture.ec("secp384r1"), CaFixture.rsa(3072))) {
            IssuedCertificate ic = ca.issueClientCertificate("api:billing@front-desk", CaFixture.csr(kp), DAYS_90);
            X509Certificate c = ic.certificate();
            CaFixture.validate(c, ca.certificate(), clock.instant());
            assertThat(c.getPublicKey()).isEqualTo(kp.getPublic());
            assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=api:billing@front-desk");
            assertThat(c.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
            assertThat(ic.subject()).isEqualTo("api:billing@front-desk");
            assertThat(ic.serial()).isEqualTo(c.getSerialNumber());
            assertThat(ic.serial().signum()).isEqualTo(1);
            assertThat(ic.serial().toByteArray().length).isLessThanOrEqualTo(16);
            assertThat(ic.notBefore()).isEqualTo(c.getNotBefore().toInstant());
            assertThat(ic.notAfter()).isEqualTo(c.getNotAfter().toInstant());
            assertThat(ic.revoked()).isFalse();
            assertThat(ic.pem()).startsWith("-----BEGIN CERTIFICATE-----");
        }
        // not valid before its time or after it
        IssuedCertificate ic = ca.issued().getFirst();
        assertThatThrownBy(() -> CaFixture.validate(ic.certificate(), ca.certificate(), clock.instant().plus(Duration.ofDays(91))))
                .isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void aCsrWithABadSignatureIsRefused() {
        ApplianceCa ca = open(tmp.resolve("ca"));
        KeyPair claimed = CaFixture.ec("secp256r1");
        KeyPair actual = CaFixture.ec("secp256r1");
        assertThatThrownBy(() -> ca.issueClientCertificate("agent:x", CaFixture.csr(claimed.getPublic(), actual.getPrivate()), DAYS_90))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signature does not verify");
        assertThat(ca.issued()).isEmpty();
    }

    @Test
    void weakOrWrongKeysAreRefused() {
        ApplianceCa ca = open(tmp.resolve("ca"));
        for (int bits : new int[] {1024, 2048}) {
            assertThatThrownBy(() -> ca.issueClientCertificate("agent:x", CaFixture.csr(CaFixture.rsa(bits)), DAYS_90))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bits + " bits").hasMessageContaining("3072");
        }
        assertThatThrownBy(() -> ca.issueClientCertificate("agent:x", CaFixture.csr(CaFixture.ec("secp521r1")), DAYS_90))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("P-256 or P-384");
        assertThat(ca.issued()).isEmpty();
    }

    @Test
    void badSubjectsAndGarbageAreRefused() {
        ApplianceCa ca = open(tmp.resolve("ca"));
        String csr = CaFixture.csr(CaFixture.ec("secp256r1"));
        for (String bad : List.of("agent:", "user:x", "agent:X", "agent:-x", "agent:a,b", "api:a b", "agent:x\n",
                "agent:" + "a".repeat(65), "CN=agent:x", "")) {
            assertThatThrownBy(() -> ca.issueClientCertificate(bad, csr, DAYS_90)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject must be");
        }
        assertThat(ca.issueClientCertificate("agent:" + "a".repeat(64), csr, DAYS_90).subject()).hasSize(70);
        assertThatThrownBy(() -> ca.issueClientCertificate("agent:x", "not a csr", DAYS_90))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CERTIFICATE REQUEST");
        assertThatThrownBy(() -> ca.issueClientCertificate("agent:x", CaFixture.pem(ca.certificate()), DAYS_90))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CERTIFICATE REQUEST");
        assertThatThrownBy(() -> ca.issueClientCertificate("agent:x", csr, Duration.ofDays(400)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("398 days");
    }

    // ------------------------------------------------------------ revocation

    @Test
    void revocationIsListedSignedAndSurvivesAReopen() throws Exception {
        Path dir = tmp.resolve("ca");
        ApplianceCa ca = open(dir);
        IssuedCertificate keep = ca.issueClientCertificate("agent:keep", CaFixture.csr(CaFixture.ec("secp256r1")), DAYS_90);
        IssuedCertificate lost = ca.issueClientCertificate("agent:lost", CaFixture.csr(CaFixture.ec("secp256r1")), DAYS_90);
        X509CRL before = ca.crl();
        assertThat(before.getRevokedCertificates()).isNull();
        clock.advance(Duration.ofMinutes(3));
        ca.revoke(lost.serial(), "keyCompromise");
        assertThat(ca.isRevoked(lost.serial())).isTrue();
        assertThat(ca.isRevoked(keep.serial())).isFalse();
        X509CRL crl = ca.crl();
        crl.verify(signer.publicKey());
        assertThat(crl.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(crl.isRevoked(lost.certificate())).isTrue();
        assertThat(crl.isRevoked(keep.certificate())).isFalse();
        assertThat(crl.getRevokedCertificate(lost.serial()).getRevocationReason())
                .isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
        assertThat(crl.getRevokedCertificate(lost.serial()).getRevocationDate().toInstant()).isEqualTo(clock.instant());
        assertThat(crlNumber(crl)).isGreaterThan(crlNumber(before));
        assertThat(ca.issued()).extracting(IssuedCertificate::revoked).containsExactly(false, true);

        ca.revoke(lost.serial(), "superseded"); // again: nothing changes
        assertThat(Files.readAllLines(dir.resolve("issued.jsonl"))).hasSize(3);

        ApplianceCa again = open(dir);
        assertThat(again.isRevoked(lost.serial())).isTrue();
        assertThat(again.isRevoked(keep.serial())).isFalse();
        assertThat(again.crl()).isEqualTo(crl); // the stored CRL, not a new one
        assertThat(again.issued()).extracting(IssuedCertificate::revoked).containsExactly(false, true);
    }

    @Test
    void revokeInputIsChecked() {
        ApplianceCa ca = open(tmp.resolve("ca"));
        IssuedCertificate ic = ca.issueClientCertificate("agent:x", CaFixture.csr(CaFixture.ec("secp256r1")), DAYS_90);
        assertThatThrownBy(() -> ca.revoke(BigInteger.valueOf(12345), "keyCompromise"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no certificate with serial 3039");
        for (String bad : List.of("KEY_COMPROMISE", "certificateHold", "removeFromCRL", "")) {
            assertThatThrownBy(() -> ca.revoke(ic.serial(), bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown revocation reason");
        }
        assertThat(ca.isRevoked(ic.serial())).isFalse();
    }

    @Test
    void theCrlIsReissuedWhenADayOld() throws Exception {
        ApplianceCa ca = open(tmp.resolve("ca"));
        X509CRL first = ca.crl();
        assertThat(first.getThisUpdate().toInstant()).isEqualTo(clock.instant());
        assertThat(first.getNextUpdate().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(2)));
        clock.advance(Duration.ofHours(23));
        assertThat(ca.crl()).isEqualTo(first);
        clock.advance(Duration.ofHours(1));
        X509CRL second = ca.crl();
        assertThat(second).isNotEqualTo(first);
        assertThat(second.getThisUpdate().toInstant()).isEqualTo(clock.instant());
        assertThat(crlNumber(second)).isEqualTo(crlNumber(first).add(BigInteger.ONE));
        second.verify(signer.publicKey());
    }

    @Test
    void aRevocationWhoseCrlWasNotWrittenIsStillInTheNextCrl() throws Exception {
        Path dir = tmp.resolve("ca");
        ApplianceCa ca = open(dir);
        IssuedCertificate ic = ca.issueClientCertificate("agent:x", CaFixture.csr(CaFixture.ec("secp256r1")), DAYS_90);
        X509CRL empty = ca.crl();
        ca.revoke(ic.serial(), "keyCompromise");
        // a crash between the log append and the CRL rename: the old CRL is back on disk
        Files.writeString(dir.resolve("crl.pem"), CaFixture.pem(empty));
        ApplianceCa again = open(dir);
        assertThat(again.isRevoked(ic.serial())).isTrue();
        assertThat(again.crl().isRevoked(ic.certificate())).isTrue();
    }

    // ------------------------------------------------------------ the issued log

    @Test
    void aTornLastLineIsCutAndEarlierDamageFailsClosed() throws Exception {
        Path dir = tmp.resolve("ca");
        ApplianceCa ca = open(dir);
        IssuedCertificate a = ca.issueClientCertificate("agent:a", CaFixture.csr(CaFixture.ec("secp256r1")), DAYS_90);
        Path log = dir.resolve("issued.jsonl");
        String good = Files.readString(log);
        Files.writeString(log, good + "{\"v\":1,\"type\":\"issued\",\"serial\":\"ab", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        ApplianceCa again = open(dir);
        assertThat(again.issued()).extracting(IssuedCertificate::serial).containsExactly(a.serial());
        assertThat(Files.readString(log)).isEqualTo(good);
        // damage inside a complete line: refuse to start
        Files.writeString(log, good.replace("\"type\":\"issued\"", "\"type\":\"isued\""));
        assertThatThrownBy(() -> open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("issued.jsonl line 1").hasMessageContaining("restore");
        // a certificate with the right serial and issuer name that the CA key did not sign
        KeyPair rogue = CaFixture.ec("secp256r1");
        X509Certificate forgedCert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(ca.certificate(), a.serial(),
                        a.certificate().getNotBefore(), a.certificate().getNotAfter(),
                        new javax.security.auth.x500.X500Principal("CN=agent:a"), rogue.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(rogue.getPrivate())));
        String b64 = Base64.getEncoder().encodeToString(a.certificate().getEncoded());
        assertThat(good).contains(b64);
        Files.writeString(log, good.replace(b64, Base64.getEncoder().encodeToString(forgedCert.getEncoded())));
        assertThatThrownBy(() -> open(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("line 1").hasMessageContaining("SignatureException");
        // a format version this code does not know
        Files.writeString(log, good.replace("\"v\":1", "\"v\":2"));
        assertThatThrownBy(() -> open(dir)).isInstanceOf(IllegalStateException.class).hasMessageContaining("version");
    }

    @Test
    void concurrentIssuingAndRevokingKeepsEverySerialDistinctAndDurable() throws Exception {
        Path dir = tmp.resolve("ca");
        ApplianceCa ca = open(dir);
        String csr = CaFixture.csr(CaFixture.ec("secp256r1"));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<BigInteger>> futures = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    BigInteger s = n % 3 == 0
                            ? ca.issueServerIdentity(List.of("s" + n), List.of(), DAYS_90).certificate().getSerialNumber()
                            : ca.issueClientCertificate("agent:a" + n, csr, DAYS_90).serial();
                    if (n % 4 == 0) {
                        ca.revoke(s, "superseded");
                    }
                    ca.isRevoked(s);
                    return s;
                }));
            }
            Set<BigInteger> serials = new HashSet<>();
            for (Future<BigInteger> f : futures) {
                serials.add(f.get());
            }
            assertThat(serials).hasSize(60);
        } finally {
            pool.shutdownNow();
        }
        ApplianceCa again = open(dir);
        assertThat(again.issued()).hasSize(60);
        assertThat(again.issued().stream().filter(IssuedCertificate::revoked)).hasSize(15);
        assertThat(again.crl().getRevokedCertificates()).hasSize(15);
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] ext = crl.getExtensionValue("2.5.29.20");
        return org.bouncycastle.asn1.x509.CRLNumber.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getCRLNumber();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
