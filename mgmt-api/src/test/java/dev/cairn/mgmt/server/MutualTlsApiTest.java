package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.ca.IssuedCertificate;
import dev.cairn.mgmt.tls.TlsPolicy;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live mTLS listener: only client certificates from the appliance CA get in; an {@code api:NAME} certificate
 * acts as that user (authMethod {@code client-certificate}) within its roles but cannot step up; an
 * {@code agent:NAME} certificate reaches only SELF routes; a revocation refuses the next connection without a
 * restart, and the CRL served at /ca.crl lists it; a certificate for an unknown user gets 401.
 */
@ServerTest
class MutualTlsApiTest {
    private static ApplianceFixture fx;
    private final int port;
    private final int mtlsPort;

    MutualTlsApiTest(WebServer server) {
        this.port = server.port();
        this.mtlsPort = server.port(ApiServer.MTLS_SOCKET);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder builder) {
        LiveTls.init();
        fx = ApplianceFixture.create();
        ApiServer.configure(builder, fx.app);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /** A key and the appliance CA's certificate for it. */
    private record Client(KeyPair key, IssuedCertificate issued) {
        SSLContext context() {
            return LiveTls.withClientCertificate(fx.app.ca().certificate(), key, issued.certificate());
        }
    }

    private static Client issue(String subject) {
        KeyPair key = LiveTls.ecKey();
        IssuedCertificate issued = fx.app.ca().issueClientCertificate(subject, LiveTls.csr(key, "ignored"),
                Duration.ofDays(30));
        return new Client(key, issued);
    }

    private static JsonNode json(HttpResponse<String> res) {
        return Json.tree(res.body().getBytes(StandardCharsets.UTF_8));
    }

    /** A GET over a new connection (a new client) that must fail in or right after the handshake. */
    private void assertRefused(SSLContext context) {
        try (HttpClient client = LiveTls.http(context)) {
            assertThatThrownBy(() -> LiveTls.get(client, mtlsPort, "/health")).isInstanceOf(IOException.class);
        }
        // the same over a raw socket: no HTTP answer arrives
        String answer;
        try (SSLSocket s = LiveTls.connect(context, mtlsPort, TlsPolicy.clientParameters(context))) {
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            answer = LiveTls.readResponse(s.getInputStream());
        } catch (IOException refused) {
            answer = "";
        }
        assertThat(answer).isEmpty();
    }

    @Test
    void noClientCertificateIsRefused() {
        assertRefused(LiveTls.trusting(fx.app.ca().certificate()));
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        fx.user("mallory", Role.ADMINISTRATOR);
        KeyPair key = LiveTls.ecKey();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=api:mallory");
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, key.getPublic())
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate foreign = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        assertRefused(LiveTls.withClientCertificate(fx.app.ca().certificate(), key, foreign));
    }

    @Test
    void anApiCertificateActsAsItsUserWithoutStepUpAndIsRefusedOnceRevoked() throws Exception {
        fx.user("dana", Role.ADMINISTRATOR);
        Client dana = issue("api:dana");
        try (HttpClient client = LiveTls.http(dana.context())) {
            HttpResponse<String> me = LiveTls.get(client, mtlsPort, "/api/v1/me");
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(json(me).path("username").asText()).isEqualTo("dana");
            assertThat(json(me).path("authMethod").asText()).isEqualTo("client-certificate");

            HttpResponse<String> users = LiveTls.get(client, mtlsPort, "/api/v1/users");
            assertThat(users.statusCode()).as(users.body()).isEqualTo(200);
            assertThat(users.body()).contains("\"dana\"");

            HttpResponse<String> create = LiveTls.postJson(client, mtlsPort, "/api/v1/users",
                    "{\"username\":\"eve\",\"password\":\"" + ApplianceFixture.PASSWORD + "\",\"roles\":[\"auditor\"]}");
            assertThat(create.statusCode()).as(create.body()).isEqualTo(403);
            assertThat(json(create).path("title").asText()).isEqualTo("Step-up required");
            assertThat(fx.app.users().find("eve")).isEmpty();

            HttpResponse<String> certs = LiveTls.get(client, mtlsPort, "/api/v1/certificates");
            assertThat(certs.statusCode()).as(certs.body()).isEqualTo(200);
            JsonNode mine = null;
            for (JsonNode c : json(certs).isArray() ? json(certs) : json(certs).path("certificates")) {
                if (c.path("serial").asText().equals(dana.issued().serial().toString(16))) {
                    mine = c;
                }
            }
            assertThat(mine).as(certs.body()).isNotNull();
            X509Certificate downloaded = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(mine.path("pem").asText().getBytes(StandardCharsets.US_ASCII)));
            assertThat(downloaded).isEqualTo(dana.issued().certificate());
        }

        fx.app.ca().revoke(dana.issued().serial(), "keyCompromise");
        assertRefused(dana.context());

        try (HttpClient client = LiveTls.http(LiveTls.trusting(fx.app.ca().certificate()))) {
            HttpResponse<byte[]> res = LiveTls.getBytes(client, port, "/ca.crl");
            assertThat(res.statusCode()).isEqualTo(200);
            X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(res.body()));
            crl.verify(fx.app.ca().certificate().getPublicKey());
            assertThat(crl.getIssuerX500Principal()).isEqualTo(fx.app.ca().certificate().getSubjectX500Principal());
            assertThat(crl.getRevokedCertificate(dana.issued().serial())).isNotNull();
        }
    }

    @Test
    void aRevokedCertificateIsRefusedOnAConnectionThatIsAlreadyOpen() throws Exception {
        fx.user("omar", Role.AUDITOR);
        Client omar = issue("api:omar");
        try (HttpClient client = LiveTls.http(omar.context())) {
            assertThat(LiveTls.get(client, mtlsPort, "/api/v1/me").statusCode()).isEqualTo(200);
            fx.app.ca().revoke(omar.issued().serial(), "keyCompromise");
            // the same client reuses its kept-alive connection (or resumes the TLS session): no new handshake
            HttpResponse<String> after = LiveTls.get(client, mtlsPort, "/api/v1/me");
            assertThat(after.statusCode()).as(after.body()).isEqualTo(401);
            assertThat(after.body()).contains("revoked");
        }
    }

    @Test
    void aCertificateForNoSuchUserGets401() throws Exception {
        Client nobody = issue("api:nobody");
        try (HttpClient client = LiveTls.http(nobody.context())) {
            HttpResponse<String> me = LiveTls.get(client, mtlsPort, "/api/v1/me");
            assertThat(me.statusCode()).as(me.body()).isEqualTo(401);
            assertThat(me.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
        }
    }

    @Test
    void anAgentCertificateReachesSelfOnly() throws Exception {
        Client agent = issue("agent:backup-host-1");
        try (HttpClient client = LiveTls.http(agent.context())) {
            HttpResponse<String> me = LiveTls.get(client, mtlsPort, "/api/v1/me");
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(json(me).path("username").asText()).isEqualTo("agent:backup-host-1");
            assertThat(json(me).path("authMethod").asText()).isEqualTo("client-certificate");
            HttpResponse<String> users = LiveTls.get(client, mtlsPort, "/api/v1/users");
            assertThat(users.statusCode()).as(users.body()).isEqualTo(403);
        }
    }

    @Test
    void sslscanWithAClientCertificateFindsOnlyTheMtlsPolicy() throws Exception {
        fx.user("scanner", Role.AUDITOR);
        Client scanner = issue("api:scanner");
        Path keyFile = Files.createTempFile("cairn-client-", ".key");
        Path certFile = Files.createTempFile("cairn-client-", ".pem");
        try {
            Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64,
                    new byte[] {'\n'}).encodeToString(scanner.key().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            Files.writeString(certFile, ServerTlsTest.pem(scanner.issued().certificate()));
            LiveTls.Run check = LiveTls.run(Duration.ofSeconds(30), List.of("/usr/bin/openssl", "pkey", "-in",
                    keyFile.toString(), "-noout"));
            assertThat(check.exit()).as("openssl reads the key: " + check.output()).isZero();
            LiveTls.Run scan = LiveTls.run(Duration.ofSeconds(120), List.of("/usr/bin/sslscan", "--no-colour",
                    "--no-heartbleed", "--pk=" + keyFile, "--certs=" + certFile, "127.0.0.1:" + mtlsPort));
            ServerTlsTest.assertScan(scan);
        } finally {
            Files.deleteIfExists(keyFile);
            Files.deleteIfExists(certFile);
        }
    }

    /**
     * Without a client certificate sslscan still sees the protocols (the version is chosen before the server asks)
     * and the TLS 1.3 suites (in TLS 1.3 the client's handshake ends before the server judges its certificate); the
     * TLS 1.2 suites stay unlisted because the server refuses the handshake without a certificate.
     */
    @Test
    void sslscanWithoutAClientCertificateSeesOnlyModernProtocols() throws Exception {
        LiveTls.Run scan = LiveTls.run(Duration.ofSeconds(120), List.of("/usr/bin/sslscan", "--no-colour",
                "--no-heartbleed", "127.0.0.1:" + mtlsPort));
        String out = scan.output();
        for (String old : List.of("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1")) {
            assertThat(out).as(out).containsPattern("(?m)^" + java.util.regex.Pattern.quote(old) + "\\s+disabled\\s*$");
        }
        assertThat(out).as(out).containsPattern("(?m)^TLSv1\\.2\\s+enabled\\s*$")
                .containsPattern("(?m)^TLSv1\\.3\\s+enabled\\s*$")
                .doesNotContainPattern("(?m)^(Preferred|Accepted)\\s+(TLSv1\\.[01]|SSLv)")
                .doesNotContainPattern("(?m)^(Preferred|Accepted)\\s+TLSv1\\.2\\s+\\d+ bits\\s+(?!ECDHE-)");
    }
}
