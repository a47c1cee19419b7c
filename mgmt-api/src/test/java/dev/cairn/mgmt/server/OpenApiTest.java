package dev.cairn.mgmt.server;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.lang.reflect.RecordComponent;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /openapi.yaml} is public, parses as YAML (OpenAPI 3.1), and lists exactly the route table: every
 * path and method, with the route's permission, audit action, step-up and request body members.
 */
@RoutingTest
class OpenApiTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    OpenApiTest(DirectClient client) {
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
    @SuppressWarnings("unchecked")
    void theDocumentIsTheRouteTable() {
        String text;
        try (Http1ClientResponse res = client.get("/openapi.yaml").request()) {
            assertThat(res.status().code()).isEqualTo(200);
            assertThat(res.headers().first(HeaderNames.CONTENT_TYPE).orElse("")).startsWith("application/yaml");
            text = res.as(String.class);
        }
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        assertThat(doc.get("openapi")).isEqualTo("3.1.0");
        Map<String, Map<String, Map<String, Object>>> paths = (Map<String, Map<String, Map<String, Object>>>) doc.get("paths");
        int operations = 0;
        for (Map<String, Map<String, Object>> ops : paths.values()) {
            operations += ops.size();
        }
        var table = ApiRoutes.table(fx.app);
        assertThat(operations).as("no operation that is not a route").isEqualTo(table.size());
        for (ApiRoute r : table) {
            Map<String, Object> op = paths.get(r.path()).get(r.method().text().toLowerCase());
            assertThat(op).as(r.method().text() + " " + r.path()).isNotNull();
            assertThat(op.get("x-cairn-permission")).isEqualTo(r.permission().name().toLowerCase());
            assertThat(op.get("x-cairn-audit")).isEqualTo(r.audit() == null ? Boolean.FALSE : r.audit());
            assertThat(op.get("x-cairn-step-up")).isEqualTo(r.stepUp());
            if (r.body() != null) {
                Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                        ((Map<String, Object>) op.get("requestBody")).get("content")).get("application/json")).get("schema");
                Map<String, Object> props = (Map<String, Object>) schema.get("properties");
                for (RecordComponent c : r.body().getRecordComponents()) {
                    assertThat(props).as(r.path()).containsKey(c.getName());
                }
                assertThat(props).hasSize(r.body().getRecordComponents().length);
            } else {
                assertThat(op).doesNotContainKey("requestBody");
            }
        }
    }
}
