package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.repo.Repository;
import dev.cairn.hsm.KeyVault;
import dev.cairn.mgmt.access.Role;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository through the API, on a real repository: a backup of a configured source and a restore into a
 * configured target run as tasks whose progress ends at their totals; snapshots are listed without paths; a
 * verification finds nothing; a source or target that is not configured is refused (the API never takes a path).
 */
@RoutingTest
class RepositoryTasksTest {
    private static final String TENANT = "clinic";
    private static ApplianceFixture fx;
    private static Path repoDir;
    private static Path source;
    private static Path restores;
    private final DirectClient client;

    RepositoryTasksTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        try {
            repoDir = Files.createTempDirectory("cairn-repo-");
            source = Files.createTempDirectory("cairn-source-");
            restores = Files.createTempDirectory("cairn-restores-");
            Files.writeString(source.resolve("schedule.txt"), "Monday 9:00 staff meeting\n".repeat(1000));
            Files.write(source.resolve("image.bin"), new SecureRandom().generateSeed(200_000));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fx = ApplianceFixture.create(c -> c.withRepository(repoDir, TENANT, Map.of("docs", source), Map.of("out", restores)));
        Repository.init(repoDir, fx.clock, new SecureRandom());
        fx.vault.createKek(TENANT, KeyVault.DEFAULT_ROTATION_PERIOD);
        try (Repository repo = Repository.open(repoDir, fx.vault, Repository.LockMode.EXCLUSIVE, fx.clock, new SecureRandom())) {
            repo.addTenant(TENANT);
        }
        ApiServer.routing(routing, fx.app);
    }

    @AfterAll
    static void close() throws Exception {
        fx.close();
        for (Path p : List.of(repoDir, source, restores)) {
            new ProcessBuilder("rm", "-rf", p.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Polls a task until it ends (at most 60 s of real time: tasks run on their own threads). */
    private JsonNode finished(Browser b, String id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode t = b.get("/api/v1/tasks/" + id).json();
            String state = t.path("state").asText();
            if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                return t;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task " + id + " did not end within 60 s");
    }

    @Test
    void backupListRestoreAndVerifyRunAsTasks() throws Exception {
        byte[] secret = fx.user("operator", Role.BACKUP_OPERATOR);
        Browser b = new Browser(client);
        assertThat(b.login(fx, "operator", secret).status()).isEqualTo(200);

        assertThat(b.post("/api/v1/backups", "{\"source\":\"/etc\"}").status()).as("a path is not a source").isEqualTo(400);
        Browser.Response started = b.post("/api/v1/backups", "{\"source\":\"docs\"}");
        assertThat(started.status()).isEqualTo(202);
        JsonNode backup = finished(b, started.json().path("id").asText());
        assertThat(backup.path("state").asText()).as(backup.toString()).isEqualTo("SUCCEEDED");
        long bytes = Files.size(source.resolve("schedule.txt")) + Files.size(source.resolve("image.bin"));
        assertThat(backup.path("done").asLong()).as("progress ends at the total").isEqualTo(bytes);
        assertThat(backup.path("total").asLong()).isEqualTo(bytes);

        Browser.Response snapshots = b.get("/api/v1/snapshots");
        assertThat(snapshots.status()).isEqualTo(200);
        assertThat(snapshots.json()).hasSize(1);
        assertThat(snapshots.body()).as("no paths or file names").doesNotContain("schedule").doesNotContain(source.toString());

        assertThat(b.post("/api/v1/restores", "{\"snapshot\":\"latest\",\"target\":\"/tmp\"}").status()).isEqualTo(400);
        b.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + fx.totp(secret) + "\"}"); // restore needs step-up
        Browser.Response restore = b.post("/api/v1/restores", "{\"snapshot\":\"latest\",\"target\":\"out\"}");
        assertThat(restore.status()).as(restore.body()).isEqualTo(202);
        JsonNode restored = finished(b, restore.json().path("id").asText());
        assertThat(restored.path("state").asText()).as(restored.toString()).isEqualTo("SUCCEEDED");
        assertThat(restored.path("done").asLong()).isEqualTo(bytes);
        try (Stream<Path> files = Files.walk(restores)) {
            Path copy = files.filter(p -> p.getFileName().toString().equals("image.bin")).findFirst().orElseThrow();
            assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(source.resolve("image.bin")));
        }

        Browser.Response verify = b.post("/api/v1/verify", "{\"readData\":true}");
        assertThat(verify.status()).isEqualTo(202);
        JsonNode checked = finished(b, verify.json().path("id").asText());
        assertThat(checked.path("summary").asText()).isEqualTo("no findings");
    }
}
