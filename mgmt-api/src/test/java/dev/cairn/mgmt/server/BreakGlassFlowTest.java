package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.FileAlertSink;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Break-glass through the real routing: the sealed credential opens one administrator + security-officer session
 * that raises an alert, audits every call including reads, cannot re-seal itself and dies after 60 minutes; the
 * credential does not work twice; a security officer's re-seal gives a new credential that works once.
 */
@RoutingTest
class BreakGlassFlowTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    BreakGlassFlowTest(DirectClient client) {
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

    private static String use(String credential) {
        return "{\"account\":\"" + Appliance.BREAK_GLASS_ACCOUNT + "\",\"credential\":\"" + credential + "\"}";
    }

    private static List<AuditEntry> auditBy(String actor) throws Exception {
        return AuditSearch.search(fx.app.audit().directory(), new AuditQuery(null, null, actor, null, null, null,
                AuditQuery.MAX_LIMIT, null)).entries();
    }

    @Test
    void theSealedCredentialOpensOneAuditedAlertedHourAndMustBeResealed() throws Exception {
        String credential = fx.app.breakGlass().seal(Appliance.BREAK_GLASS_ACCOUNT);
        byte[] officerSecret = fx.user("so-bg", Role.SECURITY_OFFICER);
        Path alerts = fx.root.resolve("state").resolve("alerts").resolve(FileAlertSink.FILE);

        Browser bg = new Browser(client);
        Browser.Response opened = bg.post("/api/v1/auth/break-glass", use(credential));
        assertThat(opened.status()).isEqualTo(200);
        Browser.Response me = bg.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("breakGlass").asBoolean()).isTrue();
        assertThat(me.json().path("roles").toString()).contains("administrator", "security-officer");

        assertThat(alerts).exists();
        String alertText = Files.readString(alerts, StandardCharsets.UTF_8);
        assertThat(alertText).contains("break-glass").contains(Appliance.BREAK_GLASS_ACCOUNT)
                .doesNotContain(credential);

        assertThat(bg.get("/api/v1/users").status()).isEqualTo(200);
        assertThat(bg.post("/api/v1/users", "{\"username\":\"temp-admin\",\"password\":\"" + ApplianceFixture.PASSWORD
                + "\",\"roles\":[\"administrator\"]}").status()).isEqualTo(201);
        assertThat(bg.post("/api/v1/break-glass/reseal").status()).as("cannot re-seal itself").isEqualTo(403);
        assertThat(new Browser(client).post("/api/v1/auth/break-glass", use(credential)).status())
                .as("the credential is spent while its session runs").isEqualTo(401);

        List<AuditEntry> trail = auditBy(Appliance.BREAK_GLASS_ACCOUNT);
        assertThat(trail).extracting(e -> e.event().action() + ":" + e.event().outcome()).containsSubsequence(
                "break-glass.use:SUCCESS", "break-glass.read:SUCCESS", "break-glass.read:SUCCESS",
                "user.create:SUCCESS", "break-glass.reseal:DENIED", "break-glass.use:DENIED");
        assertThat(trail).filteredOn(e -> e.event().action().equals("break-glass.read"))
                .extracting(e -> e.event().targets().toString())
                .anySatisfy(t -> assertThat(t).contains("route:GET:/api/v1/me"))
                .anySatisfy(t -> assertThat(t).contains("route:GET:/api/v1/users"));
        assertThat(trail).filteredOn(e -> !e.event().action().equals("break-glass.use"))
                .allSatisfy(e -> assertThat(e.event().authMethod()).isEqualTo(Gate.BREAK_GLASS_AUTH));

        // keep it busy (no idle expiry): the hour is the cap
        for (int i = 0; i < 5; i++) {
            fx.clock.advance(Duration.ofMinutes(10));
            assertThat(bg.get("/api/v1/me").status()).isEqualTo(200);
        }
        // 50 minutes in: a step-up route still works (the emergency has no second factor to prove again)
        Browser.Response created = bg.post("/api/v1/users",
                "{\"username\":\"temp-restore\",\"password\":\"" + ApplianceFixture.PASSWORD + "\",\"roles\":[\"backup-operator\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        fx.clock.advance(Duration.ofMinutes(9));
        assertThat(bg.get("/api/v1/me").status()).as("alive at 59 minutes").isEqualTo(200);
        fx.clock.advance(Duration.ofMinutes(2));
        assertThat(bg.get("/api/v1/me").status()).as("dead after 61 minutes").isEqualTo(401);
        assertThat(new Browser(client).post("/api/v1/auth/break-glass", use(credential)).status())
                .as("a second use of the same credential").isEqualTo(401);

        Browser officer = new Browser(client);
        assertThat(officer.login(fx, "so-bg", officerSecret).status()).isEqualTo(200);
        assertThat(officer.get("/api/v1/break-glass").json().path("state").asText()).isNotEqualTo("sealed");
        Browser.Response resealed = officer.post("/api/v1/break-glass/reseal");
        assertThat(resealed.status()).isEqualTo(200);
        String fresh = resealed.json().path("credential").asText();
        assertThat(fresh).isNotBlank().isNotEqualTo(credential);
        assertThat(officer.get("/api/v1/break-glass").json().path("state").asText()).isEqualTo("sealed");

        assertThat(new Browser(client).post("/api/v1/auth/break-glass", use(credential)).status())
                .as("the old credential stays dead").isEqualTo(401);
        assertThat(new Browser(client).post("/api/v1/auth/break-glass", use(fresh)).status()).isEqualTo(200);
        assertThat(new Browser(client).post("/api/v1/auth/break-glass", use(fresh)).status())
                .as("the new one works once").isEqualTo(401);
        assertThat(Files.readAllLines(alerts)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(auditBy("so-bg")).anySatisfy(e -> {
            assertThat(e.event().action()).isEqualTo("break-glass.reseal");
            assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
        });
    }
}
