package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Just-in-time elevation through the real routing: an auditor asks for backup-operator with a reason; nobody
 * approves their own request; after an administrator approves, the role applies only once the auditor activates
 * it in the session (which rotates the cookie), and it ends by itself at activeUntil; over-long requests are
 * refused.
 */
@RoutingTest
class ElevationFlowTest {
    private static final String VERIFY = "{\"readData\":false}";
    private static ApplianceFixture fx;
    private final DirectClient client;

    ElevationFlowTest(DirectClient client) {
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

    private Browser loggedIn(String user, byte[] secret) {
        Browser b = new Browser(client);
        assertThat(b.login(fx, user, secret).status()).isEqualTo(200);
        return b;
    }

    @Test
    void anApprovedElevationAppliesAfterActivationAndEndsByItself() {
        byte[] audSecret = fx.user("aud-e", Role.AUDITOR);
        byte[] adminSecret = fx.user("admin-e", Role.ADMINISTRATOR);
        Browser aud = loggedIn("aud-e", audSecret);
        Browser admin = loggedIn("admin-e", adminSecret);

        assertThat(aud.post("/api/v1/verify", VERIFY).status()).as("an auditor cannot verify").isEqualTo(403);
        Browser.Response asked = aud.post("/api/v1/elevations",
                "{\"role\":\"backup-operator\",\"minutes\":30,\"reason\":\"monthly restore test\"}");
        assertThat(asked.status()).isEqualTo(201);
        String id = asked.json().path("id").asText();
        assertThat(asked.json().path("status").asText()).isEqualToIgnoringCase("pending");

        assertThat(aud.post("/api/v1/elevations/" + id + "/approve").status()).as("no self-approval").isEqualTo(403);
        assertThat(aud.post("/api/v1/elevations/" + id + "/activate").status()).as("not approved yet").isEqualTo(409);
        Browser.Response approved = admin.post("/api/v1/elevations/" + id + "/approve");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.json().path("status").asText()).isEqualToIgnoringCase("active");
        Instant activeUntil = Instant.parse(approved.json().path("activeUntil").asText());

        assertThat(aud.post("/api/v1/verify", VERIFY).status()).as("not before activation").isEqualTo(403);
        String before = aud.cookie;
        Browser.Response activated = aud.post("/api/v1/elevations/" + id + "/activate");
        assertThat(activated.status()).isEqualTo(200);
        assertThat(activated.json().path("role").asText()).isEqualTo("backup-operator");
        assertThat(aud.cookie).as("activation rotates the session token").isNotEqualTo(before);
        Browser old = new Browser(client);
        old.cookie = before;
        assertThat(old.get("/api/v1/me").status()).as("the pre-activation token is dead").isEqualTo(401);

        assertThat(aud.get("/api/v1/me").json().path("roles").toString()).contains("backup-operator", "auditor");
        Browser.Response verify = aud.post("/api/v1/verify", VERIFY);
        assertThat(verify.status()).as("the role applies (no repository is configured here)").isEqualTo(409);

        // keep the session alive (idle timeout 15 min) until the grant runs out
        while (fx.clock.instant().plus(Duration.ofMinutes(10)).isBefore(activeUntil)) {
            fx.clock.advance(Duration.ofMinutes(10));
            assertThat(aud.get("/api/v1/me").status()).isEqualTo(200);
        }
        fx.clock.advance(Duration.between(fx.clock.instant(), activeUntil).plusSeconds(1));
        assertThat(aud.get("/api/v1/me").status()).isEqualTo(200);
        assertThat(aud.post("/api/v1/verify", VERIFY).status()).as("the grant ended by itself").isEqualTo(403);
        assertThat(aud.get("/api/v1/me").json().path("roles").toString()).doesNotContain("backup-operator");
        assertThat(fx.app.elevations().find(id).orElseThrow().status().name()).isEqualTo("EXPIRED");
    }

    @Test
    void activatingOneElevationDoesNotApplyAnotherApprovedOne() {
        byte[] audSecret = fx.user("aud-two", Role.AUDITOR);
        byte[] adminSecret = fx.user("admin-two", Role.ADMINISTRATOR);
        Browser aud = loggedIn("aud-two", audSecret);
        Browser admin = loggedIn("admin-two", adminSecret);
        String small = aud.post("/api/v1/elevations",
                "{\"role\":\"backup-operator\",\"minutes\":30,\"reason\":\"restore test\"}").json().path("id").asText();
        String large = aud.post("/api/v1/elevations",
                "{\"role\":\"administrator\",\"minutes\":30,\"reason\":\"user clean-up\"}").json().path("id").asText();
        assertThat(admin.post("/api/v1/elevations/" + small + "/approve").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/elevations/" + large + "/approve").status()).isEqualTo(200);

        assertThat(aud.post("/api/v1/elevations/" + small + "/activate").status()).isEqualTo(200);
        assertThat(aud.post("/api/v1/verify", VERIFY).status()).isEqualTo(409);
        assertThat(aud.get("/api/v1/users").status()).as("the administrator grant was not activated").isEqualTo(403);
        assertThat(aud.get("/api/v1/me").json().path("roles").toString()).doesNotContain("administrator");

        String before = aud.cookie;
        assertThat(aud.post("/api/v1/elevations/" + large + "/activate").status()).isEqualTo(200);
        assertThat(aud.cookie).isNotEqualTo(before);
        assertThat(aud.get("/api/v1/users").status()).isEqualTo(200);
    }

    @Test
    void anAdministratorCannotApproveTheirOwnElevation() {
        byte[] secret = fx.user("admin-self", Role.ADMINISTRATOR);
        Browser admin = loggedIn("admin-self", secret);
        String id = admin.post("/api/v1/elevations",
                "{\"role\":\"security-officer\",\"minutes\":15,\"reason\":\"rotate keys\"}").json().path("id").asText();
        Browser.Response self = admin.post("/api/v1/elevations/" + id + "/approve");
        assertThat(self.status()).isEqualTo(403);
        assertThat(fx.app.elevations().find(id).orElseThrow().status().name()).isEqualTo("PENDING");
    }

    @Test
    void longerThanTheMaximumIsRefused() {
        byte[] secret = fx.user("aud-long", Role.AUDITOR);
        Browser aud = loggedIn("aud-long", secret);
        Browser.Response tooLong = aud.post("/api/v1/elevations",
                "{\"role\":\"backup-operator\",\"minutes\":120,\"reason\":\"all afternoon\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(fx.app.elevations().list()).noneMatch(e -> e.user().equals("aud-long"));
        assertThat(aud.post("/api/v1/elevations", "{\"role\":\"backup-operator\",\"minutes\":30}").status())
                .as("a reason is required").isEqualTo(400);
    }

    @Test
    void noMoreThanFivePendingRequestsPerPerson() {
        byte[] secret = fx.user("aud-many", Role.AUDITOR);
        Browser aud = loggedIn("aud-many", secret);
        for (int k = 0; k < AccessRoutes.MAX_OPEN_PER_USER; k++) {
            assertThat(aud.post("/api/v1/elevations", "{\"role\":\"backup-operator\",\"minutes\":10,\"reason\":\"r" + k + "\"}")
                    .status()).isEqualTo(201);
        }
        Browser.Response sixth = aud.post("/api/v1/elevations", "{\"role\":\"backup-operator\",\"minutes\":10,\"reason\":\"r6\"}");
        assertThat(sixth.status()).isEqualTo(409);
        assertThat(sixth.detail()).contains("pending");
    }
}
