package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.tls.SecurityHeaders;
import dev.cairn.mgmt.tls.TlsPolicy;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API over real HTTPS on the live server: the unauthenticated answer is a 401 problem, /health answers, every
 * response (200, 401, 404, 413, 400) carries {@link SecurityHeaders#ALL}, the session cookie follows the
 * {@code __Host-} rules, oversized bodies and malformed request lines get a 4xx (never a 5xx), and the CA certificate
 * is downloadable.
 */
@ServerTest
class HttpsApiTest {
    private static ApplianceFixture fx;
    private final int port;

    HttpsApiTest(WebServer server) {
        this.port = server.port();
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

    private static HttpClient http() {
        return LiveTls.http(LiveTls.trusting(fx.app.ca().certificate()));
    }

    private static void assertSecurityHeaders(HttpResponse<?> res) {
        SecurityHeaders.ALL.forEach((name, value) ->
                assertThat(res.headers().allValues(name)).as(res.statusCode() + " " + name).containsExactly(value));
    }

    @Test
    void meWithoutCredentialsIs401ProblemWithSecurityHeaders() throws Exception {
        try (HttpClient client = http()) {
            HttpResponse<String> res = LiveTls.get(client, port, "/api/v1/me");
            assertThat(res.statusCode()).isEqualTo(401);
            assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("application/problem+json"));
            assertThat(Json.tree(res.body().getBytes(StandardCharsets.UTF_8)).path("status").asInt()).isEqualTo(401);
            assertSecurityHeaders(res);
        }
    }

    @Test
    void healthAnd404CarryTheSecurityHeaders() throws Exception {
        try (HttpClient client = http()) {
            HttpResponse<String> health = LiveTls.get(client, port, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertSecurityHeaders(health);
            HttpResponse<String> missing = LiveTls.get(client, port, "/no-such-page");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertSecurityHeaders(missing);
        }
    }

    @Test
    void theSessionCookieIsSecureHttpOnlyStrictAndHostPrefixed() throws Exception {
        fx.user("carol", Role.AUDITOR);
        try (HttpClient client = http()) {
            HttpResponse<String> res = LiveTls.postJson(client, port, "/api/v1/auth/login",
                    "{\"username\":\"carol\",\"password\":\"" + ApplianceFixture.PASSWORD + "\"}");
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            assertSecurityHeaders(res);
            List<String> cookies = res.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith(Gate.SESSION_COOKIE + "=")).toList();
            assertThat(cookies).hasSize(1);
            assertThat(Gate.SESSION_COOKIE).startsWith("__Host-");
            List<String> attributes = Arrays.stream(cookies.getFirst().split(";")).skip(1).map(String::trim).toList();
            assertThat(attributes).contains("Secure", "HttpOnly", "Path=/")
                    .anyMatch(a -> a.equalsIgnoreCase("SameSite=Strict"))
                    .noneMatch(a -> a.toLowerCase().startsWith("domain"));
            assertThat(cookies.getFirst().substring(Gate.SESSION_COOKIE.length() + 1).split(";")[0]).isNotEmpty();
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith4xx() throws Exception {
        byte[] big = new byte[(int) ApiServer.MAX_BODY_BYTES + 1024];
        Arrays.fill(big, (byte) 'a');
        big[0] = '"';
        big[big.length - 1] = '"';
        String head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + big.length + "\r\nConnection: close\r\n\r\n";
        String response = LiveTls.exchange(LiveTls.trusting(fx.app.ca().certificate()), port,
                head.getBytes(StandardCharsets.US_ASCII), big);
        // Helidon answers this 413 itself, before the routing, through ApiServer's direct handlers
        assertThat(LiveTls.status(response)).as(response).isEqualTo(413);
        assertRawSecurityHeaders(response);
        assertThat(response).contains(Problems.MEDIA_TYPE).doesNotContain("aaaaaaaa");
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedWith4xx() throws Exception {
        byte[] chunk = new byte[16 * 1024];
        Arrays.fill(chunk, (byte) 'a');
        String head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        byte[][] parts = new byte[2 + 3 * 6][];
        parts[0] = head.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 6; i++) {
            parts[1 + 3 * i] = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            parts[2 + 3 * i] = chunk;
            parts[3 + 3 * i] = "\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        parts[parts.length - 1] = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        String response = LiveTls.exchange(LiveTls.trusting(fx.app.ca().certificate()), port, parts);
        assertThat(LiveTls.status(response)).as(response).isEqualTo(413);
        assertRawSecurityHeaders(response);
    }

    @Test
    void malformedRequestLinesGet4xx() throws Exception {
        for (String line : List.of("GARBAGE\r\n\r\n", "GET /health\r\n\r\n", "GET /health HTTP/9.9\r\n\r\n",
                "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n",
                "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Bad header\r\n\r\n")) {
            String response = LiveTls.exchange(LiveTls.trusting(fx.app.ca().certificate()), port,
                    line.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(LiveTls.status(response)).as(line.length() > 60 ? "a 20000-byte path" : line)
                    .isBetween(400, 499);
            assertRawSecurityHeaders(response);
        }
    }

    @Test
    void aSlowRequestIsServedNever5xx() throws Exception {
        String request = "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        SSLContext ctx = LiveTls.trusting(fx.app.ca().certificate());
        try (SSLSocket s = LiveTls.connect(ctx, port, TlsPolicy.clientParameters(ctx))) {
            for (char ch : request.toCharArray()) { // one byte every 20 ms: about 1.2 s for the request
                s.getOutputStream().write(ch);
                s.getOutputStream().flush();
                Thread.sleep(20);
            }
            String response = LiveTls.readResponse(s.getInputStream());
            assertThat(LiveTls.status(response)).as(response).isEqualTo(200);
        }
    }

    private static void assertRawSecurityHeaders(String response) {
        String head = response.split("\r\n\r\n", 2)[0].toLowerCase();
        SecurityHeaders.ALL.forEach((name, value) ->
                assertThat(head).as(name).contains(name.toLowerCase() + ": " + value.toLowerCase()));
    }

    @Test
    void theCaCertificateIsDownloadable() throws Exception {
        try (HttpClient client = http()) {
            HttpResponse<byte[]> res = LiveTls.getBytes(client, port, "/ca.pem");
            assertThat(res.statusCode()).isEqualTo(200);
            assertSecurityHeaders(res);
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(res.body()));
            assertThat(cert).isEqualTo(fx.app.ca().certificate());
        }
    }
}
