package dev.cairn.mgmt.server;

import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.RotationReport;
import dev.cairn.hsm.TenantId;

import java.util.List;
import java.util.Map;

import static dev.cairn.mgmt.access.Permission.*;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;

/**
 * The key plane's non-destructive operations (docs/keys.md). Disabling and destroying keys go through
 * {@code /api/v1/approvals} (APR-1).
 */
final class KeyRoutes {
    record TenantRequest(String tenant) {
    }

    private final Appliance app;

    private KeyRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        KeyRoutes k = new KeyRoutes(app);
        return List.of(
                new ApiRoute(GET, "/api/v1/keys", KEYS_READ, null, false, null,
                        "Key plane status: token, keys, tenants, rotation (never key material)", k::status),
                new ApiRoute(POST, "/api/v1/keys/tenants", KEYS_MANAGE, "key.tenant.create", true, TenantRequest.class,
                        "Create a tenant: a new KEK in the HSM and its data keys", k::createTenant),
                new ApiRoute(POST, "/api/v1/keys/tenants/{tenant}/rotate", KEYS_MANAGE, "key.rotate", true, null,
                        "Rotate a tenant's KEK now", k::rotate));
    }

    private Object status(Call call) {
        return app.vault().status();
    }

    private Object createTenant(Call call) {
        TenantRequest r = call.body(TenantRequest.class);
        String tenant = TenantId.check(r.tenant());
        call.target("tenant:" + tenant);
        if (app.vault().tenants().contains(tenant)) {
            throw ApiException.conflict("the tenant exists");
        }
        app.vault().createKek(tenant, KeyVault.DEFAULT_ROTATION_PERIOD);
        return Reply.json(201, Map.of("tenant", tenant));
    }

    private Object rotate(Call call) {
        String tenant = TenantId.check(call.path("tenant"));
        call.target("tenant:" + tenant);
        if (!app.vault().tenants().contains(tenant)) {
            throw ApiException.notFound("no such tenant");
        }
        RotationReport report = app.vault().rotate(tenant);
        return report;
    }
}
