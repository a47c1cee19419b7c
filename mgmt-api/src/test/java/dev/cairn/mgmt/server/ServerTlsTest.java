package dev.cairn.mgmt.server;

import dev.cairn.mgmt.ca.ServerIdentity;
import dev.cairn.mgmt.tls.TlsPolicy;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live server's TLS (docs/tls.md, "The live server"): the HTTPS listener started by {@link ApiServer#configure}
 * accepts TLS 1.3 and TLS 1.2 with ECDHE + AEAD, presents a certificate from the appliance CA with the configured
 * SANs, refuses TLS 1.1, static RSA and CBC (each refused client first succeeds against a permissive server with the
 * same certificate, so the refusal is the policy's), does not ask for a client certificate, and looks the same to
 * {@code openssl s_client} and {@code sslscan}.
 */
@ServerTest
class ServerTlsTest {
    private static final String OPENSSL = "/usr/bin/openssl";
    private static final String SSLSCAN = "/usr/bin/sslscan";
    private static ApplianceFixture fx;
    private final int port;
    private final int mtlsPort;

    ServerTlsTest(WebServer server) {
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

    private static SSLContext client() {
        return LiveTls.trusting(fx.app.ca().certificate());
    }

    @Test
    void tls13HandshakeWithTheApplianceCertificateAndTheConfiguredNames() throws Exception {
        SSLContext ctx = client();
        try (SSLSocket s = LiveTls.connect(ctx, port, TlsPolicy.clientParameters(ctx))) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(s.getSession().getCipherSuite()).isEqualTo(TlsPolicy.TLS13_CIPHER_SUITES.getFirst());
            X509Certificate leaf = (X509Certificate) s.getSession().getPeerCertificates()[0];
            X509Certificate ca = fx.app.ca().certificate();
            assertThat(leaf.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
            leaf.verify(ca.getPublicKey());
            List<String> sans = new ArrayList<>();
            for (List<?> san : leaf.getSubjectAlternativeNames()) {
                Object value = san.get(1);
                sans.add(((Integer) san.get(0) == 7 ? InetAddress.getByName((String) value).getHostAddress() : value)
                        .toString());
            }
            List<String> expected = new ArrayList<>(fx.app.config().dnsNames());
            fx.app.config().ipAddressValues().forEach(ip -> expected.add(ip.getHostAddress()));
            assertThat(sans).containsExactlyElementsOf(expected).contains("localhost", "127.0.0.1");
            assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        }
    }

    @Test
    void tls12WithEcdheAndAeadSucceeds() throws Exception {
        String suite = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384";
        SSLContext ctx = client();
        try (SSLSocket s = LiveTls.connect(ctx, port, LiveTls.only("TLSv1.2", suite))) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite()).isEqualTo(suite);
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        assertRefusedButPermissiveAccepts("TLSv1.1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        assertRefusedButPermissiveAccepts("TLSv1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void cbcSuiteIsRefusedInTls12() throws Exception {
        assertRefusedButPermissiveAccepts("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
    }

    /**
     * The server's certificate is EC, so a static-RSA suite could not be negotiated with it even without the policy;
     * this shows only that the live server does not accept it (the policy's own refusal against an RSA certificate is
     * proven in dev.cairn.mgmt.tls.TlsHandshakeTest).
     */
    @Test
    void staticRsaSuiteIsRefused() {
        SSLContext ctx = client();
        assertThatThrownBy(() -> LiveTls.connect(ctx, port, LiveTls.only("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"))
                .close()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theHttpsListenerDoesNotAskForAClientCertificate() throws Exception {
        SSLContext ctx = client();
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
            SSLParameters p = TlsPolicy.clientParameters(ctx);
            p.setProtocols(new String[] {protocol});
            try (SSLSocket s = LiveTls.connect(ctx, port, p)) {
                assertThat(s.getSession().getLocalCertificates()).as(protocol).isNull();
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String response = LiveTls.readResponse(s.getInputStream());
                assertThat(LiveTls.status(response)).as(protocol).isEqualTo(200);
            }
        }
        // openssl prints the CA names of a CertificateRequest; without one it says so
        LiveTls.Run run = LiveTls.run(Duration.ofSeconds(30), List.of(OPENSSL, "s_client", "-connect",
                "127.0.0.1:" + port, "-tls1_2"));
        assertThat(run.output()).contains("No client certificate CA names sent");
    }

    /** {@code suite} over {@code protocol} fails against the live server and succeeds against a permissive one. */
    private void assertRefusedButPermissiveAccepts(String protocol, String suite) throws Exception {
        SSLContext ctx = client();
        try (Permissive control = new Permissive()) {
            try (SSLSocket s = LiveTls.connect(ctx, control.socket.getLocalPort(), LiveTls.only(protocol, suite))) {
                assertThat(s.getInputStream().read()).as("control server for " + protocol + " " + suite).isEqualTo(42);
                assertThat(s.getSession().getCipherSuite()).isEqualTo(suite);
            }
        }
        assertThatThrownBy(() -> LiveTls.connect(ctx, port, LiveTls.only(protocol, suite)).close())
                .as(protocol + " " + suite).isInstanceOf(SSLHandshakeException.class);
    }

    /** A server with every protocol and suite the JDK has and a certificate from the same appliance CA. */
    private static final class Permissive implements AutoCloseable {
        final SSLServerSocket socket;
        final Thread thread;

        Permissive() throws Exception {
            ServerIdentity id = fx.app.ca().issueServerIdentity(List.of("localhost"),
                    List.of(InetAddress.getByName("127.0.0.1")), Duration.ofDays(1));
            char[] pw = {'x'};
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(id.keyStore(pw), pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 4,
                    InetAddress.getLoopbackAddress());
            socket.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"});
            socket.setEnabledCipherSuites(ctx.getSupportedSSLParameters().getCipherSuites());
            socket.setSoTimeout((int) LiveTls.TIMEOUT.toMillis());
            thread = Thread.ofPlatform().daemon().start(() -> {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.setSoTimeout((int) LiveTls.TIMEOUT.toMillis());
                    s.startHandshake();
                    s.getOutputStream().write(42);
                    s.getOutputStream().flush();
                    s.getInputStream().read();
                } catch (Exception ignored) {
                    // the client's assertion reports the failure
                }
            });
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(LiveTls.TIMEOUT.toMillis());
        }
    }

    @Test
    void opensslRefusesTls11AndAcceptsTls13() throws Exception {
        Path caFile = Files.createTempFile("cairn-ca-", ".pem");
        try {
            Files.writeString(caFile, pem(fx.app.ca().certificate()));
            LiveTls.Run tls13 = LiveTls.run(Duration.ofSeconds(30), List.of(OPENSSL, "s_client", "-connect",
                    "127.0.0.1:" + port, "-brief", "-tls1_3", "-CAfile", caFile.toString(), "-verify_return_error",
                    "-verify_ip", "127.0.0.1"));
            assertThat(tls13.exit()).as(tls13.output()).isZero();
            assertThat(tls13.output()).contains("Protocol version: TLSv1.3").contains("Verification: OK");
            // OpenSSL 3 offers TLS 1.1 only at security level 0
            LiveTls.Run tls11 = LiveTls.run(Duration.ofSeconds(30), List.of(OPENSSL, "s_client", "-connect",
                    "127.0.0.1:" + port, "-brief", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"));
            assertThat(tls11.exit()).as(tls11.output()).isNotZero();
            assertThat(tls11.output()).contains("alert protocol version");
        } finally {
            Files.deleteIfExists(caFile);
        }
    }

    @Test
    void sslscanFindsOnlyModernProtocolsAndForwardSecretAeadSuites() throws Exception {
        LiveTls.Run scan = LiveTls.run(Duration.ofSeconds(120), List.of(SSLSCAN, "--no-colour", "--no-heartbleed",
                "127.0.0.1:" + port));
        assertScan(scan);
    }

    static List<String> assertScan(LiveTls.Run scan) {
        String out = scan.output();
        assertThat(scan.exit()).as(out).isZero();
        for (String old : List.of("SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1")) {
            assertThat(out).as(out).containsPattern("(?m)^" + Pattern.quote(old) + "\\s+disabled\\s*$");
        }
        assertThat(out).as(out).containsPattern("(?m)^TLSv1\\.2\\s+enabled\\s*$")
                .containsPattern("(?m)^TLSv1\\.3\\s+enabled\\s*$");
        Matcher m = Pattern.compile("(?m)^(Preferred|Accepted)\\s+(TLSv1\\.[0-3]|SSLv[23])\\s+\\d+ bits\\s+(\\S+)")
                .matcher(out);
        List<String> accepted = new ArrayList<>();
        while (m.find()) {
            String version = m.group(2);
            String cipher = m.group(3);
            accepted.add(version + " " + cipher);
            assertThat(version).as(cipher).isIn("TLSv1.2", "TLSv1.3");
            if (version.equals("TLSv1.2")) {
                assertThat(cipher).as("TLS 1.2 suite").startsWith("ECDHE-");
            }
            assertThat(cipher).as(version).containsAnyOf("GCM", "CHACHA20");
        }
        assertThat(accepted).as(out).isNotEmpty().anyMatch(a -> a.startsWith("TLSv1.3"))
                .anyMatch(a -> a.startsWith("TLSv1.2"));
        return accepted;
    }

    static String pem(X509Certificate cert) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
