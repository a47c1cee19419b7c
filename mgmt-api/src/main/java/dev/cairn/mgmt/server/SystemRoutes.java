package dev.cairn.mgmt.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cairn.mgmt.access.Permission.*;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.PUT;

/** Health, metrics, tasks and the OpenAPI document. */
final class SystemRoutes {
    private final Appliance app;

    private SystemRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        SystemRoutes s = new SystemRoutes(app);
        return List.of(
                new ApiRoute(GET, "/health", PUBLIC, null, false, null, "Liveness: UP or DOWN, nothing else", s::health),
                new ApiRoute(GET, "/openapi.yaml", PUBLIC, null, false, null, "This API's OpenAPI document", s::openapi),
                new ApiRoute(GET, "/metrics", METRICS_READ, null, false, null,
                        "Counters in Prometheus text format", s::metrics),
                new ApiRoute(GET, "/api/v1/tasks", SELF, null, false, null,
                        "Tasks: your own, or all with metrics_read", s::tasks),
                new ApiRoute(GET, "/api/v1/tasks/{id}", SELF, null, false, null, "One task's state and progress", s::task),
                new ApiRoute(GET, "/api/v1/settings", SETTINGS_MANAGE, null, false, null,
                        "Appliance settings: the management interface now and at the next start", s::settings),
                new ApiRoute(PUT, "/api/v1/settings/management-interface", SETTINGS_MANAGE,
                        "settings.management-interface", true, InterfaceRequest.class,
                        "Name the management interface (an address of this appliance); applies at the next start",
                        s::setManagementInterface),
                new ApiRoute(GET, "/enroll", PUBLIC, null, false, null,
                        "The first-administrator enrollment page (the token is in the URL fragment)", s::enrollPage),
                new ApiRoute(GET, "/assets/enroll.js", PUBLIC, null, false, null, "The enrollment page's script", s::enrollScript));
    }

    private Object enrollPage(Call call) {
        return new Reply(200, "text/html; charset=utf-8", ENROLL_HTML);
    }

    private Object enrollScript(Call call) {
        return new Reply(200, "text/javascript; charset=utf-8", ENROLL_JS);
    }

    private static final byte[] ENROLL_HTML = resource("/web/enroll.html");
    private static final byte[] ENROLL_JS = resource("/web/enroll.js");

    private static byte[] resource(String name) {
        try (java.io.InputStream in = SystemRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record InterfaceRequest(String address) {
    }

    private Object settings(Call call) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("boundTo", app.config().bindHost());
        m.put("managementAddress", Settings.of(app.config().stateDir()).managementAddress().orElse(null));
        return m;
    }

    private Object setManagementInterface(Call call) {
        InterfaceRequest r = call.body(InterfaceRequest.class);
        Settings.of(app.config().stateDir()).setManagementAddress(r.address());
        call.target("setting:management-interface");
        call.reason("management interface set; applies at the next start");
        return settings(call);
    }

    private Object health(Call call) {
        boolean up = app.vault().healthy();
        return Reply.json(up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN"));
    }

    private volatile String openapi;

    private Object openapi(Call call) {
        String yaml = openapi;
        if (yaml == null) { // built once: the table cannot change while the server runs
            yaml = OpenApi.yaml(ApiRoutes.table(app));
            openapi = yaml;
        }
        return Reply.text("application/yaml", yaml);
    }

    private Object metrics(Call call) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cairn_hsm_healthy", app.vault().healthy() ? 1 : 0);
        m.put("cairn_audit_last_seq", app.audit().lastSeq());
        m.put("cairn_audit_last_checkpoint_seq", app.audit().lastCheckpoint());
        m.put("cairn_audit_append_only_enforced", app.audit().appendOnlyEnforced() ? 1 : 0);
        m.put("cairn_users", app.users().list().size());
        m.put("cairn_tasks", app.tasks().list().size());
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append("# TYPE ").append(k).append(" gauge\n").append(k).append(' ').append(v).append('\n'));
        return Reply.text("text/plain; version=0.0.4", b.toString());
    }

    private Object tasks(Call call) {
        List<Tasks.View> all = app.tasks().list();
        return call.caller().holds(METRICS_READ) ? all
                : all.stream().filter(t -> t.owner().equals(call.caller().name())).toList();
    }

    private Object task(Call call) {
        String id = call.path("id");
        Tasks.View t = app.tasks().find(id).orElseThrow(() -> ApiException.notFound("no such task"));
        if (!t.owner().equals(call.caller().name()) && !call.caller().holds(METRICS_READ)) {
            throw ApiException.notFound("no such task");
        }
        return t;
    }
}
