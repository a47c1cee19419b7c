package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.mgmt.access.Role;

class EnrollmentTest {
    @TempDir
    Path tmp;

    @Test
    void singleUseAndStoredOnlyAsHash() throws Exception {
        Fixture f = new Fixture(tmp);
        UserStore users = f.store();
        Enrollment e = Enrollment.open(f.dir, f.clock, f.random);
        String token = e.createIfNoUsers(users, Duration.ofHours(24)).orElseThrow();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(Files.readString(f.dir.resolve(Enrollment.FILE))).doesNotContain(token);

        Enrollment reopened = Enrollment.open(f.dir, f.clock, f.random);
        char[] c = token.toCharArray();
        c[0] = c[0] == 'A' ? 'B' : 'A';
        assertThat(reopened.consume(new String(c))).isFalse();
        assertThat(reopened.consume("")).isFalse();
        assertThat(reopened.consume(token)).isTrue();
        assertThat(reopened.consume(token)).isFalse();
        assertThat(f.dir.resolve(Enrollment.FILE)).doesNotExist();
        assertThat(Enrollment.open(f.dir, f.clock, f.random).consume(token)).isFalse();
    }

    @Test
    void expiresAndANewLinkReplacesTheOld() {
        Fixture f = new Fixture(tmp);
        UserStore users = f.store();
        Enrollment e = Enrollment.open(f.dir, f.clock, f.random);
        String old = e.createIfNoUsers(users, Duration.ofHours(1)).orElseThrow();
        String fresh = e.createIfNoUsers(users, Duration.ofHours(1)).orElseThrow();
        assertThat(e.consume(old)).isFalse();
        f.clock.advance(Duration.ofHours(1));
        assertThat(e.consume(fresh)).isFalse();
        assertThat(e.pending()).isFalse();
        f.clock.advance(Duration.ofHours(-1));
        assertThat(e.consume(fresh)).as("an expired link is deleted, not just refused").isFalse();
    }

    @Test
    void noneWhenUsersExist() {
        Fixture f = new Fixture(tmp);
        UserStore users = f.store();
        Enrollment e = Enrollment.open(f.dir, f.clock, f.random);
        String pending = e.createIfNoUsers(users, Duration.ofHours(1)).orElseThrow();
        users.create("admin", Fixture.GOOD, Set.of(Role.ADMINISTRATOR));
        assertThat(e.createIfNoUsers(users, Duration.ofHours(1))).isEmpty();
        assertThat(e.consume(pending)).isFalse();
        assertThat(f.dir.resolve(Enrollment.FILE)).doesNotExist();
    }
}
