package dev.cairn.mgmt.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/tls.md, sections 1 to 6: the lists, the parameters built from them, and fail-closed filtering. */
class TlsPolicyTest {
    private static SSLContext context;

    @BeforeAll
    static void context() {
        TlsLab.init();
        context = TlsPolicy.newContext(new KeyManager[0],
                TlsPolicy.trustOnly(TestPki.create("CA").caCertificate()));
    }

    @Test
    void serverParametersCarryThePolicyExactlyOnThisJdk() {
        SSLParameters p = TlsPolicy.serverParameters(context, false);
        assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(p.getCipherSuites()).containsExactlyElementsOf(TlsPolicy.CIPHER_SUITES);
        assertThat(p.getNamedGroups()).containsExactlyElementsOf(TlsPolicy.NAMED_GROUPS);
        assertThat(p.getSignatureSchemes()).containsExactlyElementsOf(TlsPolicy.SIGNATURE_SCHEMES);
        assertThat(p.getUseCipherSuitesOrder()).isTrue();
        assertThat(p.getNeedClientAuth()).isFalse();
        assertThat(p.getWantClientAuth()).isFalse();
        assertThat(TlsPolicy.serverParameters(context, true).getNeedClientAuth()).isTrue();
    }

    @Test
    void clientParametersVerifyTheHostName() {
        SSLParameters p = TlsPolicy.clientParameters(context);
        assertThat(p.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(p.getCipherSuites()).containsExactlyElementsOf(TlsPolicy.CIPHER_SUITES);
        assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void everyTls12SuiteIsEcdheWithAead() {
        assertThat(TlsPolicy.TLS12_CIPHER_SUITES).allSatisfy(s -> {
            assertThat(s).startsWith("TLS_ECDHE_");
            assertThat(s).containsAnyOf("_GCM_", "_CHACHA20_POLY1305_");
            assertThat(s).doesNotContain("CBC");
        });
        assertThat(TlsPolicy.SIGNATURE_SCHEMES).noneMatch(s -> s.contains("sha1") || s.startsWith("dsa"));
    }

    @Test
    void filterKeepsThePolicyOrderAndDropsWhatTheJdkLacks() {
        List<String> kept = TlsPolicy.filter(List.of("a", "b", "c"), new String[] {"c", "x", "a"}, "thing");
        assertThat(kept).containsExactly("a", "c");
    }

    @Test
    void nothingAvailableFailsClosed() {
        assertThatThrownBy(() -> TlsPolicy.filter(TlsPolicy.CIPHER_SUITES,
                new String[] {"TLS_RSA_WITH_AES_128_CBC_SHA"}, "cipher suite"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no cipher suite");
        assertThatThrownBy(() -> TlsPolicy.filter(TlsPolicy.PROTOCOLS, null, "protocol"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signatureSchemesAreFilteredWhenTheJdkReportsThem() {
        assertThat(TlsPolicy.signatureSchemes(null)).isEqualTo(TlsPolicy.SIGNATURE_SCHEMES);
        assertThat(TlsPolicy.signatureSchemes(new String[] {"rsa_pkcs1_sha256", "ecdsa_sha1", "ed25519"}))
                .containsExactly("ed25519", "rsa_pkcs1_sha256");
        assertThatThrownBy(() -> TlsPolicy.signatureSchemes(new String[] {"ecdsa_sha1"}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theJdkDefaultTrustStoreIsNeverUsed() {
        assertThatThrownBy(() -> TlsPolicy.newContext(new KeyManager[0], new TrustManager[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsPolicy.newContext(new KeyManager[0], null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(TlsPolicy::trustOnly).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jvmPropertiesTurnOffRenegotiationAndTickets() {
        assertThat(TlsPolicy.JVM_PROPERTIES)
                .containsEntry("jdk.tls.rejectClientInitiatedRenegotiation", "true")
                .containsEntry("jdk.tls.server.enableSessionTicketExtension", "false");
    }
}
