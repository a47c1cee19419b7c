package dev.cairn.tests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Acceptance 2 of issue 5, as a process: {@code cairn serve --demo DIR} (what {@code ./cairn demo} runs) creates a
 * SoftHSM token, a repository and the appliance CA, prints the one-time enrollment URL and the break-glass
 * credential, and serves HTTPS where {@code openssl s_client -tls1_1} fails, {@code -tls1_3} succeeds and an
 * unauthenticated {@code GET /api/v1/me} gets 401. A restart keeps the CA and does not print a new break-glass
 * credential. Stopped with SIGTERM, it exits.
 */
class DemoServeTest {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Pattern ENROLL = Pattern.compile("https://localhost:(\\d+)/enroll#([A-Za-z0-9_-]{20,})");

    @TempDir
    Path dir;
    private Process process;

    @AfterEach
    void stop() throws InterruptedException, IOException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        // the audit trail's files are append-only (chattr +a) where the file system allows it: lift that so the
        // temp directory can be removed
        new ProcessBuilder("chattr", "-R", "-a", dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts serve --demo and waits for "running"; returns its stdout so far. */
    private String start(int port, int mtlsPort) throws Exception {
        Path out = dir.resolve("stdout-" + System.nanoTime());
        Path err = dir.resolve("stderr-" + System.nanoTime());
        List<String> cmd = CairnProcess.command("serve", "--demo", dir.resolve("demo").toString(),
                "--port", Integer.toString(port), "--mtls-port", Integer.toString(mtlsPort));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CAIRN_") || k.equals("SOFTHSM2_CONF"));
        process = pb.start();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.readString(out);
            if (text.contains("cairn: running")) {
                assertThat(Files.readString(err)).doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(");
                return text;
            }
            if (!process.isAlive()) {
                fail("serve exited with " + process.exitValue() + ":\n" + text + Files.readString(err));
            }
            Thread.sleep(200);
        }
        fail("serve did not start within " + START.toSeconds() + " s:\n" + Files.readString(out) + Files.readString(err));
        return "";
    }

    private static String openssl(int port, String version) throws Exception {
        Process p = new ProcessBuilder("timeout", "20", "openssl", "s_client", "-connect", "127.0.0.1:" + port, version)
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor(30, TimeUnit.SECONDS);
        return text;
    }

    private HttpClient client() throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(dir.resolve("demo/state/ca/ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void theDemoStartsPrintsTheEnrollmentUrlAndServesOnlyModernTls() throws Exception {
        int port = freePort();
        int mtls = freePort();
        String first = start(port, mtls);
        Matcher m = ENROLL.matcher(first);
        assertThat(m.find()).as("the enrollment URL is printed:\n%s", first).isTrue();
        assertThat(m.group(1)).isEqualTo(Integer.toString(port));
        assertThat(first).contains("BREAK-GLASS credential");

        assertThat(openssl(port, "-tls1_1")).as("TLS 1.1 is refused").doesNotContain("Cipher is TLS")
                .containsPattern("alert protocol version|no protocols available|wrong version number|handshake failure");
        assertThat(openssl(port, "-tls1_3")).as("TLS 1.3 works").contains("TLSv1.3");

        HttpClient client = client();
        HttpResponse<String> me = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/v1/me"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(me.headers().firstValue("strict-transport-security")).isPresent();

        byte[] caBefore = Files.readAllBytes(dir.resolve("demo/state/ca/ca.pem"));
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("SIGTERM stops it").isTrue();

        String second = start(port, mtls);
        assertThat(second).as("the credential is printed once only").doesNotContain("BREAK-GLASS credential");
        Matcher again = ENROLL.matcher(second);
        assertThat(again.find()).as("still no administrator, so a new enrollment link").isTrue();
        assertThat(again.group(2)).isNotEqualTo(m.group(2));
        assertThat(Files.readAllBytes(dir.resolve("demo/state/ca/ca.pem"))).as("the same CA").isEqualTo(caBefore);
    }
}
