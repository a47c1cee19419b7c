package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.mgmt.access.Permission;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.identity.Session;
import dev.cairn.mgmt.identity.Sessions;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the one route table against every kind of caller: anonymous, a half-logged-in session (password
 * only), an enrolling session, a full session of each role, and an administrator's API token. The expectation is
 * computed here from the route's row and {@link Role#permissions()}, independently of the gate; a denial must be
 * the gate's (problem type {@link ApiException#ACCESS_DENIED}), an allowed call must not be refused by the gate.
 */
@RoutingTest
class RbacMatrixTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    RbacMatrixTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        fx = ApplianceFixture.create();
        for (Role r : Role.values()) {
            fx.user(r.id() + "-user", r);
        }
        fx.user("pending-user", Role.ADMINISTRATOR);
        fx.app.users().create("enrolling-user", ApplianceFixture.PASSWORD.toCharArray(), Set.of(Role.ADMINISTRATOR));
        ApiServer.routing(routing, fx.app);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /** A kind of caller and how to make a fresh one (some routes end the session they are called with). */
    record Who(String label, Session.Stage stage, Set<Role> roles, boolean token) {
    }

    private static List<Who> callers() {
        List<Who> all = new ArrayList<>();
        all.add(new Who("anonymous", null, Set.of(), false));
        all.add(new Who("password-only", Session.Stage.PASSWORD_OK, Set.of(Role.ADMINISTRATOR), false));
        all.add(new Who("enrolling", Session.Stage.ENROLLING, Set.of(Role.ADMINISTRATOR), false));
        for (Role r : Role.values()) {
            all.add(new Who(r.id(), Session.Stage.FULL, Set.of(r), false));
        }
        all.add(new Who("administrator-api-token", null, Set.of(Role.ADMINISTRATOR), true));
        return all;
    }

    /** The expectation, from the route's row alone. */
    private static boolean allowed(ApiRoute route, Who who) {
        Permission p = route.permission();
        boolean fullSession = who.stage() == Session.Stage.FULL;
        return switch (p) {
            case PUBLIC -> true;
            case MFA_PENDING -> who.stage() == Session.Stage.PASSWORD_OK || fullSession;
            case MFA_ENROLL -> who.stage() == Session.Stage.ENROLLING || fullSession;
            default -> {
                boolean authenticated = fullSession || who.token();
                // a session holds SELF by being one; the matrix's API token carries only role permissions, not self
                boolean granted = p == Permission.SELF ? !who.token() : who.roles().stream().anyMatch(r -> r.grants(p));
                boolean stepUpOk = !route.stepUp() || fullSession;
                yield authenticated && granted && stepUpOk;
            }
        };
    }

    static Stream<Arguments> everyRouteTimesEveryCaller() {
        List<ApiRoute> table = ApiRoutes.table(fx.app);
        assertThat(table).hasSizeGreaterThan(50);
        List<Arguments> all = new ArrayList<>();
        for (ApiRoute route : table) {
            for (Who who : callers()) {
                boolean expect = allowed(route, who);
                all.add(Arguments.of(route.method().text() + " " + route.path() + " as " + who.label()
                        + (expect ? " is allowed" : " is denied"), route, who, expect));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRouteTimesEveryCaller")
    void matrix(String label, ApiRoute route, Who who, boolean expect) {
        check(route, who, expect);
    }

    private void check(ApiRoute route, Who who, boolean expect) {
        String path = route.path().replace("{name}", "nobody").replace("{id}", "00000000-0000-4000-8000-000000000000")
                .replace("{tenant}", "nobody").replace("{serial}", "abc");
        Http1ClientRequest req = client.method(route.method()).path(path);
        if (who.stage() != null) {
            String user = switch (who.stage()) {
                case PASSWORD_OK -> "pending-user";
                case ENROLLING -> "enrolling-user";
                case FULL -> who.roles().iterator().next().id() + "-user";
            };
            Sessions.Issued s = fx.app.sessions().create(user, who.stage(), who.stage() == Session.Stage.FULL
                    ? "password+totp" : "password", who.stage() == Session.Stage.FULL ? fx.clock.instant() : null, null);
            req.header(HeaderNames.COOKIE, Gate.SESSION_COOKIE + "=" + s.token());
            req.header(HeaderNames.create(Gate.CSRF_HEADER), s.session().csrfToken());
        }
        if (who.token()) {
            var issued = fx.app.tokens().issue("administrator-user", EnumSet.copyOf(Role.ADMINISTRATOR.permissions()),
                    Duration.ofDays(1), "matrix");
            req.header(HeaderNames.AUTHORIZATION, "Bearer " + issued.text());
        }
        int status;
        String detail;
        String title;
        String type;
        if (route.body() != null) {
            req.header(HeaderNames.CONTENT_TYPE, "application/json");
            try (Http1ClientResponse res = req.submit("{}".getBytes(StandardCharsets.UTF_8))) {
                status = res.status().code();
                String text = res.as(String.class);
                JsonNode body = status >= 400 ? Json.tree(text.getBytes(StandardCharsets.UTF_8)) : null;
                detail = body == null ? "" : body.path("detail").asText();
                title = body == null ? "" : body.path("title").asText();
                type = body == null ? "" : body.path("type").asText();
            }
        } else {
            try (Http1ClientResponse res = req.request()) {
                status = res.status().code();
                String text = status >= 400 ? res.as(String.class) : "";
                JsonNode body = status >= 400 ? Json.tree(text.getBytes(StandardCharsets.UTF_8)) : null;
                detail = body == null ? "" : body.path("detail").asText();
                title = body == null ? "" : body.path("title").asText();
                type = body == null ? "" : body.path("type").asText();
            }
        }
        boolean gateDenied = type.equals(ApiException.ACCESS_DENIED);
        assertThat(status).as("no server error").isLessThan(500);
        if (expect) {
            assertThat(gateDenied).as("allowed, but the gate said %d %s: %s", status, title, detail).isFalse();
        } else {
            assertThat(gateDenied).as("denied, but got %d %s: %s", status, title, detail).isTrue();
            assertThat(status).as("a denial is 401 or 403").isIn(401, 403);
            if (who.label().equals("anonymous")) {
                assertThat(status).as("the anonymous are asked to authenticate").isEqualTo(401);
            }
        }
    }
}
