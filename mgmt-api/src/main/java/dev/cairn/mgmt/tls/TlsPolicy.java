package dev.cairn.mgmt.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one TLS policy of the appliance (docs/tls.md): protocols, cipher suites, named groups and signature schemes
 * as constants, and the {@link SSLParameters} every listener and every client uses. Every list is filtered against
 * what the running JDK supports, keeping the policy's order; if nothing usable is left the builders throw
 * {@link IllegalStateException} (fail closed, never the JDK defaults). Stateless and thread safe; each call returns
 * a fresh, caller-owned {@code SSLParameters}.
 */
public final class TlsPolicy {
    /** Enabled protocols, best first (docs/tls.md, section 1). */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.3 suites in server preference order (section 2). */
    public static final List<String> TLS13_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /** TLS 1.2 suites, ECDHE and AEAD only, in server preference order (section 2). */
    public static final List<String> TLS12_CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** All suites: the TLS 1.3 ones, then the TLS 1.2 ones (section 2). */
    public static final List<String> CIPHER_SUITES = concat(TLS13_CIPHER_SUITES, TLS12_CIPHER_SUITES);

    /** Key exchange groups, best first (section 3). */
    public static final List<String> NAMED_GROUPS = List.of("x25519", "secp256r1", "secp384r1");

    /** Signature schemes, best first; no SHA-1, no DSA (section 4). */
    public static final List<String> SIGNATURE_SCHEMES = List.of(
            "ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384", "ed25519",
            "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
            "rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512",
            "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512");

    /**
     * JVM-wide JSSE system properties the appliance's {@code Main} sets before anything touches TLS (section 5): no
     * client-initiated renegotiation, no stateless session tickets. Not set by this class.
     */
    public static final Map<String, String> JVM_PROPERTIES = jvmProperties();

    /** Endpoint identification for clients: the server certificate's SAN must match the host (section 6). */
    public static final String ENDPOINT_IDENTIFICATION = "HTTPS";

    private TlsPolicy() {
    }

    /**
     * A new {@link SSLContext} (protocol {@code TLS}, default {@code SecureRandom}) from the given managers (section
     * 6). Use it only with the parameters of {@link #serverParameters} or {@link #clientParameters}.
     *
     * @param keyManagers our own certificate and key (server certificate, or client certificate for mTLS); may be
     *                    empty for a client without a certificate
     * @param trustManagers whom we trust, normally {@link #trustOnly}; never null (null would mean the JDK's cacerts)
     */
    public static SSLContext newContext(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        Objects.requireNonNull(keyManagers, "keyManagers");
        Objects.requireNonNull(trustManagers, "trustManagers");
        if (trustManagers.length == 0) {
            throw new IllegalArgumentException("no trust managers: refusing the JDK's default trust store");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }

    /**
     * PKIX trust managers whose only anchors are {@code anchors} (for the mTLS listener and for agents: the appliance
     * CA). The JDK's {@code cacerts} is never consulted.
     */
    public static TrustManager[] trustOnly(X509Certificate... anchors) {
        if (anchors.length == 0) {
            throw new IllegalArgumentException("at least one trust anchor");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.length; i++) {
                store.setCertificateEntry("anchor-" + i, Objects.requireNonNull(anchors[i], "anchor"));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the trust managers", e);
        }
    }

    /**
     * Parameters for a listener (section 6).
     *
     * @param context the context the listener's sockets come from; its supported lists filter the policy
     * @param requireClientCert true for the mTLS listener: a handshake without a client certificate that the
     *                          context's trust managers accept fails
     * @throws IllegalStateException if the JDK supports nothing of a policy list (fail closed)
     */
    public static SSLParameters serverParameters(SSLContext context, boolean requireClientCert) {
        SSLParameters p = common(context);
        p.setUseCipherSuitesOrder(true);
        if (requireClientCert) {
            p.setNeedClientAuth(true);
        } else {
            p.setWantClientAuth(false);
        }
        return p;
    }

    /**
     * Parameters for a client (section 6): the policy's lists and host name verification ({@code HTTPS}).
     *
     * @throws IllegalStateException if the JDK supports nothing of a policy list (fail closed)
     */
    public static SSLParameters clientParameters(SSLContext context) {
        SSLParameters p = common(context);
        p.setEndpointIdentificationAlgorithm(ENDPOINT_IDENTIFICATION);
        return p;
    }

    private static SSLParameters common(SSLContext context) {
        SSLParameters supported = Objects.requireNonNull(context, "context").getSupportedSSLParameters();
        List<String> suites = filter(CIPHER_SUITES, supported.getCipherSuites(), "cipher suite");
        filter(TLS13_CIPHER_SUITES, supported.getCipherSuites(), "TLS 1.3 cipher suite");
        SSLParameters p = new SSLParameters();
        p.setProtocols(filter(PROTOCOLS, supported.getProtocols(), "protocol").toArray(String[]::new));
        p.setCipherSuites(suites.toArray(String[]::new));
        p.setNamedGroups(filter(NAMED_GROUPS, supported.getNamedGroups(), "named group").toArray(String[]::new));
        p.setSignatureSchemes(signatureSchemes(supported.getSignatureSchemes()).toArray(String[]::new));
        return p;
    }

    /**
     * The policy's signature schemes filtered by {@code supported}; SunJSSE (JDK 25) does not report its supported
     * schemes ({@code null}), then the whole list is passed: SunJSSE ignores names it does not know, and if it knew
     * none, every handshake would fail (closed). See docs/tls.md, section 4.
     */
    static List<String> signatureSchemes(String[] supported) {
        return supported == null ? SIGNATURE_SCHEMES : filter(SIGNATURE_SCHEMES, supported, "signature scheme");
    }

    /**
     * The policy entries the JDK supports, in the policy's order.
     *
     * @throws IllegalStateException if none is left (fail closed)
     */
    static List<String> filter(List<String> policy, String[] supported, String what) {
        Set<String> available = supported == null ? Set.of() : Set.copyOf(Arrays.asList(supported));
        List<String> kept = new ArrayList<>();
        for (String name : policy) {
            if (available.contains(name)) {
                kept.add(name);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalStateException("the JDK supports no " + what + " of the TLS policy (docs/tls.md): "
                    + "refusing to fall back to defaults");
        }
        return List.copyOf(kept);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static Map<String, String> jvmProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        m.put("jdk.tls.server.enableSessionTicketExtension", "false");
        return Collections.unmodifiableMap(m);
    }
}
