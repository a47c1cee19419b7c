package dev.cairn.mgmt.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.mgmt.tls.TlsLab.Outcome;
import dev.cairn.mgmt.tls.TlsLab.Server;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/tls.md, section 6: the mTLS listener requires a client certificate from the appliance CA, and only that. */
class MutualTlsTest {
    private static TestPki appliance;
    private static TestPki other;
    private static Server server;

    @BeforeAll
    static void start() {
        TlsLab.init();
        appliance = TestPki.create("Cairn appliance CA");
        other = TestPki.create("Some other CA");
        SSLContext ctx = TlsPolicy.newContext(appliance.issueEc("appliance").keyManagers(),
                TlsPolicy.trustOnly(appliance.caCertificate()));
        server = new Server(ctx, TlsPolicy.serverParameters(ctx, true));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static Outcome connect(KeyManager[] clientIdentity) throws InterruptedException {
        SSLContext ctx = TlsPolicy.newContext(clientIdentity, TlsPolicy.trustOnly(appliance.caCertificate()));
        return TlsLab.handshake(server, ctx, TlsPolicy.clientParameters(ctx));
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        Outcome o = connect(new KeyManager[0]);
        assertThat(o.succeeded()).isFalse();
        assertThat(o.serverError()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void clientWithCertificateFromAnotherCaIsRefused() throws Exception {
        Outcome o = connect(other.issueEc("agent-from-elsewhere").keyManagers());
        assertThat(o.succeeded()).isFalse();
        assertThat(o.serverError()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void selfSignedLookalikeOfTheApplianceCaIsRefused() throws Exception {
        // same subject name as the appliance CA, different key
        TestPki lookalike = TestPki.create("Cairn appliance CA");
        Outcome o = connect(lookalike.issueEc("agent-1").keyManagers());
        assertThat(o.succeeded()).isFalse();
        assertThat(o.serverError()).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void clientWithCertificateFromTheApplianceCaIsAccepted() throws Exception {
        TestPki.Identity agent = appliance.issueEc("agent-1");
        Outcome o = connect(agent.keyManagers());
        assertThat(o.succeeded()).as("client error %s, server error %s", o.clientError(), o.serverError()).isTrue();
        assertThat(o.server().getProtocol()).isEqualTo("TLSv1.3");
        X509Certificate seen = (X509Certificate) o.server().getPeerCertificates()[0];
        assertThat(seen).isEqualTo(agent.certificate());
    }
}
