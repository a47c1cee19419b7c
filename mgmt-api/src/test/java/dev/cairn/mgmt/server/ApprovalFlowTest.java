package dev.cairn.mgmt.server;

import dev.cairn.hsm.KekState;
import dev.cairn.hsm.VaultStatus;
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
 * Multi-party approval (APR-1) through the real routing: a key.disable of a tenant needs two approvers other than
 * the requester, each with fresh MFA; duplicates, the requester, stale MFA, auditors and expired requests are
 * refused; execute runs once and really disables the KEK in the SoftHSM token; key.enable brings it back; deny and
 * cancel end a request; the audit trail names requester and approvers with the outcome as it happened.
 */
@RoutingTest
class ApprovalFlowTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    ApprovalFlowTest(DirectClient client) {
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

    private static String ask(String action, String tenant) {
        return "{\"action\":\"" + action + "\",\"target\":\"tenant:" + tenant + "\",\"reason\":\"ticket 42\"}";
    }

    private static KekState kekState(String tenant) {
        VaultStatus s = fx.vault.status();
        return s.keys().stream().filter(k -> "kek".equals(k.kind()) && tenant.equals(k.tenant()))
                .max((a, b) -> Integer.compare(a.generation(), b.generation())).orElseThrow().state();
    }

    private static List<AuditEntry> audit(String action, String target) throws Exception {
        return AuditSearch.search(fx.app.audit().directory(), new AuditQuery(null, null, null, action, null, null,
                AuditQuery.MAX_LIMIT, null)).entries().stream()
                .filter(e -> target == null || e.event().targets().contains(target)).toList();
    }

    private void verify(Browser b, String code) {
        assertThat(b.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + code + "\"}").status()).isEqualTo(200);
    }

    @Test
    void keyDisableNeedsTwoOtherApproversWithFreshMfaAndRunsOnce() throws Exception {
        byte[] reqSecret = fx.user("so-req", Role.SECURITY_OFFICER);
        byte[] bSecret = fx.user("so-b", Role.SECURITY_OFFICER);
        byte[] cSecret = fx.user("so-c", Role.SECURITY_OFFICER);
        byte[] audSecret = fx.user("aud-a", Role.AUDITOR);

        Browser req = loggedIn("so-req", reqSecret);
        Browser b = loggedIn("so-b", bSecret);
        Browser c = loggedIn("so-c", cSecret);
        Browser aud = loggedIn("aud-a", audSecret);
        assertThat(req.post("/api/v1/keys/tenants", "{\"tenant\":\"clinic\"}").status()).isEqualTo(201);
        assertThat(kekState("clinic")).isEqualTo(KekState.ACTIVE);

        Browser.Response asked = req.post("/api/v1/approvals", ask("key.disable", "clinic"));
        assertThat(asked.status()).isEqualTo(201);
        String id = asked.json().path("id").asText();
        assertThat(asked.json().path("status").asText()).isEqualToIgnoringCase("pending");
        String approve = "/api/v1/approvals/" + id + "/approve";

        assertThat(req.post(approve).status()).as("the requester cannot approve").isEqualTo(403);
        Browser.Response first = b.post(approve);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("status").asText()).as("two approvals are needed").isEqualToIgnoringCase("pending");
        Browser.Response twice = b.post(approve);
        assertThat(twice.status()).as("the same approver twice").isEqualTo(403);

        // C's MFA goes stale; GETs keep every session alive (idle timeout 15 min)
        fx.clock.advance(Duration.ofMinutes(3));
        for (Browser x : List.of(req, b, c, aud)) {
            assertThat(x.get("/api/v1/me").status()).isEqualTo(200);
        }
        fx.clock.advance(Duration.ofMinutes(3));
        for (Browser x : List.of(req, b, c, aud)) {
            assertThat(x.get("/api/v1/me").status()).isEqualTo(200);
        }
        Browser.Response stale = c.post(approve);
        assertThat(stale.status()).isEqualTo(403);
        assertThat(stale.json().path("title").asText()).isEqualTo("Step-up required");
        assertThat(aud.post(approve).status()).as("an auditor cannot approve").isEqualTo(403);
        assertThat(fx.app.approvals().find(id).orElseThrow().approvals()).hasSize(1);

        verify(c, fx.totp(cSecret));
        Browser.Response second = c.post(approve);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("status").asText()).isEqualToIgnoringCase("approved");

        Browser.Response shown = req.get("/api/v1/approvals/" + id);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().path("signedRecord").isMissingNode() || shown.json().path("signedRecord").isNull()
                || shown.json().path("signedRecord").isEmpty()).as("GET does not reveal the signed record").isTrue();
        String signedText = fx.app.approvals().find(id).orElseThrow().signedRecord().orElseThrow();
        assertThat(shown.body()).doesNotContain(signedText);
        assertThat(req.get("/api/v1/approvals").body()).doesNotContain(signedText);

        fx.clock.advance(Duration.ofSeconds(30));
        verify(req, fx.totp(reqSecret));
        Browser.Response run = req.post("/api/v1/approvals/" + id + "/execute");
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().path("executed").asBoolean()).isTrue();
        assertThat(kekState("clinic")).as("the KEK is disabled in the token").isEqualTo(KekState.DISABLED);
        assertThat(req.post("/api/v1/approvals/" + id + "/execute").status()).as("runs once").isEqualTo(409);

        // key.enable the same way
        fx.clock.advance(Duration.ofSeconds(30));
        verify(b, fx.totp(bSecret));
        fx.clock.advance(Duration.ofSeconds(30));
        verify(c, fx.totp(cSecret));
        String enableId = req.post("/api/v1/approvals", ask("key.enable", "clinic")).json().path("id").asText();
        assertThat(b.post("/api/v1/approvals/" + enableId + "/approve").status()).isEqualTo(200);
        assertThat(c.post("/api/v1/approvals/" + enableId + "/approve").json().path("status").asText())
                .isEqualToIgnoringCase("approved");
        assertThat(req.post("/api/v1/approvals/" + enableId + "/execute").status()).isEqualTo(200);
        assertThat(kekState("clinic")).isEqualTo(KekState.ACTIVE);

        List<AuditEntry> requests = audit("approval.request", "approval:" + id);
        assertThat(requests).singleElement().satisfies(e -> {
            assertThat(e.event().actor()).isEqualTo("so-req");
            assertThat(e.event().outcome()).isEqualTo(Outcome.SUCCESS);
        });
        List<AuditEntry> approvals = audit("approval.approve", "approval:" + id);
        assertThat(approvals).extracting(e -> e.event().actor() + ":" + e.event().outcome())
                .containsExactlyInAnyOrder("so-req:DENIED", "so-b:SUCCESS", "so-b:DENIED", "so-c:DENIED", "aud-a:DENIED",
                        "so-c:SUCCESS");
        // refusals by the gate (step-up, role) happen before the handler runs: the path's ID is still the target
        List<AuditEntry> gateRefusals = audit("approval.approve", "approval:" + id);
        assertThat(gateRefusals).anySatisfy(e -> {
            assertThat(e.event().actor()).isEqualTo("so-c");
            assertThat(e.event().outcome()).isEqualTo(Outcome.DENIED);
            assertThat(e.event().reason()).contains("Step-up");
        });
        assertThat(gateRefusals).anySatisfy(e -> {
            assertThat(e.event().actor()).isEqualTo("aud-a");
            assertThat(e.event().outcome()).isEqualTo(Outcome.DENIED);
        });
        List<AuditEntry> executions = audit("approval.execute", "approval:" + id);
        assertThat(executions).extracting(e -> e.event().actor() + ":" + e.event().outcome())
                .containsExactly("so-req:SUCCESS", "so-req:DENIED");
    }

    @Test
    void anExpiredRequestCannotBeApproved() {
        byte[] reqSecret = fx.user("so-exp", Role.SECURITY_OFFICER);
        byte[] bSecret = fx.user("so-exp-b", Role.SECURITY_OFFICER);
        Browser req = loggedIn("so-exp", reqSecret);
        assertThat(req.post("/api/v1/keys/tenants", "{\"tenant\":\"expiring\"}").status()).isEqualTo(201);
        String id = req.post("/api/v1/approvals", ask("key.disable", "expiring")).json().path("id").asText();
        fx.clock.advance(Duration.ofHours(25));
        Browser b = loggedIn("so-exp-b", bSecret);
        Browser.Response late = b.post("/api/v1/approvals/" + id + "/approve");
        assertThat(late.status()).isEqualTo(409);
        assertThat(fx.app.approvals().find(id).orElseThrow().approvals()).isEmpty();
        assertThat(kekState("expiring")).isEqualTo(KekState.ACTIVE);
    }

    @Test
    void anExecutionTheKeyPlaneRefusesLeavesTheApprovalUsable() {
        byte[] reqSecret = fx.user("so-fail", Role.SECURITY_OFFICER);
        byte[] bSecret = fx.user("so-fail-b", Role.SECURITY_OFFICER);
        byte[] cSecret = fx.user("so-fail-c", Role.SECURITY_OFFICER);
        Browser req = loggedIn("so-fail", reqSecret);
        assertThat(req.post("/api/v1/keys/tenants", "{\"tenant\":\"gone-soon\"}").status()).isEqualTo(201);
        String id = req.post("/api/v1/approvals", ask("key.disable", "gone-soon")).json().path("id").asText();
        assertThat(loggedIn("so-fail-b", bSecret).post("/api/v1/approvals/" + id + "/approve").status()).isEqualTo(200);
        assertThat(loggedIn("so-fail-c", cSecret).post("/api/v1/approvals/" + id + "/approve").status()).isEqualTo(200);
        // the tenant disappears before the execution (here straight through the vault): the key plane refuses
        fx.vault.destroyKek("gone-soon", (action, target, now) -> { });
        Browser.Response refused = req.post("/api/v1/approvals/" + id + "/execute");
        assertThat(refused.status()).as(refused.body()).isBetween(400, 499);
        assertThat(fx.app.approvals().find(id).orElseThrow().status()).as("given back, not used up")
                .isEqualTo(dev.cairn.mgmt.access.ApprovalRequest.Status.APPROVED);
    }

    @Test
    void keyDestroyThroughApprovalsShredsTheKekAndIsAudited() throws Exception {
        byte[] reqSecret = fx.user("so-shred", Role.SECURITY_OFFICER);
        byte[] bSecret = fx.user("so-shred-b", Role.SECURITY_OFFICER);
        byte[] cSecret = fx.user("so-shred-c", Role.SECURITY_OFFICER);
        Browser req = loggedIn("so-shred", reqSecret);
        assertThat(req.post("/api/v1/keys/tenants", "{\"tenant\":\"old-clinic\"}").status()).isEqualTo(201);
        String id = req.post("/api/v1/approvals", ask("key.destroy", "old-clinic")).json().path("id").asText();
        assertThat(loggedIn("so-shred-b", bSecret).post("/api/v1/approvals/" + id + "/approve").status()).isEqualTo(200);
        assertThat(loggedIn("so-shred-c", cSecret).post("/api/v1/approvals/" + id + "/approve").status()).isEqualTo(200);
        Browser.Response run = req.post("/api/v1/approvals/" + id + "/execute");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().path("executed").asBoolean()).isTrue();
        assertThat(fx.vault.status().keys()).noneMatch(k -> "old-clinic".equals(k.tenant()) && "kek".equals(k.kind()));
        assertThat(audit("key.destroy_kek", "key:cairn/old-clinic/kek/all")).singleElement()
                .satisfies(e -> assertThat(e.event().actor()).isEqualTo("so-shred"));
    }

    @Test
    void aDeniedOrCancelledRequestEndsThere() {
        byte[] reqSecret = fx.user("so-dc", Role.SECURITY_OFFICER);
        byte[] bSecret = fx.user("so-dc-b", Role.SECURITY_OFFICER);
        Browser req = loggedIn("so-dc", reqSecret);
        Browser b = loggedIn("so-dc-b", bSecret);
        assertThat(req.post("/api/v1/keys/tenants", "{\"tenant\":\"denied\"}").status()).isEqualTo(201);

        String denied = req.post("/api/v1/approvals", ask("key.destroy", "denied")).json().path("id").asText();
        Browser.Response deny = b.post("/api/v1/approvals/" + denied + "/deny", "{\"reason\":\"not agreed\"}");
        assertThat(deny.status()).isEqualTo(200);
        assertThat(deny.json().path("status").asText()).isEqualToIgnoringCase("denied");
        assertThat(b.post("/api/v1/approvals/" + denied + "/approve").status()).isEqualTo(409);
        assertThat(req.post("/api/v1/approvals/" + denied + "/execute").status()).isEqualTo(409);

        String cancelled = req.post("/api/v1/approvals", ask("key.disable", "denied")).json().path("id").asText();
        assertThat(b.post("/api/v1/approvals/" + cancelled + "/cancel").status()).as("only the requester cancels")
                .isEqualTo(403);
        Browser.Response cancel = req.post("/api/v1/approvals/" + cancelled + "/cancel");
        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.json().path("status").asText()).isEqualToIgnoringCase("cancelled");
        assertThat(b.post("/api/v1/approvals/" + cancelled + "/approve").status()).isEqualTo(409);
        assertThat(kekState("denied")).isEqualTo(KekState.ACTIVE);
    }
}
