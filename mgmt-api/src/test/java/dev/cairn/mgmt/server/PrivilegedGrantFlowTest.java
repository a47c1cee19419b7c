package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.audit.AuditQuery;
import dev.cairn.mgmt.audit.AuditSearch;
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
 * One administrator cannot manufacture the approvers of their own destructive request. Once the appliance has
 * enough privileged accounts for APR-1 (approvers + 1 = 3), administrator and security-officer are granted only
 * through the approval action {@code user.grant}; an approval counts only from a standing administrator or
 * security-officer, never from an elevation or the break-glass account. Before that (first set-up) the grant is
 * direct and audited as a bootstrap grant.
 */
@RoutingTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the bootstrap step needs the user store as the fixture made it
class PrivilegedGrantFlowTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    PrivilegedGrantFlowTest(DirectClient client) {
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

    private static String user(String name, String role) {
        return "{\"username\":\"" + name + "\",\"password\":\"" + ApplianceFixture.PASSWORD + "\",\"roles\":[\"" + role + "\"]}";
    }

    @Test
    @Order(1)
    void privilegedRolesNeedApprovalsOnceThereAreEnoughApprovers() throws Exception {
        byte[] first = fx.user("adm-first", Role.ADMINISTRATOR);
        Browser a = loggedIn("adm-first", first);
        // bootstrap: fewer than 3 privileged accounts, so the first administrator builds the team directly
        assertThat(a.post("/api/v1/users", user("so-boot", "security-officer")).status()).isEqualTo(201);
        assertThat(a.post("/api/v1/users", user("adm-boot", "administrator")).status()).isEqualTo(201);
        assertThat(AuditSearch.search(fx.app.audit().directory(), new AuditQuery(null, null, null, "user.create",
                null, null, AuditQuery.MAX_LIMIT, null)).entries()).anySatisfy(e ->
                assertThat(e.event().reason()).contains("bootstrap grant of security-officer"));

        // now 3 privileged accounts: a direct grant is refused, on create and on a role change
        Browser.Response puppet = a.post("/api/v1/users", user("puppet", "security-officer"));
        assertThat(puppet.status()).isEqualTo(403);
        assertThat(puppet.detail()).contains("user.grant").contains("user:puppet:security-officer");
        assertThat(a.post("/api/v1/users", user("puppet", "backup-operator")).status()).isEqualTo(201);
        assertThat(a.put("/api/v1/users/puppet/roles", "{\"roles\":[\"backup-operator\",\"security-officer\"]}").status())
                .isEqualTo(403);
        assertThat(fx.find("puppet").roles()).containsExactly(Role.BACKUP_OPERATOR);

        // the APR-1 way: asked by one, approved by two others
        Browser.Response asked = a.post("/api/v1/approvals",
                "{\"action\":\"user.grant\",\"target\":\"user:puppet:security-officer\",\"reason\":\"new officer\"}");
        assertThat(asked.status()).isEqualTo(201);
        String id = asked.json().path("id").asText();
        assertThat(a.post("/api/v1/approvals/" + id + "/approve").status()).as("not by the requester").isEqualTo(403);
        byte[] so = fx.user("so-x", Role.SECURITY_OFFICER);
        byte[] adm = fx.user("adm-x", Role.ADMINISTRATOR);
        assertThat(loggedIn("so-x", so).post("/api/v1/approvals/" + id + "/approve").status()).isEqualTo(200);
        assertThat(fx.find("puppet").roles()).as("one approval is not enough").doesNotContain(Role.SECURITY_OFFICER);
        assertThat(loggedIn("adm-x", adm).post("/api/v1/approvals/" + id + "/approve").status()).isEqualTo(200);
        Browser.Response run = a.post("/api/v1/approvals/" + id + "/execute");
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().path("executed").asBoolean()).isTrue();
        assertThat(fx.find("puppet").roles()).containsExactlyInAnyOrder(Role.BACKUP_OPERATOR, Role.SECURITY_OFFICER);
    }

    @Test
    @Order(2)
    void anElevatedOrBreakGlassCallerCannotApprove() {
        byte[] req = fx.user("so-req2", Role.SECURITY_OFFICER);
        byte[] aud = fx.user("aud-up", Role.AUDITOR);
        byte[] adm = fx.user("adm-up", Role.ADMINISTRATOR);
        fx.app.vault().createKek("grant-test", dev.cairn.hsm.KeyVault.DEFAULT_ROTATION_PERIOD);
        Browser r = loggedIn("so-req2", req);
        Browser.Response asked = r.post("/api/v1/approvals",
                "{\"action\":\"key.disable\",\"target\":\"tenant:grant-test\",\"reason\":\"incident\"}");
        assertThat(asked.status()).isEqualTo(201);
        String id = asked.json().path("id").asText();

        Browser auditor = loggedIn("aud-up", aud);
        String elevation = auditor.post("/api/v1/elevations",
                "{\"role\":\"security-officer\",\"minutes\":30,\"reason\":\"cover\"}").json().path("id").asText();
        assertThat(loggedIn("adm-up", adm).post("/api/v1/elevations/" + elevation + "/approve").status()).isEqualTo(200);
        assertThat(auditor.post("/api/v1/elevations/" + elevation + "/activate").status()).isEqualTo(200);
        assertThat(auditor.get("/api/v1/me").json().path("roles").toString()).contains("security-officer");
        Browser.Response elevated = auditor.post("/api/v1/approvals/" + id + "/approve");
        assertThat(elevated.status()).isEqualTo(403);
        assertThat(elevated.detail()).contains("standing");

        String credential = fx.app.breakGlass().state(Appliance.BREAK_GLASS_ACCOUNT)
                == dev.cairn.mgmt.access.BreakGlass.State.NONE ? fx.app.breakGlass().seal(Appliance.BREAK_GLASS_ACCOUNT)
                : fx.app.breakGlass().reseal(Appliance.BREAK_GLASS_ACCOUNT, "so-req2");
        Browser glass = new Browser(client);
        assertThat(glass.post("/api/v1/auth/break-glass", "{\"account\":\"breakglass\",\"credential\":\"" + credential + "\"}")
                .status()).isEqualTo(200);
        Browser.Response bg = glass.post("/api/v1/approvals/" + id + "/approve");
        assertThat(bg.status()).isEqualTo(403);
        assertThat(bg.detail()).contains("break-glass");
        assertThat(fx.app.approvals().find(id).orElseThrow().approvals()).isEmpty();
    }
}
