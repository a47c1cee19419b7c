package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.mgmt.audit.AuditCodec;
import dev.cairn.mgmt.audit.AuditEntry;
import dev.cairn.mgmt.audit.AuditQuery;
import dev.cairn.mgmt.audit.AuditReport;
import dev.cairn.mgmt.audit.AuditSearch;
import dev.cairn.mgmt.audit.AuditVerifier;
import dev.cairn.mgmt.audit.Outcome;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cairn.mgmt.access.Permission.AUDIT_READ;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;

/** Search and verification of the audit trail (docs/formats/audit-log.md, docs/cli-audit.md). */
final class AuditRoutes {
    private final Appliance app;

    private AuditRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        AuditRoutes a = new AuditRoutes(app);
        return List.of(
                new ApiRoute(GET, "/api/v1/audit", AUDIT_READ, null, false, null,
                        "Search the audit trail: from, to, actor, action, target, outcome, limit, cursor", a::search),
                new ApiRoute(GET, "/api/v1/audit/public-key", AUDIT_READ, null, false, null,
                        "The audit key's public key (PEM), for offline verification", a::publicKey),
                new ApiRoute(POST, "/api/v1/audit/verify", AUDIT_READ, "audit.verify", false, null,
                        "Verify the whole trail now: chain, checkpoints and signatures", a::verify));
    }

    private Object search(Call call) throws Exception {
        int limit = call.query("limit").map(AuditRoutes::number).orElse(AuditQuery.DEFAULT_LIMIT);
        Outcome outcome = call.query("outcome").map(Outcome::fromWire).orElse(null);
        AuditQuery q = new AuditQuery(call.query("from").map(AuditRoutes::time).orElse(null),
                call.query("to").map(AuditRoutes::time).orElse(null), call.query("actor").orElse(null),
                call.query("action").orElse(null), call.query("target").orElse(null), outcome, limit,
                call.query("cursor").orElse(null));
        AuditSearch.Page page = AuditSearch.search(app.audit().directory(), q);
        List<JsonNode> entries = new ArrayList<>();
        for (AuditEntry e : page.entries()) {
            entries.add(Json.tree(AuditCodec.encode(e))); // the entries exactly as the trail stores them
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("entries", entries);
        reply.put("nextCursor", page.nextCursor());
        return reply;
    }

    private static int number(String s) {
        if (!s.matches("[0-9]{1,6}")) {
            throw ApiException.badRequest("limit must be a number");
        }
        return Integer.parseInt(s);
    }

    private static Instant time(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("times must be ISO-8601 UTC, e.g. 2026-11-28T00:00:00Z");
        }
    }

    private Object publicKey(Call call) {
        return Reply.text("application/x-pem-file", app.vault().auditSigner().publicKeyPem());
    }

    private Object verify(Call call) throws Exception {
        app.audit().checkpoint();
        AuditReport report = AuditVerifier.verify(app.audit().directory(), app.vault().auditSigner().publicKey());
        call.reason(report.clean() ? "clean" : report.findings().size() + " findings");
        return report;
    }
}
