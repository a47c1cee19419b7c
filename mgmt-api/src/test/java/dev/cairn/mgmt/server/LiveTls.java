package dev.cairn.mgmt.server;

import dev.cairn.mgmt.tls.TlsPolicy;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Clients for the tests against the live server (real sockets on 127.0.0.1): TLS contexts that trust only the
 * appliance CA, with or without a client certificate; the JDK HTTP client; raw HTTP/1.1 over an {@link SSLSocket};
 * external tools with a timeout. Loading this class empties {@code jdk.tls.disabledAlgorithms} in the test JVM (as
 * the {@code dev.cairn.mgmt.tls} tests do), so a refusal seen by these tests is the server policy's doing.
 */
final class LiveTls {
    static {
        Security.setProperty("jdk.tls.disabledAlgorithms", "");
    }

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private LiveTls() {
    }

    /** Forces the class initialiser (and so the JVM setting) to run; call it before anything does TLS. */
    static void init() {
    }

    /** A TLS context that trusts only {@code ca} and has no client certificate. */
    static SSLContext trusting(X509Certificate ca) {
        return TlsPolicy.newContext(new KeyManager[0], TlsPolicy.trustOnly(ca));
    }

    /** A TLS context that trusts only {@code ca} and presents {@code cert} (signed by {@code chain}) with {@code key}. */
    static SSLContext withClientCertificate(X509Certificate ca, KeyPair key, X509Certificate cert) {
        try {
            char[] pw = {'x'};
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key.getPrivate(), pw, new Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, pw);
            return TlsPolicy.newContext(kmf.getKeyManagers(), TlsPolicy.trustOnly(ca));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh EC P-256 key pair. */
    static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#10 request (PEM) for {@code key}, signed with it. */
    static String csr(KeyPair key, String cn) {
        try {
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
            var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), key.getPublic()).build(signer);
            StringWriter out = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(out)) {
                w.writeObject(req);
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HTTP/1.1 client using {@code context} with the policy's client parameters (host name checked). */
    static HttpClient http(SSLContext context) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                .sslParameters(TlsPolicy.clientParameters(context)).connectTimeout(TIMEOUT).build();
    }

    static HttpResponse<String> get(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(port, path)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(port, path)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> postJson(HttpClient client, int port, String path, String json) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(port, path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI uri(int port, String path) {
        return URI.create("https://127.0.0.1:" + port + path);
    }

    /** A connected, handshaken socket to 127.0.0.1:{@code port} with these client parameters. */
    static SSLSocket connect(SSLContext context, int port, SSLParameters parameters) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) TIMEOUT.toMillis());
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.setSSLParameters(parameters);
            s.startHandshake();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Client parameters offering exactly one protocol and one suite (no host name check). */
    static SSLParameters only(String protocol, String suite) {
        SSLParameters p = new SSLParameters();
        p.setProtocols(new String[] {protocol});
        p.setCipherSuites(new String[] {suite});
        return p;
    }

    /**
     * Writes {@code request} on a fresh connection and reads until the server closes it; returns what was read
     * (possibly empty). A write failure (the server closed early) is ignored: what the server sent before counts.
     */
    static String exchange(SSLContext context, int port, byte[]... request) throws IOException {
        try (SSLSocket s = connect(context, port, TlsPolicy.clientParameters(context))) {
            try {
                for (byte[] part : request) {
                    s.getOutputStream().write(part);
                    s.getOutputStream().flush();
                }
            } catch (IOException closedEarly) {
                // read what the server said before closing
            }
            return new String(readToEnd(s.getInputStream()), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] readToEnd(InputStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // a reset after the response: keep what arrived
        }
        return out.toByteArray();
    }

    /** Reads one HTTP/1.1 response with a Content-Length (or none) from {@code in}: head and body. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            out.write(b);
        }
        String head = out.toString(StandardCharsets.ISO_8859_1);
        var m = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** The status code of a raw HTTP/1.1 response, or -1 when there is none. */
    static int status(String rawResponse) {
        if (!rawResponse.startsWith("HTTP/1.1 ") || rawResponse.length() < 12) {
            return -1;
        }
        return Integer.parseInt(rawResponse.substring(9, 12));
    }

    /** What an external command printed (stdout and stderr) and its exit code. */
    record Run(int exit, String output) {
    }

    /** Runs {@code cmd} with stdin closed, at most {@code timeout}; the process is always stopped. */
    static Run run(Duration timeout, List<String> cmd) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(cmd.getFirst())), cmd.getFirst() + " is not installed");
        Path out = Files.createTempFile("cairn-tool-", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("did not finish within " + timeout + ": " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
        } finally {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }
}
