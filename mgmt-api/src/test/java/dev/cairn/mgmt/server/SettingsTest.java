package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS-3: an administrator names the management interface through the API; only an address of this machine's own
 * interfaces is accepted (not the wildcard, not an address it does not have), it is stored in
 * {@code settings/settings.json} (docs/formats/settings.md) for the next start, and a damaged file fails closed.
 */
@RoutingTest
class SettingsTest {
    private static ApplianceFixture fx;
    private final DirectClient client;

    SettingsTest(DirectClient client) {
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
    void theManagementInterfaceIsAnAddressOfThisApplianceAndIsKeptForTheNextStart() throws Exception {
        byte[] secret = fx.user("net-admin", Role.ADMINISTRATOR);
        Browser b = new Browser(client);
        assertThat(b.login(fx, "net-admin", secret).status()).isEqualTo(200);
        assertThat(b.get("/api/v1/settings").json().path("boundTo").asText()).isEqualTo("127.0.0.1");
        assertThat(b.get("/api/v1/settings").json().path("managementAddress").isNull()).isTrue();

        String path = "/api/v1/settings/management-interface";
        assertThat(b.put(path, "{\"address\":\"0.0.0.0\"}").status()).as("not the wildcard").isEqualTo(400);
        Browser.Response foreign = b.put(path, "{\"address\":\"192.0.2.77\"}");
        assertThat(foreign.status()).as("not an address this machine lacks").isEqualTo(400);
        assertThat(foreign.detail()).contains("no interface");
        assertThat(b.put(path, "{\"address\":\"eth0\"}").status()).as("an address, not a name").isEqualTo(400);

        Browser.Response set = b.put(path, "{\"address\":\"127.0.0.1\"}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().path("managementAddress").asText()).isEqualTo("127.0.0.1");
        Path file = fx.app.config().stateDir().resolve("settings/settings.json");
        assertThat(Files.readString(file)).isEqualTo("{\"format\":\"cairn-settings v1\",\"managementAddress\":\"127.0.0.1\"}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Settings.of(fx.app.config().stateDir()).managementAddress()).contains("127.0.0.1");

        Files.writeString(file, "{\"format\":\"cairn-settings v9\"}");
        assertThatThrownBy(() -> Settings.of(fx.app.config().stateDir()).managementAddress())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
    }
}
