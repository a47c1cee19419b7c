package dev.cairn.mgmt.server;

import dev.cairn.mgmt.audit.AuditEntry;
import dev.cairn.mgmt.audit.AuditQuery;
import dev.cairn.mgmt.audit.AuditSearch;
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
 * Login, enrollment and break-glass attempts are limited per source address (here 5 a minute): the next one
 * gets 429 with Retry-After, a run of refusals writes one audit entry (so a flood cannot fill the trail), and
 * the bucket refills with time.
 */
@RoutingTest
class RateLimitTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    RateLimitTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        fx = ApplianceFixture.create(c -> c.withPublicAttemptsPerMinute(5));
        ApiServer.routing(routing, fx.app);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    private static List<AuditEntry> audit(String action) throws Exception {
        return AuditSearch.search(fx.app.audit().directory(), new AuditQuery(null, null, null, action, null, null,
                AuditQuery.MAX_LIMIT, null)).entries();
    }

    @Test
    void aFloodOfLoginsIsCutOffAndAuditedOnce() throws Exception {
        Browser b = new Browser(client);
        // a different name each time: the per-account backoff (which unknown names get too) stays out of the way
        for (int i = 0; i < 5; i++) {
            assertThat(b.post("/api/v1/auth/login", "{\"username\":\"someone" + i + "\",\"password\":\"nope nope\"}")
                    .status()).isEqualTo(401);
        }
        String wrong = "{\"username\":\"someone-else\",\"password\":\"not the password\"}";
        for (int i = 0; i < 20; i++) {
            Browser.Response limited = b.post("/api/v1/auth/login", wrong);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.retryAfter()).isNotNull();
        }
        assertThat(b.post("/api/v1/auth/break-glass", "{\"account\":\"breakglass\",\"credential\":\"x\"}").status())
                .as("the same bucket covers every public attempt").isEqualTo(429);
        assertThat(audit("auth.login")).as("only the attempts that ran").hasSize(5);
        assertThat(audit("access.rate-limited")).as("one entry for the whole run").hasSize(1);

        fx.clock.advance(Duration.ofMinutes(1));
        assertThat(b.post("/api/v1/auth/login", wrong).status()).as("refilled").isEqualTo(401);
        assertThat(b.get("/health").status()).as("reads are not limited").isEqualTo(200);
    }
}
