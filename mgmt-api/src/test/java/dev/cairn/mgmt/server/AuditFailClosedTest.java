package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trail fails closed: once the audit writer cannot write, a route with an audit action answers 503 and does
 * nothing (no user is created, no token issued), while reads without an audit action keep working. Also: a stale
 * session cookie never blocks a public route such as login.
 */
@RoutingTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the last test closes the audit writer for good
class AuditFailClosedTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    AuditFailClosedTest(DirectClient client) {
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

    @Test
    @Order(1)
    void aStaleCookieIsIgnoredOnLoginAndCleared() {
        byte[] secret = fx.user("stale", Role.AUDITOR);
        Browser b = new Browser(client);
        b.cookie = "bm90LWEtc2Vzc2lvbi1hdC1hbGwtanVzdC1hLXN0YWxlLWNvb2tpZQ";
        Browser.Response me = b.get("/api/v1/me");
        assertThat(me.status()).isEqualTo(401);
        assertThat(me.setCookies()).as("the dead cookie is cleared").anySatisfy(c -> assertThat(c).startsWith(Gate.SESSION_COOKIE + "=;").contains("Expires=Thu, 1 Jan 1970"));
        b.cookie = "bm90LWEtc2Vzc2lvbi1hdC1hbGwtanVzdC1hLXN0YWxlLWNvb2tpZQ";
        assertThat(b.login(fx, "stale", secret).status()).as("login works with a stale cookie").isEqualTo(200);
    }

    @Test
    @Order(2)
    void nothingAuditedRunsWhileTheTrailCannotWrite() {
        byte[] secret = fx.user("writer-admin", Role.ADMINISTRATOR);
        Browser b = new Browser(client);
        assertThat(b.login(fx, "writer-admin", secret).status()).isEqualTo(200);
        fx.app.audit().close(); // the writer is gone, as after a disk-full or a lost HSM token
        Browser.Response create = b.post("/api/v1/users",
                "{\"username\":\"ghost\",\"password\":\"" + ApplianceFixture.PASSWORD + "\",\"roles\":[\"auditor\"]}");
        assertThat(create.status()).isEqualTo(503);
        assertThat(create.detail()).contains("not done");
        assertThat(fx.app.users().find("ghost")).as("nothing happened").isEmpty();
        assertThat(b.get("/api/v1/users").status()).as("reads without an audit action still work").isEqualTo(200);
    }
}
