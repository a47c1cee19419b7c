package dev.cairn.mgmt.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.hsm.testing.TestClock;
import dev.cairn.mgmt.tls.TlsPolicy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mTLS listener with the appliance CA over real sockets on 127.0.0.1 (docs/tls.md, section 6): TlsPolicy's
 * mTLS parameters, the CA's server identity and {@link ApplianceCa#clientTrustManager()}.
 *
 * <p>JSSE checks validity against the system clock, so the CA's clock starts at the current time here; no test
 * asserts a time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CaMutualTlsTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();
    private static final char[] PASSWORD = "in-memory".toCharArray();
    private static final Duration VALIDITY = Duration.ofDays(30);

    @TempDir
    static Path tmp;

    private final TestClock clock = new TestClock(Instant.now());
    private Pkcs11KeyVault vault;
    private Pkcs11KeyVault otherVault;
    private ApplianceCa ca;
    private ApplianceCa otherCa;
    private SSLServerSocket server;

    /** What a client and the server saw of one connection. */
    record Outcome(boolean clientGotReply, Throwable clientError, Throwable serverError) {
        String serverMessages() {
            StringBuilder b = new StringBuilder();
            for (Throwable t = serverError; t != null; t = t.getCause()) {
                b.append(t).append(" / ");
            }
            return b.toString();
        }
    }

    @BeforeAll
    void start() throws Exception {
        vault = HSM.token().open(clock);
        ca = ApplianceCa.open(tmp.resolve("ca"), vault.caSigner(), clock);
        otherVault = HSM.newToken().open(clock);
        otherCa = ApplianceCa.open(tmp.resolve("other-ca"), otherVault.caSigner(), clock);

        ServerIdentity id = ca.issueServerIdentity(List.of("localhost"), List.of(InetAddress.getLoopbackAddress()), VALIDITY);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(id.keyStore(PASSWORD), PASSWORD);
        SSLContext ctx = TlsPolicy.newContext(kmf.getKeyManagers(), new TrustManager[] {ca.clientTrustManager()});
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.setSSLParameters(TlsPolicy.serverParameters(ctx, true));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        vault.close();
        otherVault.close();
    }

    /** A client key and its certificate from {@code issuer}, as key managers. */
    private static KeyManager[] clientIdentity(ApplianceCa issuer, String subject) throws Exception {
        KeyPair kp = CaFixture.ec("secp256r1");
        IssuedCertificate ic = issuer.issueClientCertificate(subject, CaFixture.csr(kp), VALIDITY);
        return keyManagers(kp, ic.certificate(), issuer.certificate());
    }

    private static KeyManager[] keyManagers(KeyPair kp, X509Certificate cert, X509Certificate caCert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", kp.getPrivate(), PASSWORD, new Certificate[] {cert, caCert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, PASSWORD);
        return kmf.getKeyManagers();
    }

    /** One connection: the server handshakes and writes one byte; the client handshakes and reads it. */
    private Outcome connect(KeyManager[] clientKeys) throws Exception {
        CompletableFuture<Throwable> serverSide = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                s.setSoTimeout(10_000);
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(42);
                out.flush();
                s.getInputStream().read(); // wait for the client to close
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        SSLContext ctx = TlsPolicy.newContext(clientKeys, TlsPolicy.trustOnly(ca.certificate()));
        boolean reply = false;
        Throwable clientError = null;
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.setSSLParameters(TlsPolicy.clientParameters(ctx));
            s.startHandshake();
            InputStream in = s.getInputStream();
            reply = in.read() == 42; // with TLS 1.3 the server's refusal of our certificate arrives here
        } catch (Exception e) {
            clientError = e;
        }
        return new Outcome(reply, clientError, serverSide.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aClientCertificateFromTheCaConnects() throws Exception {
        Outcome o = connect(clientIdentity(ca, "agent:ward-1"));
        assertThat(o.clientGotReply()).as("client %s, server %s", o.clientError(), o.serverMessages()).isTrue();
        assertThat(o.serverError()).isNull();
    }

    @Test
    void aRevokedClientCertificateIsRefusedWithoutARestart() throws Exception {
        KeyPair kp = CaFixture.ec("secp256r1");
        IssuedCertificate ic = ca.issueClientCertificate("agent:stolen-laptop", CaFixture.csr(kp), VALIDITY);
        KeyManager[] keys = keyManagers(kp, ic.certificate(), ca.certificate());
        assertThat(connect(keys).clientGotReply()).isTrue();
        ca.revoke(ic.serial(), "keyCompromise");
        Outcome o = connect(keys);
        assertThat(o.clientGotReply()).isFalse();
        assertThat(o.serverError()).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThat(o.serverMessages()).contains("revoked");
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        Outcome o = connect(clientIdentity(otherCa, "agent:ward-1"));
        assertThat(o.clientGotReply()).isFalse();
        assertThat(o.serverError()).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void noClientCertificateIsRefused() throws Exception {
        Outcome o = connect(new KeyManager[0]);
        assertThat(o.clientGotReply()).isFalse();
        assertThat(o.serverError()).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void theServerCertificateIsNotAClientCertificate() throws Exception {
        // same CA, right chain, but issued for serverAuth only
        ServerIdentity other = ca.issueServerIdentity(List.of("not-a-client"), List.of(), VALIDITY);
        KeyStore ks = other.keyStore(PASSWORD);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, PASSWORD);
        Outcome o = connect(kmf.getKeyManagers());
        assertThat(o.clientGotReply()).isFalse();
        assertThat(o.serverError()).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
}
