package dev.cairn.mgmt.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.mgmt.tls.TlsLab.Outcome;
import dev.cairn.mgmt.tls.TlsLab.Server;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/tls.md, sections 1, 2 and 8: the policy server accepts TLS 1.3 and TLS 1.2 ECDHE-GCM and refuses legacy
 * protocols and suites that a permissive server, built here, accepts from the very same client.
 */
class TlsHandshakeTest {
    private static TestPki pki;
    private static TestPki.Identity ecServer;
    private static TestPki.Identity rsaServer;
    private static SSLContext client;

    @BeforeAll
    static void pki() {
        TlsLab.init();
        pki = TestPki.create("Cairn test CA");
        ecServer = pki.issueEc("appliance");
        rsaServer = pki.issueRsa("appliance-rsa");
        client = TlsPolicy.newContext(new KeyManager[0], TlsPolicy.trustOnly(pki.caCertificate()));
    }

    private static Server policyServer(TestPki.Identity id) {
        SSLContext ctx = TlsPolicy.newContext(id.keyManagers(), TlsPolicy.trustOnly(pki.caCertificate()));
        return new Server(ctx, TlsPolicy.serverParameters(ctx, false));
    }

    private static Server permissiveServer(TestPki.Identity id) {
        SSLContext ctx = TlsPolicy.newContext(id.keyManagers(), TlsPolicy.trustOnly(pki.caCertificate()));
        return new Server(ctx, TlsLab.permissive(ctx));
    }

    @Test
    void tls13HandshakeWithThePolicyClient() throws Exception {
        try (Server server = policyServer(ecServer)) {
            Outcome o = TlsLab.handshake(server, client, TlsPolicy.clientParameters(client));
            assertThat(o.succeeded()).as("client error %s, server error %s", o.clientError(), o.serverError())
                    .isTrue();
            assertThat(o.client().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(o.server().getCipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256"); // the server's first choice
        }
    }

    @Test
    void tls12EcdheGcmHandshake() throws Exception {
        SSLParameters tls12 = TlsPolicy.clientParameters(client);
        tls12.setProtocols(new String[] {"TLSv1.2"});
        try (Server server = policyServer(ecServer)) {
            Outcome o = TlsLab.handshake(server, client, tls12);
            assertThat(o.succeeded()).as("client error %s, server error %s", o.clientError(), o.serverError())
                    .isTrue();
            assertThat(o.server().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(o.server().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
    }

    @Test
    void clientTrustsOnlyItsAnchors() throws Exception {
        TestPki.Identity foreign = TestPki.create("other").issueEc("x");
        SSLContext trustingOther = TlsPolicy.newContext(new KeyManager[0], TlsPolicy.trustOnly(
                foreign.chain()[1]));
        try (Server server = policyServer(foreign)) {
            Outcome o = TlsLab.handshake(server, trustingOther, TlsPolicy.clientParameters(trustingOther));
            assertThat(o.succeeded()).isTrue(); // right CA, SAN 127.0.0.1: fine
        }
        SSLContext trustingOurs = client;
        try (Server server = policyServer(foreign)) {
            Outcome o = TlsLab.handshake(server, trustingOurs, TlsPolicy.clientParameters(trustingOurs));
            assertThat(o.succeeded()).isFalse(); // a server certificate from another CA is refused by the client
            assertThat(o.clientError()).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void policyClientChecksTheHostName() throws Exception {
        // same CA, but the certificate names only another host: 127.0.0.1 does not match it
        TestPki.Identity elsewhere = pki.issueEcFor("nas", "nas.clinic.example");
        try (Server server = policyServer(elsewhere)) {
            Outcome o = TlsLab.handshake(server, client, TlsPolicy.clientParameters(client));
            assertThat(o.succeeded()).isFalse();
            assertThat(o.clientError()).isInstanceOf(SSLHandshakeException.class);
        }
        // control: without endpoint identification the same client and certificate succeed
        SSLParameters noHostCheck = TlsPolicy.clientParameters(client);
        noHostCheck.setEndpointIdentificationAlgorithm(null);
        try (Server server = policyServer(elsewhere)) {
            assertThat(TlsLab.handshake(server, client, noHostCheck).succeeded()).isTrue();
        }
    }

    @Test
    void tls11ClientIsRefusedButAPermissiveServerAcceptsIt() throws Exception {
        assertRefusedByPolicyOnly(ecServer, TlsLab.only("TLSv1.1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
                "TLSv1.1");
    }

    @Test
    void tls10ClientIsRefusedButAPermissiveServerAcceptsIt() throws Exception {
        assertRefusedByPolicyOnly(ecServer, TlsLab.only("TLSv1", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), "TLSv1");
    }

    @Test
    void staticRsaKeyExchangeIsRefused() throws Exception {
        // the RSA-certificate policy server works for a policy client (ECDHE_RSA / TLS 1.3) ...
        try (Server server = policyServer(rsaServer)) {
            assertThat(TlsLab.handshake(server, client, TlsPolicy.clientParameters(client)).succeeded()).isTrue();
        }
        // ... but not for a client offering only static RSA (no forward secrecy)
        assertRefusedByPolicyOnly(rsaServer, TlsLab.only("TLSv1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256"), "TLSv1.2");
    }

    @Test
    void ecdheCbcSuiteIsRefused() throws Exception {
        assertRefusedByPolicyOnly(ecServer, TlsLab.only("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
                "TLSv1.2");
    }

    private static void assertRefusedByPolicyOnly(TestPki.Identity id, SSLParameters offer, String protocol)
            throws Exception {
        try (Server permissive = permissiveServer(id)) {
            Outcome control = TlsLab.handshake(permissive, client, offer);
            assertThat(control.succeeded())
                    .as("control: the client works against a permissive server (client error %s, server error %s)",
                            control.clientError(), control.serverError())
                    .isTrue();
            assertThat(control.server().getProtocol()).isEqualTo(protocol);
            assertThat(control.server().getCipherSuite()).isEqualTo(offer.getCipherSuites()[0]);
        }
        try (Server server = policyServer(id)) {
            Outcome o = TlsLab.handshake(server, client, offer);
            assertThat(o.succeeded()).isFalse();
            assertThat(o.server()).isNull();
            assertThat(o.serverError()).as("the server itself refused").isInstanceOf(SSLHandshakeException.class);
        }
    }
}
