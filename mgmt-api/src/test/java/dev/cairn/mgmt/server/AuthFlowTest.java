package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.audit.AuditEntry;
import dev.cairn.mgmt.audit.AuditQuery;
import dev.cairn.mgmt.audit.AuditSearch;
import dev.cairn.mgmt.audit.Outcome;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login, MFA and sessions through the real routing: wrong password, wrong and replayed TOTP, expired sessions,
 * CSRF, session fixation, lockout, step-up, recovery codes, API tokens. Each test uses its own user.
 */
@RoutingTest
class AuthFlowTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    AuthFlowTest(DirectClient client) {
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

    private List<AuditEntry> audit(String action) throws Exception {
        return AuditSearch.search(fx.app.audit().directory(), new AuditQuery(null, null, null, action, null, null,
                AuditQuery.MAX_LIMIT, null)).entries();
    }

    @Test
    void passwordThenTotpGivesAFullSessionWithANewToken() {
        byte[] secret = fx.user("alice", Role.BACKUP_OPERATOR);
        Browser b = new Browser(client);
        Browser.Response first = b.post("/api/v1/auth/login", login("alice", ApplianceFixture.PASSWORD));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("stage").asText()).isEqualTo("mfa");
        assertThat(first.setCookies()).anySatisfy(c -> assertThat(c).startsWith(Gate.SESSION_COOKIE + "=")
                .contains("Secure").contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/"));
        String passwordOnly = b.cookie;
        assertThat(b.get("/api/v1/me").status()).as("no access before MFA").isEqualTo(401);

        Browser.Response mfa = b.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + fx.totp(secret) + "\"}");
        assertThat(mfa.status()).isEqualTo(200);
        assertThat(b.cookie).as("the token rotates at login").isNotEqualTo(passwordOnly);
        Browser.Response me = b.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("username").asText()).isEqualTo("alice");
        assertThat(me.json().path("authMethod").asText()).isEqualTo("password+totp");

        Browser old = new Browser(client);
        old.cookie = passwordOnly;
        assertThat(old.get("/api/v1/me").status()).as("the pre-MFA token is dead").isEqualTo(401);
    }

    @Test
    void wrongPasswordAndUnknownUserLookTheSameAndAreAudited() throws Exception {
        fx.user("bob", Role.AUDITOR);
        Browser b = new Browser(client);
        Browser.Response wrong = b.post("/api/v1/auth/login", login("bob", "not the password at all"));
        Browser.Response unknown = b.post("/api/v1/auth/login", login("nobody-here", "not the password at all"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.detail()).isEqualTo(unknown.detail());
        assertThat(b.cookie).isNull();
        assertThat(audit("auth.login")).anySatisfy(e -> {
            assertThat(e.event().actor()).isEqualTo("bob");
            assertThat(e.event().outcome()).isEqualTo(Outcome.DENIED);
            assertThat(e.event().userAgent()).isEqualTo("cairn-test");
        });
    }

    @Test
    void wrongTotpIsRefusedAndFiveEndTheSession() {
        fx.user("carol", Role.AUDITOR);
        Browser b = new Browser(client);
        b.post("/api/v1/auth/login", login("carol", ApplianceFixture.PASSWORD));
        for (int i = 0; i < AuthRoutes.MFA_ATTEMPTS - 1; i++) {
            assertThat(b.post("/api/v1/auth/mfa/totp", "{\"code\":\"000000\"}").status()).isEqualTo(401);
        }
        Browser.Response last = b.post("/api/v1/auth/mfa/totp", "{\"code\":\"000000\"}");
        assertThat(last.status()).isEqualTo(401);
        assertThat(last.detail()).contains("log in again");
        assertThat(b.post("/api/v1/auth/mfa/totp", "{\"code\":\"000000\"}").status()).isEqualTo(401);
    }

    @Test
    void aUsedTotpCodeCannotBeReplayed() {
        byte[] secret = fx.user("dave", Role.AUDITOR);
        String code = fx.totp(secret);
        Browser b = new Browser(client);
        b.post("/api/v1/auth/login", login("dave", ApplianceFixture.PASSWORD));
        assertThat(b.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + code + "\"}").status()).isEqualTo(200);
        Browser again = new Browser(client);
        again.post("/api/v1/auth/login", login("dave", ApplianceFixture.PASSWORD));
        Browser.Response replay = again.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + code + "\"}");
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.detail()).contains("already used");
    }

    @Test
    void anIdleSessionExpires() {
        byte[] secret = fx.user("erin", Role.AUDITOR);
        Browser b = new Browser(client);
        assertThat(b.login(fx, "erin", secret).status()).isEqualTo(200);
        assertThat(b.get("/api/v1/me").status()).isEqualTo(200);
        fx.clock.advance(Duration.ofMinutes(16));
        Browser.Response expired = b.get("/api/v1/me");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.detail()).contains("session has ended");
    }

    @Test
    void changesWithoutTheCsrfTokenAreRefused() {
        byte[] secret = fx.user("frank", Role.ADMINISTRATOR);
        Browser b = new Browser(client);
        b.login(fx, "frank", secret);
        String token = b.csrf;
        b.csrf = null;
        Browser.Response none = b.post("/api/v1/auth/logout");
        assertThat(none.status()).isEqualTo(403);
        assertThat(none.type()).isEqualTo(ApiException.ACCESS_DENIED);
        b.csrf = token.substring(1) + "x";
        assertThat(b.post("/api/v1/auth/logout").status()).isEqualTo(403);
        b.csrf = token;
        assertThat(b.post("/api/v1/auth/logout").status()).isEqualTo(204);
        assertThat(b.get("/api/v1/me").status()).as("logged out").isEqualTo(401);
    }

    @Test
    void aPlantedSessionTokenIsNotKeptThroughLogin() {
        byte[] secret = fx.user("grace", Role.AUDITOR);
        fx.user("mallory", Role.AUDITOR);
        Browser attacker = new Browser(client);
        attacker.post("/api/v1/auth/login", login("mallory", ApplianceFixture.PASSWORD));
        String planted = attacker.cookie;

        Browser victim = new Browser(client);
        victim.cookie = planted;
        victim.csrf = attacker.csrf;
        assertThat(victim.login(fx, "grace", secret).status()).isEqualTo(200);
        assertThat(victim.cookie).isNotEqualTo(planted);
        assertThat(victim.get("/api/v1/me").json().path("username").asText()).isEqualTo("grace");
        assertThat(attacker.get("/api/v1/me").status()).as("the planted token is dead").isEqualTo(401);
        assertThat(attacker.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + fx.totp(secret) + "\"}").status()).isEqualTo(401);
    }

    @Test
    void repeatedFailuresBackOffWithoutEverLockingAndASecurityOfficerCanClearIt() {
        fx.user("heidi", Role.AUDITOR);
        byte[] officer = fx.user("ivan", Role.SECURITY_OFFICER);
        Browser b = new Browser(client);
        for (int i = 0; i < 3; i++) {
            assertThat(b.post("/api/v1/auth/login", login("heidi", "wrong password number " + i)).status()).isEqualTo(401);
        }
        for (int i = 3; i < 15; i++) {
            assertThat(b.post("/api/v1/auth/login", login("heidi", "wrong password number " + i)).status()).isEqualTo(401);
            Browser.Response wait = b.post("/api/v1/auth/login", login("heidi", ApplianceFixture.PASSWORD));
            assertThat(wait.status()).as("backoff: even the right password waits").isEqualTo(429);
            assertThat(wait.retryAfter()).isNotNull();
            assertThat(Long.parseLong(wait.retryAfter())).as("never more than 15 minutes").isBetween(1L, 15 * 60L);
            fx.clock.advance(Duration.ofSeconds(Long.parseLong(wait.retryAfter())));
        }
        assertThat(b.post("/api/v1/auth/login", login("heidi", ApplianceFixture.PASSWORD)).status())
                .as("15 wrong passwords never lock the account: guessing cannot lock out the clinic's staff").isEqualTo(200);

        b.post("/api/v1/auth/logout");
        for (int i = 0; i < 6; i++) {
            b.post("/api/v1/auth/login", login("heidi", "wrong again " + i));
        }
        assertThat(b.post("/api/v1/auth/login", login("heidi", ApplianceFixture.PASSWORD)).status()).isEqualTo(429);
        Browser so = new Browser(client);
        so.login(fx, "ivan", officer);
        assertThat(so.post("/api/v1/users/heidi/unlock").status()).isEqualTo(200);
        assertThat(b.post("/api/v1/auth/login", login("heidi", ApplianceFixture.PASSWORD)).status()).isEqualTo(200);
    }

    @Test
    void destructiveOperationsNeedRecentMfa() {
        byte[] secret = fx.user("judy", Role.ADMINISTRATOR);
        Browser b = new Browser(client);
        b.login(fx, "judy", secret);
        fx.clock.advance(Duration.ofMinutes(6));
        b.get("/api/v1/me"); // keeps the session alive (idle timeout 15 min)
        String create = "{\"username\":\"kim\",\"password\":\"" + ApplianceFixture.PASSWORD + "\",\"roles\":[\"auditor\"]}";
        Browser.Response stale = b.post("/api/v1/users", create);
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.json().path("title").asText()).isEqualTo("Step-up required");
        String before = b.cookie;
        assertThat(b.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + fx.totp(secret) + "\"}").status()).isEqualTo(200);
        assertThat(b.cookie).as("step-up rotates the token").isNotEqualTo(before);
        assertThat(b.post("/api/v1/users", create).status()).isEqualTo(201);
        assertThat(fx.app.users().find("kim")).isPresent();
    }

    @Test
    void aRecoveryCodeWorksOnce() {
        fx.user("leo", Role.AUDITOR);
        List<String> codes = fx.app.mfa().issueRecoveryCodes("leo").codes();
        Browser b = new Browser(client);
        b.post("/api/v1/auth/login", login("leo", ApplianceFixture.PASSWORD));
        assertThat(b.post("/api/v1/auth/mfa/recovery-code", "{\"code\":\"" + codes.get(0) + "\"}").status()).isEqualTo(200);
        assertThat(b.get("/api/v1/me").json().path("authMethod").asText()).isEqualTo("password+recovery-code");
        Browser again = new Browser(client);
        again.post("/api/v1/auth/login", login("leo", ApplianceFixture.PASSWORD));
        assertThat(again.post("/api/v1/auth/mfa/recovery-code", "{\"code\":\"" + codes.get(0) + "\"}").status()).isEqualTo(401);
    }

    @Test
    void aPasswordOnlySessionCannotEnrollAnotherDevice() {
        fx.user("mike", Role.AUDITOR);
        Browser b = new Browser(client);
        b.post("/api/v1/auth/login", login("mike", ApplianceFixture.PASSWORD));
        Browser.Response r = b.post("/api/v1/mfa/totp");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.type()).isEqualTo(ApiException.ACCESS_DENIED);
    }

    @Test
    void apiTokensAreScopedAndRevocable() {
        byte[] secret = fx.user("nina", Role.ADMINISTRATOR);
        Browser b = new Browser(client);
        b.login(fx, "nina", secret);
        assertThat(b.post("/api/v1/tokens", "{\"label\":\"x\",\"scopes\":[\"keys_manage\"],\"days\":1}").status())
                .as("not a permission of hers").isEqualTo(403);
        Browser.Response issued = b.post("/api/v1/tokens", "{\"label\":\"ci\",\"scopes\":[\"users_read\"],\"days\":1}");
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.json().path("token").asText();
        String id = issued.json().path("id").asText();

        Browser api = new Browser(client);
        api.userAgent = "ci";
        var asToken = client.get("/api/v1/users").header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer " + token).request();
        assertThat(asToken.status().code()).isEqualTo(200);
        asToken.close();
        var outOfScope = client.get("/api/v1/audit").header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer " + token).request();
        assertThat(outOfScope.status().code()).as("audit_read is hers but not the token's").isEqualTo(403);
        outOfScope.close();
        assertThat(fx.app.tokens().list("nina")).hasSize(1);
        assertThat(b.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
        var revoked = client.get("/api/v1/users").header(io.helidon.http.HeaderNames.AUTHORIZATION, "Bearer " + token).request();
        assertThat(revoked.status().code()).isEqualTo(401);
        revoked.close();
    }
}
