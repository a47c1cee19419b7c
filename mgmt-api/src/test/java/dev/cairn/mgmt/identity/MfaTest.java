package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.IssuedRecoveryCodes;
import dev.cairn.mgmt.auth.TotpSecret;
import dev.cairn.mgmt.webauthn.Passkey;

class MfaTest {
    @TempDir
    Path tmp;
    Fixture f;
    UserStore users;
    Mfa mfa;

    @BeforeEach
    void setUp() {
        f = new Fixture(tmp);
        users = f.store();
        users.create("alice", Fixture.GOOD, Set.of(Role.ADMINISTRATOR));
        mfa = new Mfa(users, f.hasher, f.clock, f.random);
    }

    private byte[] secretOf(TotpSetup setup) throws Exception {
        return TotpSecret.fromBase32(setup.secretBase32()).bytes();
    }

    @Test
    void totpEnrollConfirmVerifyWithoutReplay() throws Exception {
        TotpSetup setup = mfa.beginTotp("alice", "Cairn");
        assertThat(setup.uri()).startsWith("otpauth://totp/Cairn:alice?secret=" + setup.secretBase32());
        assertThat(setup.toString()).doesNotContain(setup.secretBase32());
        byte[] secret = secretOf(setup);
        assertThat(users.find("alice").orElseThrow().mfaEnrolled()).isFalse();
        // a pending secret does not verify as a login factor
        assertThat(mfa.verifyTotp("alice", Fixture.totp(secret, f.clock.instant()))).isFalse();

        assertThat(mfa.confirmTotp("alice", "000000".equals(Fixture.totp(secret, f.clock.instant())) ? "111111"
                : "000000")).isFalse();
        String first = Fixture.totp(secret, f.clock.instant());
        assertThat(mfa.confirmTotp("alice", first)).isTrue();
        User u = f.store().find("alice").orElseThrow();
        assertThat(u.mfaEnrolled()).isTrue();
        assertThat(u.mfaEnrolledAt()).isEqualTo(f.clock.instant());
        assertThat(mfa.confirmTotp("alice", first)).isFalse(); // already confirmed

        assertThat(mfa.verifyTotp("alice", first)).as("replay of the confirming code").isFalse();
        f.clock.advance(Duration.ofSeconds(30));
        String next = Fixture.totp(secret, f.clock.instant());
        assertThat(mfa.verifyTotp("alice", "12345")).isFalse();
        assertThat(mfa.verifyTotp("alice", next)).isTrue();
        assertThat(mfa.verifyTotp("alice", next)).as("replay").isFalse();
        // survives reopen: the last used step is persisted
        Mfa again = new Mfa(f.store(), f.hasher, f.clock, f.random);
        assertThat(again.verifyTotp("alice", next)).isFalse();
        f.clock.advance(Duration.ofSeconds(30));
        assertThat(again.verifyTotp("alice", Fixture.totp(secret, f.clock.instant()))).isTrue();
        assertThat(mfa.verifyTotp("nobody", next)).isFalse();

        assertThatThrownBy(() -> mfa.beginTotp("alice", "Cairn")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reset");
    }

    @Test
    void beginTotpReplacesAnUnconfirmedSecret() throws Exception {
        byte[] first = secretOf(mfa.beginTotp("alice", "Cairn"));
        byte[] second = secretOf(mfa.beginTotp("alice", "Cairn"));
        assertThat(second).isNotEqualTo(first);
        assertThat(mfa.confirmTotp("alice", Fixture.totp(first, f.clock.instant()))).isFalse();
        assertThat(mfa.confirmTotp("alice", Fixture.totp(second, f.clock.instant()))).isTrue();
    }

    @Test
    void recoveryCodesAreSingleUseAndANewSetReplacesTheOld() {
        IssuedRecoveryCodes set = mfa.issueRecoveryCodes("alice");
        assertThat(set.codes()).hasSize(10);
        assertThat(users.find("alice").orElseThrow().recoveryCodeHashes()).isEqualTo(set.storedHashes());
        String c3 = set.codes().get(3);
        assertThat(mfa.useRecoveryCode("alice", "AAAAA-AAAAA")).isFalse();
        assertThat(mfa.useRecoveryCode("alice", c3.toLowerCase())).isTrue();
        assertThat(mfa.useRecoveryCode("alice", c3)).isFalse();
        assertThat(f.store().find("alice").orElseThrow().usedRecoveryCodes()).containsExactly(3);
        assertThat(mfa.useRecoveryCode("alice", set.codes().get(4))).isTrue();

        IssuedRecoveryCodes fresh = mfa.issueRecoveryCodes("alice");
        assertThat(mfa.useRecoveryCode("alice", set.codes().get(5))).isFalse();
        assertThat(users.find("alice").orElseThrow().usedRecoveryCodes()).isEmpty();
        assertThat(mfa.useRecoveryCode("alice", fresh.codes().get(0))).isTrue();
        assertThat(mfa.useRecoveryCode("nobody", fresh.codes().get(1))).isFalse();
    }

    @Test
    void passkeysAddUpdateAndResetMfa() throws Exception {
        Instant t0 = f.clock.instant();
        Passkey pk = new Passkey(new byte[] {1, 2, 3}, new byte[] {9, 9}, 0, "YubiKey 5C", t0);
        f.clock.advance(Duration.ofMinutes(5));
        User u = mfa.addPasskey("alice", pk);
        assertThat(u.mfaEnrolled()).isTrue();
        assertThat(u.mfaEnrolledAt()).isEqualTo(f.clock.instant());
        users.create("bob", Fixture.GOOD, Set.of());
        assertThatThrownBy(() -> mfa.addPasskey("bob", pk)).isInstanceOf(IllegalArgumentException.class);

        User updated = mfa.updatePasskey("alice", pk.withSignCount(7));
        assertThat(updated.passkeys()).containsExactly(pk.withSignCount(7));
        assertThat(f.store().find("alice").orElseThrow().passkeys().get(0).signCount()).isEqualTo(7);
        assertThatThrownBy(() -> mfa.updatePasskey("alice",
                new Passkey(new byte[] {4}, new byte[] {9}, 1, "other", t0))).isInstanceOf(IllegalArgumentException.class);

        TotpSetup setup = mfa.beginTotp("alice", "Cairn");
        assertThat(mfa.confirmTotp("alice", Fixture.totp(secretOf(setup), f.clock.instant()))).isTrue();
        mfa.issueRecoveryCodes("alice");

        User reset = mfa.resetMfa("alice");
        assertThat(reset.mfaEnrolled()).isFalse();
        assertThat(reset.mfaEnrolledAt()).isNull();
        assertThat(reset.totp()).isEmpty();
        assertThat(reset.passkeys()).isEmpty();
        assertThat(reset.recoveryCodeHashes()).isEmpty();
        assertThat(reset.webauthnUserHandle()).isEqualTo(u.webauthnUserHandle());
        assertThat(f.store().find("alice").orElseThrow()).isEqualTo(reset);
        assertThatThrownBy(() -> mfa.resetMfa("nobody")).isInstanceOf(NoSuchUserException.class);
    }

    @Test
    void wrongMfaCodesShareThePasswordLockout() throws Exception {
        TotpSetup setup = mfa.beginTotp("alice", "Cairn");
        byte[] secret = secretOf(setup);
        assertThat(mfa.confirmTotp("alice", Fixture.totp(secret, f.clock.instant()))).isTrue();
        IssuedRecoveryCodes codes = mfa.issueRecoveryCodes("alice");
        f.clock.advance(Duration.ofMinutes(1));
        String right = Fixture.totp(secret, f.clock.instant());
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 3; i++) {
            assertThat(mfa.verifyTotp("alice", wrong)).isFalse();
        }
        assertThat(mfa.useRecoveryCode("alice", "AAAAA-AAAAA")).isFalse(); // failure 4: the next waits 1 s
        assertThat(users.find("alice").orElseThrow().lockout().failures()).isEqualTo(4);
        assertThat(mfa.verifyTotp("alice", right)).as("refused while waiting, not checked").isFalse();
        assertThat(mfa.useRecoveryCode("alice", codes.codes().get(0))).as("not used up while waiting").isFalse();
        assertThat(users.find("alice").orElseThrow().usedRecoveryCodes()).isEmpty();
        assertThat(users.find("alice").orElseThrow().lockout().failures()).isEqualTo(4);
        f.clock.advance(Duration.ofSeconds(1));
        assertThat(mfa.verifyTotp("alice", right)).isTrue();
        assertThat(users.find("alice").orElseThrow().lockout().failures()).isZero();

        for (int i = 0; i < 10; i++) {
            f.clock.advance(Duration.ofMinutes(10));
            assertThat(mfa.verifyTotp("alice", wrong)).isFalse();
        }
        assertThat(f.store().find("alice").orElseThrow().lockout().locked()).isTrue();
        f.clock.advance(Duration.ofDays(1));
        assertThat(mfa.verifyTotp("alice", Fixture.totp(secret, f.clock.instant()))).isFalse();
        assertThat(mfa.useRecoveryCode("alice", codes.codes().get(1))).isFalse();
    }

    @Test
    void aRecoveryCodeUsedConcurrentlySucceedsOnce() throws Exception {
        IssuedRecoveryCodes codes = mfa.issueRecoveryCodes("alice");
        String code = codes.codes().get(7);
        int n = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return mfa.useRecoveryCode("alice", code);
                }));
            }
            go.countDown();
            int wins = 0;
            for (var r : results) {
                wins += r.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(users.find("alice").orElseThrow().usedRecoveryCodes()).containsExactly(7);
    }
}
