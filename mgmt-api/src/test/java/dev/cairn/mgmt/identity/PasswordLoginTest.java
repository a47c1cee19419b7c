package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.Argon2Params;
import dev.cairn.mgmt.auth.LockoutPolicy;
import dev.cairn.mgmt.auth.LockoutState;
import dev.cairn.mgmt.auth.PasswordHasher;
import dev.cairn.mgmt.identity.PasswordLogin.LoginResult.Kind;

class PasswordLoginTest {
    @TempDir
    Path tmp;
    Fixture f;
    UserStore users;
    PasswordLogin login;

    @BeforeEach
    void setUp() {
        f = new Fixture(tmp);
        users = f.store();
        users.create("alice", Fixture.GOOD, Set.of(Role.ADMINISTRATOR));
        login = new PasswordLogin(users, f.hasher, new LockoutPolicy(LockoutPolicy.Limits.DEFAULT, f.clock), f.clock);
    }

    @Test
    void rightPasswordIsOkAndWrongOrUnknownAreTheSameAnswer() {
        PasswordLogin.LoginResult ok = login.login("alice", Fixture.GOOD);
        assertThat(ok.kind()).isEqualTo(Kind.OK);
        assertThat(ok.user().orElseThrow().username()).isEqualTo("alice");

        PasswordLogin.LoginResult wrong = login.login("alice", "not the password at all".toCharArray());
        PasswordLogin.LoginResult unknown = login.login("mallory", Fixture.GOOD);
        PasswordLogin.LoginResult invalid = login.login("Not A Name", Fixture.GOOD);
        assertThat(wrong).isEqualTo(unknown).isEqualTo(invalid);
        assertThat(wrong.kind()).isEqualTo(Kind.WRONG);
        assertThat(wrong.user()).isEmpty();
        assertThat(users.find("alice").orElseThrow().lockout().failures()).isEqualTo(1);
        assertThat(users.find("mallory")).isEmpty();
    }

    @Test
    void anUnknownNameBacksOffExactlyLikeAnAccountSo429TellsNothing() {
        char[] bad = "wrong password guess".toCharArray();
        for (int i = 0; i < 4; i++) {
            assertThat(login.login("alice", bad).kind()).isEqualTo(Kind.WRONG);
            assertThat(login.login("mallory", bad).kind()).isEqualTo(Kind.WRONG);
        }
        PasswordLogin.LoginResult real = login.login("alice", bad);
        PasswordLogin.LoginResult none = login.login("mallory", bad);
        assertThat(none.kind()).isEqualTo(real.kind()).isEqualTo(Kind.LOCKED);
        assertThat(none.notBefore()).isEqualTo(real.notBefore()).isNotNull();
        assertThat(users.find("mallory")).as("nothing stored for the unknown name").isEmpty();
    }

    @Test
    void backoffThenLockThenUnlock() {
        char[] bad = "wrong password guess".toCharArray();
        for (int i = 0; i < 3; i++) {
            assertThat(login.login("alice", bad).kind()).isEqualTo(Kind.WRONG); // free attempts
        }
        assertThat(login.login("alice", bad).kind()).isEqualTo(Kind.WRONG); // failure 4: next waits 1 s
        PasswordLogin.LoginResult locked = login.login("alice", Fixture.GOOD);
        assertThat(locked.kind()).isEqualTo(Kind.LOCKED);
        assertThat(locked.notBefore()).isEqualTo(f.clock.instant().plusSeconds(1));
        // while waiting even the right password is not checked and the attempt is not counted
        assertThat(users.find("alice").orElseThrow().lockout().failures()).isEqualTo(4);

        f.clock.advance(Duration.ofSeconds(1));
        PasswordLogin.LoginResult ok = login.login("alice", Fixture.GOOD);
        assertThat(ok.kind()).isEqualTo(Kind.OK);
        assertThat(ok.user().orElseThrow().lockout()).isEqualTo(LockoutState.CLEAR);
        assertThat(f.store().find("alice").orElseThrow().lockout()).isEqualTo(LockoutState.CLEAR);

        for (int i = 0; i < 10; i++) {
            f.clock.advance(Duration.ofMinutes(10));
            assertThat(login.login("alice", bad).kind()).isEqualTo(Kind.WRONG);
        }
        f.clock.advance(Duration.ofDays(30));
        PasswordLogin.LoginResult hard = login.login("alice", Fixture.GOOD);
        assertThat(hard.kind()).isEqualTo(Kind.LOCKED);
        assertThat(hard.notBefore()).isNull();
        assertThat(f.store().find("alice").orElseThrow().lockout().locked()).isTrue(); // persisted

        login.unlock("alice");
        assertThat(login.login("alice", Fixture.GOOD).kind()).isEqualTo(Kind.OK);
    }

    @Test
    void disabledIsOnlyToldToTheRightPassword() {
        users.update("alice", u -> u.withDisabled(true));
        assertThat(login.login("alice", "wrong password guess".toCharArray()).kind()).isEqualTo(Kind.WRONG);
        assertThat(login.login("alice", Fixture.GOOD).kind()).isEqualTo(Kind.DISABLED);
    }

    @Test
    void rehashesOnSuccessWhenParametersChanged() throws Exception {
        String old = users.find("alice").orElseThrow().passwordHash();
        PasswordHasher stronger = new PasswordHasher(new Argon2Params(128, 1, 1, 16, 32), f.random);
        PasswordLogin l2 = new PasswordLogin(users, stronger, new LockoutPolicy(LockoutPolicy.Limits.DEFAULT, f.clock),
                f.clock);
        assertThat(l2.login("alice", Fixture.GOOD).kind()).isEqualTo(Kind.OK);
        String now = f.store().find("alice").orElseThrow().passwordHash();
        assertThat(now).isNotEqualTo(old).contains("m=128");
        assertThat(stronger.needsRehash(now)).isFalse();
        assertThat(l2.login("alice", Fixture.GOOD).kind()).isEqualTo(Kind.OK);
    }

    @Test
    void parallelWrongGuessesAreEachCounted() throws Exception {
        int n = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Kind>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return login.login("alice", "wrong password guess".toCharArray()).kind();
                }));
            }
            go.countDown();
            int wrong = 0;
            for (var r : results) {
                wrong += r.get() == Kind.WRONG ? 1 : 0;
            }
            // the clock does not move: 3 free failures, the 4th sets a 1 s wait, the rest are refused unchecked
            assertThat(wrong).isEqualTo(4);
            assertThat(users.find("alice").orElseThrow().lockout().failures()).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
    }
}
