package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.mgmt.access.Permission;

class ApiTokensTest {
    @TempDir
    Path tmp;

    @Test
    void issueAuthenticateSurviveReopenAndTheFileHoldsNoTokenText() throws Exception {
        Fixture f = new Fixture(tmp);
        ApiTokens tokens = ApiTokens.open(f.dir, f.clock, f.random);
        ApiTokens.Issued i = tokens.issue("alice", Set.of(Permission.REPO_READ, Permission.METRICS_READ),
                Duration.ofDays(30), "nightly report");
        assertThat(i.text()).matches("cairn_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
        assertThat(i.text()).startsWith("cairn_" + i.token().id() + "_");
        assertThat(i.toString()).doesNotContain(i.text().substring(19));
        ApiToken t = tokens.authenticate(i.text()).orElseThrow();
        assertThat(t.scopes()).containsExactlyInAnyOrder(Permission.REPO_READ, Permission.METRICS_READ);
        assertThat(t.username()).isEqualTo("alice");
        assertThat(t.expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(30)));

        Path file = f.dir.resolve(ApiTokens.FILE);
        String json = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(json).contains(i.token().id()).doesNotContain(i.text()).doesNotContain(i.text().substring(19))
                .doesNotContain(i.text().substring(19, 40));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        ApiTokens again = ApiTokens.open(f.dir, f.clock, f.random);
        assertThat(again.authenticate(i.text())).contains(t);
        assertThat(again.list("alice")).containsExactly(t);
        assertThat(again.list("bob")).isEmpty();
    }

    @Test
    void tamperedSecretOrIdIsRefused() {
        Fixture f = new Fixture(tmp);
        ApiTokens tokens = ApiTokens.open(f.dir, f.clock, f.random);
        String text = tokens.issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(1), "x").text();
        for (int pos : new int[] {0, 7, 18, 19, 40, 61}) {
            char[] c = text.toCharArray();
            c[pos] = c[pos] == 'a' ? 'b' : 'a';
            assertThat(tokens.authenticate(new String(c))).as("position %d", pos).isEmpty();
        }
        assertThat(tokens.authenticate(text.substring(0, 61))).isEmpty();
        assertThat(tokens.authenticate(text + "A")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate(text)).isPresent();
    }

    @Test
    void expiryAndRevocation() {
        Fixture f = new Fixture(tmp);
        ApiTokens tokens = ApiTokens.open(f.dir, f.clock, f.random);
        ApiTokens.Issued day = tokens.issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(1), "short");
        ApiTokens.Issued month = tokens.issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(30), "long");
        ApiTokens.Issued bob = tokens.issue("bob", Set.of(Permission.BACKUP_RUN), Duration.ofDays(30), "bob's");
        f.clock.advance(Duration.ofDays(1).minusSeconds(1));
        assertThat(tokens.authenticate(day.text())).isPresent();
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(tokens.authenticate(day.text())).isEmpty();
        assertThat(tokens.list("alice")).extracting(ApiToken::label).containsExactly("long");

        tokens.revoke(month.token().id());
        assertThat(tokens.authenticate(month.text())).isEmpty();
        assertThat(ApiTokens.open(f.dir, f.clock, f.random).authenticate(month.text())).isEmpty();
        ApiTokens.Issued bob2 = tokens.issue("bob", Set.of(Permission.BACKUP_RUN), Duration.ofDays(30), "bob's 2");
        tokens.revokeUser("bob");
        assertThat(tokens.authenticate(bob.text())).isEmpty();
        assertThat(ApiTokens.open(f.dir, f.clock, f.random).authenticate(bob2.text())).isEmpty();
    }

    @Test
    void badRequestsAreRefused() {
        Fixture f = new Fixture(tmp);
        ApiTokens tokens = ApiTokens.open(f.dir, f.clock, f.random);
        assertThatThrownBy(() -> tokens.issue("alice", Set.of(), Duration.ofDays(1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofHours(23), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(91), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("alice", Set.of(Permission.MFA_PENDING), Duration.ofDays(1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("Alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(1), "a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tokens.issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(90), "max").token()
                .expiresAt()).isEqualTo(f.clock.instant().plus(Duration.ofDays(90)));
    }

    @Test
    void damagedFileFailsClosed() throws Exception {
        Fixture f = new Fixture(tmp);
        ApiTokens.open(f.dir, f.clock, f.random).issue("alice", Set.of(Permission.AUDIT_READ), Duration.ofDays(1), "x");
        Path file = f.dir.resolve(ApiTokens.FILE);
        Files.writeString(file, Files.readString(file).replace("\"version\" : 1", "\"version\" : 2"));
        assertThatThrownBy(() -> ApiTokens.open(f.dir, f.clock, f.random)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("restore it from backup");
    }
}
