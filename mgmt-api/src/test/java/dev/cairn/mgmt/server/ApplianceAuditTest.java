package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.audit.AuditEntry;
import dev.cairn.mgmt.audit.AuditEvent;
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
 * The appliance's own audit duties: the key plane's events caused by an API request are attributed to that
 * caller (not to the appliance), the service's own key work to {@code system:appliance}, and an idle trail still
 * gets its time-based checkpoint from the appliance's timer.
 */
@RoutingTest
class ApplianceAuditTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    ApplianceAuditTest(DirectClient client) {
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

    private static List<AuditEntry> all() throws Exception {
        return AuditSearch.search(fx.app.audit().directory(), new AuditQuery(null, null, null, null, null, null,
                AuditQuery.MAX_LIMIT, null)).entries();
    }

    @Test
    void keyEventsNameTheCallerWhoCausedThem() throws Exception {
        byte[] secret = fx.user("kay", Role.SECURITY_OFFICER);
        Browser b = new Browser(client);
        b.userAgent = "kay-browser";
        assertThat(b.login(fx, "kay", secret).status()).isEqualTo(200);
        assertThat(b.post("/api/v1/keys/tenants", "{\"tenant\":\"radiology\"}").status()).isEqualTo(201);

        List<AuditEntry> keyEvents = all().stream().map(e -> e).filter(e -> e.event().action().startsWith("key.")
                && e.event().targets().contains("tenant:radiology")).toList();
        assertThat(keyEvents).as("the key plane's own entries for the new tenant").isNotEmpty()
                .allSatisfy(e -> {
                    AuditEvent ev = e.event();
                    assertThat(ev.actor()).isEqualTo("kay");
                    assertThat(ev.authMethod()).isEqualTo("password+totp");
                    assertThat(ev.userAgent()).isEqualTo("kay-browser");
                });
        assertThat(all()).as("the route's own entry too").anySatisfy(e -> {
            assertThat(e.event().action()).isEqualTo("key.tenant.create");
            assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
        });
        assertThat(all()).as("first start's appliance tenant is the system's work").anySatisfy(e -> {
            assertThat(e.event().targets()).contains("tenant:appliance");
            assertThat(e.event().actor()).isEqualTo("system:appliance");
        });
    }

    @Test
    void anIdleTrailGetsItsTimedCheckpoint() {
        fx.app.audit().checkpoint(); // start counting afresh, so the next entry is not due by count
        fx.app.audit().append(new AuditEvent("system:test", "none", "", "", "test.tick", List.of(), Outcome.SUCCESS, ""));
        long last = fx.app.audit().lastSeq();
        fx.app.auditTick();
        assertThat(fx.app.audit().lastCheckpoint()).as("not due yet").isLessThan(last);
        fx.clock.advance(Duration.ofMinutes(6));
        fx.app.auditTick();
        assertThat(fx.app.audit().lastCheckpoint()).as("due by time: the timer writes it").isEqualTo(last);
    }
}
