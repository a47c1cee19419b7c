package dev.cairn.mgmt.server;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.lock.Locks;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.snapshot.Snapshot;
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
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * APR-1 through to the storage engine: removing a governance retention lock is an approval request; once two
 * others approved it, execute hands the signed record to the engine's {@code Locks}, which checks it with its own
 * {@code Authorization} before removing the lock. Without approvals there is no route that removes a lock.
 */
@RoutingTest
class RetentionApprovalFlowTest {
    private static final String TENANT = "clinic";
    private static ApplianceFixture fx;
    private static Path repoDir;
    private final DirectClient client;

    RetentionApprovalFlowTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        try {
            repoDir = Files.createTempDirectory("cairn-repo-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fx = ApplianceFixture.create(c -> c.withRepository(repoDir, TENANT, Map.<String, Path>of(), Map.<String, Path>of()));
        ApiServer.routing(routing, fx.app);
    }

    @AfterAll
    static void close() throws Exception {
        fx.close();
        new ProcessBuilder("chattr", "-R", "-i", "-a", repoDir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        new ProcessBuilder("rm", "-rf", repoDir.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }

    /** A repository with one snapshot under a 30-day governance lock. */
    private static String lockedSnapshot() throws Exception {
        Repository.init(repoDir, fx.clock, new SecureRandom());
        Path source = Files.createTempDirectory(fx.root, "source-");
        Files.writeString(source.resolve("note.txt"), "no patient data\n");
        fx.vault.createKek(TENANT, KeyVault.DEFAULT_ROTATION_PERIOD);
        try (Repository repo = Repository.open(repoDir, fx.vault, Repository.LockMode.EXCLUSIVE, fx.clock, new SecureRandom())) {
            repo.addTenant(TENANT);
            Snapshot s = Backup.run(repo, new Backup.Options(TENANT, List.of(source), new LinkedHashSet<>(), "test",
                    "auto", null));
            new Locks(repo).set(TENANT, s.id(), LockMode.GOVERNANCE, fx.clock.instant().plus(Duration.ofDays(30)), List.of());
            return s.id();
        }
    }

    private static boolean locked(String snapshot) {
        try (Repository repo = Repository.open(repoDir, fx.vault, Repository.LockMode.SHARED, fx.clock, new SecureRandom())) {
            return new Locks(repo).lock(TENANT, snapshot).isPresent();
        }
    }

    @Test
    void removingAGovernanceLockRunsOnlyWithTheSignedRecordTheEngineChecks() throws Exception {
        String snapshot = lockedSnapshot();
        assertThat(locked(snapshot)).isTrue();
        byte[] admin = fx.user("adm-ret", Role.ADMINISTRATOR);
        byte[] so1 = fx.user("so-ret-1", Role.SECURITY_OFFICER);
        byte[] so2 = fx.user("so-ret-2", Role.SECURITY_OFFICER);
        Browser a = new Browser(client);
        assertThat(a.login(fx, "adm-ret", admin).status()).isEqualTo(200);
        Browser.Response asked = a.post("/api/v1/approvals", "{\"action\":\"retention.remove\",\"target\":\"snapshot:"
                + snapshot + "\",\"reason\":\"wrong retention class\"}");
        assertThat(asked.status()).as(asked.body()).isEqualTo(201);
        String id = asked.json().path("id").asText();
        assertThat(a.post("/api/v1/approvals/" + id + "/execute").status()).as("not approved yet").isEqualTo(409);
        assertThat(locked(snapshot)).isTrue();

        for (var who : List.of(Map.entry("so-ret-1", so1), Map.entry("so-ret-2", so2))) {
            Browser b = new Browser(client);
            assertThat(b.login(fx, who.getKey(), who.getValue()).status()).isEqualTo(200);
            assertThat(b.post("/api/v1/approvals/" + id + "/approve").status()).isEqualTo(200);
        }
        assertThat(a.post("/api/v1/auth/mfa/totp", "{\"code\":\"" + fx.totp(admin) + "\"}").status()).isEqualTo(200);
        Browser.Response run = a.post("/api/v1/approvals/" + id + "/execute");
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().path("executed").asBoolean()).isTrue();
        assertThat(locked(snapshot)).as("the engine removed the lock").isFalse();
    }
}
