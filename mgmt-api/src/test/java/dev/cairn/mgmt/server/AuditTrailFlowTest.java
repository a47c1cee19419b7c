package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.audit.AuditEntry;
import dev.cairn.mgmt.audit.AuditQuery;
import dev.cairn.mgmt.audit.AuditReport;
import dev.cairn.mgmt.audit.AuditSearch;
import dev.cairn.mgmt.audit.AuditVerifier;
import dev.cairn.mgmt.audit.Outcome;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail after a mixed run through the real routing (logins with TOTP and a recovery code, a wrong
 * password, user creation, an API token, break-glass, an MFA reset): the offline verifier and POST
 * /api/v1/audit/verify both find it clean; no byte of any audit file holds a password, TOTP code, recovery code,
 * API token or break-glass credential the run used; an MFA reset is audited as user.mfa-reset and ends the user's
 * sessions.
 */
@RoutingTest
class AuditTrailFlowTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    AuditTrailFlowTest(DirectClient client) {
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

    private static String login(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    private String totpLogin(Browser b, String user, byte[] secret, List<String> used) {
        assertThat(b.post("/api/v1/auth/login", login(user, ApplianceFixture.PASSWORD)).status()).isEqualTo(200);
        String code = fx.totp(secret);
        used.add(code);
        assertThat(b.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + code + "\"}").status()).isEqualTo(200);
        fx.clock.advance(Duration.ofSeconds(30));
        return code;
    }

    private static byte[] allAuditBytes() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        try (Stream<Path> files = Files.walk(fx.app.audit().directory())) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.write(Files.readAllBytes(f));
            }
        }
        return out.toByteArray();
    }

    @Test
    void aMixedRunLeavesACleanTrailWithoutSecrets() throws Exception {
        List<String> secrets = new ArrayList<>();
        secrets.add(ApplianceFixture.PASSWORD);
        List<String> codes = new ArrayList<>();
        byte[] adminSecret = fx.user("admin-t", Role.ADMINISTRATOR);
        byte[] officerSecret = fx.user("so-t", Role.SECURITY_OFFICER);
        byte[] userSecret = fx.user("op-t", Role.BACKUP_OPERATOR);

        Browser admin = new Browser(client);
        totpLogin(admin, "admin-t", adminSecret, codes);
        String wrong = "a wrong password 9f3k2";
        secrets.add(wrong);
        assertThat(new Browser(client).post("/api/v1/auth/login", login("op-t", wrong)).status()).isEqualTo(401);
        String newPassword = "new user password 7d1q";
        secrets.add(newPassword);
        assertThat(admin.post("/api/v1/users", "{\"username\":\"new-t\",\"password\":\"" + newPassword
                + "\",\"roles\":[\"auditor\"]}").status()).isEqualTo(201);

        Browser.Response token = admin.post("/api/v1/tokens", "{\"label\":\"ci\",\"scopes\":[\"users_read\"],\"days\":1}");
        assertThat(token.status()).isEqualTo(201);
        String tokenText = token.json().path("token").asText();
        secrets.add(tokenText);
        try (Http1ClientResponse r = client.get("/api/v1/users").header(HeaderNames.AUTHORIZATION, "Bearer " + tokenText)
                .request()) {
            assertThat(r.status().code()).isEqualTo(200);
        }

        Browser op = new Browser(client);
        totpLogin(op, "op-t", userSecret, codes);
        Browser.Response issued = op.post("/api/v1/mfa/recovery-codes");
        assertThat(issued.status()).isEqualTo(200);
        List<String> recovery = new ArrayList<>();
        issued.json().path("recoveryCodes").forEach(c -> recovery.add(c.asText()));
        assertThat(recovery).hasSize(10);
        secrets.addAll(recovery);
        Browser op2 = new Browser(client);
        assertThat(op2.post("/api/v1/auth/login", login("op-t", ApplianceFixture.PASSWORD)).status()).isEqualTo(200);
        assertThat(op2.post("/api/v1/auth/mfa/recovery-code", "{\"code\":\"" + recovery.get(0) + "\"}").status())
                .isEqualTo(200);

        String credential = fx.app.breakGlass().seal(Appliance.BREAK_GLASS_ACCOUNT);
        secrets.add(credential);
        Browser bg = new Browser(client);
        assertThat(bg.post("/api/v1/auth/break-glass", "{\"account\":\"" + Appliance.BREAK_GLASS_ACCOUNT
                + "\",\"credential\":\"" + credential + "\"}").status()).isEqualTo(200);
        assertThat(bg.get("/api/v1/users").status()).isEqualTo(200);

        // MFA reset by a security officer ends every session of the user
        Browser officer = new Browser(client);
        totpLogin(officer, "so-t", officerSecret, codes);
        assertThat(op.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(op2.get("/api/v1/me").status()).isEqualTo(200);
        Browser.Response reset = officer.post("/api/v1/users/op-t/mfa-reset");
        assertThat(reset.status()).isEqualTo(200);
        assertThat(op.get("/api/v1/me").status()).as("the user's sessions end").isEqualTo(401);
        assertThat(op2.get("/api/v1/me").status()).isEqualTo(401);
        assertThat(fx.find("op-t").mfaEnrolled()).isFalse();
        List<AuditEntry> resets = AuditSearch.search(fx.app.audit().directory(), new AuditQuery(null, null, null,
                "user.mfa-reset", null, null, AuditQuery.MAX_LIMIT, null)).entries();
        assertThat(resets).singleElement().satisfies(e -> {
            assertThat(e.event().actor()).isEqualTo("so-t");
            assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(e.event().targets()).contains("user:op-t");
        });

        Browser.Response verified = officer.post("/api/v1/audit/verify");
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().path("findings")).isEmpty();
        assertThat(verified.json().path("entries").asLong()).isGreaterThan(10);

        Browser.Response pem = officer.get("/api/v1/audit/public-key");
        assertThat(pem.status()).isEqualTo(200);
        AuditReport offline = AuditVerifier.verify(fx.app.audit().directory(), AuditVerifier.readPublicKey(pem.body()));
        assertThat(offline.findings()).isEmpty();
        assertThat(offline.clean()).isTrue();
        assertThat(offline.checkpoints()).isPositive();

        String trail = new String(allAuditBytes(), StandardCharsets.UTF_8);
        assertThat(trail).contains("\"user.mfa-reset\"").contains("\"break-glass.use\"").contains("\"auth.recovery-code\"");
        assertThat(codes).as("three TOTP logins").hasSize(3);
        for (String s : secrets) {
            assertThat(trail).as("an audit file holds a secret of the run").doesNotContain(s);
        }
        for (String code : codes) {
            assertThat(trail).as("an audit file holds a TOTP code").doesNotContain(code);
        }
    }
}
