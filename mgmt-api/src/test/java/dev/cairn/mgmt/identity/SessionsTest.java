package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.cairn.mgmt.identity.Session.Stage;

class SessionsTest {
    final Fixture f = new Fixture(Path.of("unused"));
    final Sessions sessions = new Sessions(f.clock, f.random, Duration.ofMinutes(15), Duration.ofHours(8));

    @Test
    void tokenIs256BitBase64UrlAndOnlyItsHashIsKept() {
        Sessions.Issued i = sessions.create("alice", Stage.FULL, "password+totp", f.clock.instant(), null);
        assertThat(i.token()).matches("[A-Za-z0-9_-]{43}");
        assertThat(i.session().csrfToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(i.token());
        assertThat(i.session().id()).isNotEqualTo(i.token()).doesNotContain(i.token());
        assertThat(i.toString()).doesNotContain(i.token());
        assertThat(i.session().toString()).doesNotContain(i.session().csrfToken());
        assertThat(sessions.lookup(i.token())).isPresent();
        // a token that differs in one character is nobody's: the lookup goes by the hash of the exact value
        char[] c = i.token().toCharArray();
        c[10] = c[10] == 'A' ? 'B' : 'A';
        assertThat(sessions.lookup(new String(c))).isEmpty();
        assertThat(sessions.lookup(i.session().id())).isEmpty();
        assertThat(sessions.lookup(i.session().csrfToken())).isEmpty();
        assertThat(sessions.lookup(null)).isEmpty();
        assertThat(sessions.lookup(i.token() + "x")).isEmpty();
    }

    @Test
    void anAccountKeepsAtMostTwentySessionsAndLosesItsOldestFirst() {
        Sessions.Issued first = sessions.create("alice", Stage.FULL, "password+totp", f.clock.instant(), null);
        f.clock.advance(Duration.ofSeconds(1));
        Sessions.Issued bob = sessions.create("bob", Stage.FULL, "password+totp", f.clock.instant(), null);
        java.util.List<Sessions.Issued> more = new java.util.ArrayList<>();
        for (int k = 0; k < Sessions.MAX_PER_USER; k++) {
            f.clock.advance(Duration.ofSeconds(1));
            more.add(sessions.create("alice", Stage.FULL, "password+totp", f.clock.instant(), null));
        }
        assertThat(sessions.lookup(first.token())).as("the oldest of alice's 21 is gone").isEmpty();
        assertThat(more).allSatisfy(i -> assertThat(sessions.lookup(i.token())).isPresent());
        assertThat(sessions.lookup(bob.token())).as("other accounts are untouched").isPresent();
    }

    @Test
    void idleTimeoutIsMovedByEachLookup() {
        Sessions.Issued i = sessions.create("alice", Stage.FULL, "password+totp", f.clock.instant(), null);
        for (int k = 0; k < 6; k++) {
            f.clock.advance(Duration.ofMinutes(14));
            assertThat(sessions.lookup(i.token())).as("lookup %d", k).isPresent();
        }
        f.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(sessions.lookup(i.token())).isEmpty();
        f.clock.advance(Duration.ofSeconds(-10));
        assertThat(sessions.lookup(i.token())).as("removed, not just hidden").isEmpty();
    }

    @Test
    void absoluteTimeoutEndsAnActiveSessionAndBreakGlassIsShorter() {
        Sessions.Issued i = sessions.create("alice", Stage.FULL, "password+totp", f.clock.instant(), null);
        Sessions.Issued bg = sessions.create("breakglass", Stage.FULL, "break-glass", f.clock.instant(),
                Duration.ofMinutes(60));
        Sessions.Issued longer = sessions.create("bob", Stage.FULL, "password", null, Duration.ofDays(3));
        assertThat(longer.session().absoluteEnd()).isEqualTo(f.clock.instant().plus(Duration.ofHours(8)));
        for (int k = 0; k < 4; k++) {
            f.clock.advance(Duration.ofMinutes(14));
            assertThat(sessions.lookup(bg.token())).isPresent();
            assertThat(sessions.lookup(i.token())).isPresent();
        }
        f.clock.advance(Duration.ofMinutes(4)); // 60 minutes
        assertThat(sessions.lookup(bg.token())).isEmpty();
        while (f.clock.instant().isBefore(i.session().absoluteEnd().minusSeconds(60))) {
            assertThat(sessions.lookup(i.token())).isPresent();
            f.clock.advance(Duration.ofMinutes(10));
        }
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.clock.instant()).isAfterOrEqualTo(i.session().absoluteEnd());
        assertThat(sessions.lookup(i.token())).isEmpty();
    }

    @Test
    void rotateGivesNewTokenAndCsrfAndTheOldTokenFailsAtOnce() {
        Sessions.Issued first = sessions.create("alice", Stage.PASSWORD_OK, "password", null, null);
        Sessions.Issued second = sessions.rotate(first.token(),
                s -> s.withStage(Stage.FULL, "password+totp", f.clock.instant()).withAttribute("k", "v"));
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(second.session().csrfToken()).isNotEqualTo(first.session().csrfToken());
        assertThat(second.session().id()).isEqualTo(first.session().id());
        assertThat(sessions.lookup(first.token())).isEmpty();
        Session s = sessions.lookup(second.token()).orElseThrow();
        assertThat(s.stage()).isEqualTo(Stage.FULL);
        assertThat(s.attributes()).containsEntry("k", "v");
        assertThat(s.absoluteEnd()).isEqualTo(first.session().absoluteEnd());
        assertThatThrownBy(() -> sessions.rotate(first.token(), x -> x)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sessions.rotate(second.token(), x -> new Session(x.id(), x.username(), x.stage(),
                x.authMethod(), x.createdAt(), x.lastSeenAt(), x.absoluteEnd().plusSeconds(3600), x.mfaAt(),
                x.csrfToken(), x.attributes()))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidateAndInvalidateUser() {
        Sessions.Issued a1 = sessions.create("alice", Stage.FULL, "password+totp", f.clock.instant(), null);
        Sessions.Issued a2 = sessions.create("alice", Stage.ENROLLING, "password", null, null);
        Sessions.Issued b = sessions.create("bob", Stage.FULL, "password+passkey", f.clock.instant(), null);
        sessions.invalidate(b.token());
        assertThat(sessions.lookup(b.token())).isEmpty();
        Sessions.Issued b2 = sessions.create("bob", Stage.FULL, "password+passkey", f.clock.instant(), null);
        sessions.invalidateUser("alice");
        assertThat(sessions.lookup(a1.token())).isEmpty();
        assertThat(sessions.lookup(a2.token())).isEmpty();
        assertThat(sessions.lookup(b2.token())).isPresent();
        assertThat(sessions.size()).isEqualTo(1);
    }

    @Test
    void mfaWithinIsAStepUpCheck() {
        Sessions.Issued i = sessions.create("alice", Stage.FULL, "password+totp", f.clock.instant(), null);
        Session s = i.session();
        assertThat(s.mfaWithin(Duration.ofMinutes(5), f.clock.instant().plus(Duration.ofMinutes(5)))).isTrue();
        assertThat(s.mfaWithin(Duration.ofMinutes(5), f.clock.instant().plus(Duration.ofMinutes(5)).plusSeconds(1)))
                .isFalse();
        assertThat(s.mfaWithin(Duration.ofMinutes(5), f.clock.instant().minusSeconds(1))).isFalse();
        Session noMfa = sessions.create("alice", Stage.PASSWORD_OK, "password", null, null).session();
        assertThat(noMfa.mfaWithin(Duration.ofDays(1), f.clock.instant())).isFalse();
    }
}
