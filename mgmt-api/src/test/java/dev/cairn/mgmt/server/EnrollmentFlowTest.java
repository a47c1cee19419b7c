package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.mgmt.tls.SecurityHeaders;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * First-administrator enrollment through the real routing on an empty user store: a weak password is refused
 * without spending the one-time token; the token opens an enrolling session that can do nothing but enroll MFA;
 * TOTP enrollment gives ten recovery codes and a full administrator + security-officer session; the token does not
 * work twice; the enrollment page is served with the security headers and the CSP.
 */
@RoutingTest
class EnrollmentFlowTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    EnrollmentFlowTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        fx = ApplianceFixture.create();
        ApiServer.routing(routing, fx.app);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static String enroll(String token, String user, String password) {
        return "{\"token\":\"" + token + "\",\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    /** RFC 4648 base32 without padding, as the otpauth secret is sent. */
    private static byte[] base32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : s.replace("=", "").toUpperCase().toCharArray()) {
            int v = alphabet.indexOf(c);
            assertThat(v).as("base32 character").isNotNegative();
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    @Test
    void theFirstAdministratorEnrollsOnceAndMustEnrollMfaFirst() {
        assertThat(fx.app.users().isEmpty()).isTrue();
        String token = fx.app.enrollment().createIfNoUsers(fx.app.users(), Duration.ofHours(1)).orElseThrow();

        Browser b = new Browser(client);
        Browser.Response weak = b.post("/api/v1/enroll", enroll(token, "first-admin", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(b.cookie).isNull();
        assertThat(fx.app.users().isEmpty()).as("nothing created").isTrue();
        assertThat(fx.app.enrollment().pending()).as("the token survives a refused password").isTrue();

        Browser.Response enrolled = b.post("/api/v1/enroll", enroll(token, "first-admin", ApplianceFixture.PASSWORD));
        assertThat(enrolled.status()).isEqualTo(200);
        assertThat(enrolled.json().path("stage").asText()).isEqualTo("enroll-mfa");
        assertThat(b.cookie).isNotNull();
        Browser.Response me = b.get("/api/v1/me");
        assertThat(me.status()).as("no access before MFA is enrolled").isEqualTo(401);
        assertThat(me.detail()).contains("enroll an MFA device first");
        assertThat(b.get("/api/v1/users").status()).isEqualTo(401);

        Browser.Response begin = b.post("/api/v1/mfa/totp");
        assertThat(begin.status()).isEqualTo(200);
        String secretText = begin.json().path("secret").asText();
        assertThat(begin.json().path("otpauthUri").asText()).startsWith("otpauth://totp/").contains("secret=" + secretText);
        byte[] secret = base32(secretText);

        assertThat(b.post("/api/v1/mfa/totp/confirm", "{\"code\":\"" + (fx.totp(secret).equals("000000") ? "111111" : "000000")
                + "\"}").status()).as("a wrong code").isEqualTo(401);
        String beforeConfirm = b.cookie;
        Browser.Response confirmed = b.post("/api/v1/mfa/totp/confirm", "{\"code\":\"" + fx.totp(secret) + "\"}");
        assertThat(confirmed.status()).isEqualTo(200);
        assertThat(confirmed.json().path("stage").asText()).isEqualTo("done");
        List<String> codes = new ArrayList<>();
        for (JsonNode c : confirmed.json().path("recoveryCodes")) {
            codes.add(c.asText());
        }
        assertThat(codes).hasSize(10).doesNotHaveDuplicates();
        assertThat(b.cookie).as("the session token rotates").isNotEqualTo(beforeConfirm);

        Browser.Response full = b.get("/api/v1/me");
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.json().path("username").asText()).isEqualTo("first-admin");
        assertThat(full.json().path("authMethod").asText()).isEqualTo("password+totp");
        assertThat(full.json().path("roles").toString()).contains("administrator", "security-officer");
        assertThat(b.get("/api/v1/users").status()).isEqualTo(200);

        Browser again = new Browser(client);
        assertThat(again.post("/api/v1/enroll", enroll(token, "second-admin", ApplianceFixture.PASSWORD)).status())
                .as("the token is spent").isEqualTo(401);
        assertThat(again.cookie).isNull();
        assertThat(fx.app.users().find("second-admin")).isEmpty();
        assertThat(fx.app.enrollment().createIfNoUsers(fx.app.users(), Duration.ofHours(1)))
                .as("no new link once an administrator exists").isEmpty();

        fx.clock.advance(Duration.ofSeconds(30));
        Browser login = new Browser(client);
        assertThat(login.login(fx, "first-admin", secret).status()).as("the enrolled secret logs in").isEqualTo(200);
    }

    @Test
    void theEnrollmentPageIsServedWithTheSecurityHeaders() {
        try (Http1ClientResponse res = client.get("/enroll").request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElse("")).startsWith("text/html");
            String csp = res.headers().first(HeaderNames.create("Content-Security-Policy")).orElseThrow();
            assertThat(csp).isEqualTo(SecurityHeaders.CONTENT_SECURITY_POLICY).contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            SecurityHeaders.ALL.forEach((name, value) ->
                    assertThat(res.headers().first(HeaderNames.create(name))).as(name).contains(value));
            String html = res.as(String.class);
            assertThat(html).containsIgnoringCase("<html").contains("/assets/enroll.js");
            assertThat(html).as("no inline script under this CSP").doesNotContainPattern("<script>(?s).*\\S.*</script>");
        }
    }
}
