package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.webauthn.SoftwareAuthenticator;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys through the real routing with a software authenticator that makes real attestation and assertion
 * signatures (origin https://localhost:8443, rpId localhost): registration by a logged-in user with fresh MFA,
 * login with password then passkey, refusal of a cloned authenticator whose counter does not grow (the session
 * stays password-only), and recovery codes for a user whose first and only MFA device is a passkey.
 */
@RoutingTest
class PasskeyFlowTest {
    private static final String ORIGIN = "https://localhost:8443";
    private static ApplianceFixture fx;
    private final DirectClient client;

    PasskeyFlowTest(DirectClient client) {
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

    private static String login(String user) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + ApplianceFixture.PASSWORD + "\"}";
    }

    private static String credential(String responseJson, String label) {
        JsonNode response = Json.tree(responseJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "{\"credential\":" + response + (label == null ? "" : ",\"label\":\"" + label + "\"") + "}";
    }

    private Browser.Response passkeyLogin(Browser b, String user, SoftwareAuthenticator authenticator) {
        Browser.Response first = b.post("/api/v1/auth/login", login(user));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("methods").toString()).contains("passkey");
        Browser.Response options = b.post("/api/v1/auth/mfa/passkey/options");
        assertThat(options.status()).isEqualTo(200);
        return b.post("/api/v1/auth/mfa/passkey", credential(authenticator.authenticate(options.body()), null));
    }

    @Test
    void aRegisteredPasskeyLogsInAndACloneIsRefused() {
        byte[] secret = fx.user("pk-user", Role.AUDITOR);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN);
        Browser b = new Browser(client);
        assertThat(b.login(fx, "pk-user", secret).status()).isEqualTo(200);

        Browser.Response options = b.post("/api/v1/mfa/passkeys/options");
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.json().path("rp").path("id").asText()).isEqualTo("localhost");
        Browser.Response registered = b.post("/api/v1/mfa/passkeys", credential(authenticator.register(options.body()), "key"));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().path("recoveryCodes")).as("not a first enrollment").isEmpty();
        assertThat(fx.find("pk-user").passkeys()).hasSize(1);
        assertThat(b.post("/api/v1/auth/logout").status()).isEqualTo(204);

        Browser again = new Browser(client);
        Browser.Response done = passkeyLogin(again, "pk-user", authenticator);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("stage").asText()).isEqualTo("done");
        Browser.Response me = again.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("authMethod").asText()).isEqualTo("password+webauthn");
        assertThat(again.get("/api/v1/audit").status()).as("a full session").isEqualTo(200);

        authenticator.freezeCounter(true);
        Browser clone = new Browser(client);
        Browser.Response refused = passkeyLogin(clone, "pk-user", authenticator);
        assertThat(refused.status()).isEqualTo(401);
        Browser.Response notUpgraded = clone.get("/api/v1/me");
        assertThat(notUpgraded.status()).as("the session stays password-only").isEqualTo(401);
        assertThat(notUpgraded.detail()).contains("finish MFA first");

        authenticator.freezeCounter(false);
        Browser honest = new Browser(client);
        assertThat(passkeyLogin(honest, "pk-user", authenticator).status())
                .as("the same flow with a growing counter passes: the refusal was the counter").isEqualTo(200);
    }

    @Test
    void aFirstDeviceThatIsAPasskeyGetsRecoveryCodes() {
        fx.app.users().create("pk-first", ApplianceFixture.PASSWORD.toCharArray(), Set.of(Role.BACKUP_OPERATOR));
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN);
        Browser b = new Browser(client);
        Browser.Response first = b.post("/api/v1/auth/login", login("pk-first"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("stage").asText()).isEqualTo("enroll-mfa");
        assertThat(b.get("/api/v1/me").status()).isEqualTo(401);

        Browser.Response options = b.post("/api/v1/mfa/passkeys/options");
        assertThat(options.status()).isEqualTo(200);
        Browser.Response registered = b.post("/api/v1/mfa/passkeys", credential(authenticator.register(options.body()), "key"));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.json().path("stage").asText()).isEqualTo("done");
        assertThat(registered.json().path("recoveryCodes")).hasSize(10);
        Browser.Response me = b.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("authMethod").asText()).isEqualTo("password+webauthn");
        assertThat(fx.find("pk-first").recoveryCodeHashes()).hasSize(10);
    }
}
