package dev.cairn.mgmt.auth;

import dev.cairn.hsm.testing.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.mgmt.auth.LockoutPolicy.Decision.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** docs/auth.md, section 3, with a clock moved by hand. */
class LockoutPolicyTest {
    static final Instant T0 = Instant.parse("2026-11-28T19:00:00Z");

    final TestClock clock = new TestClock(T0);
    final LockoutPolicy policy = new LockoutPolicy(LockoutPolicy.Limits.DEFAULT, clock);

    LockoutState fail(LockoutState s) {
        assertThat(policy.check(s).kind()).isEqualTo(Kind.ALLOWED);
        return policy.onFailure(s);
    }

    @Test
    void threeFreeFailuresThenADoublingDelay() {
        LockoutState s = LockoutState.CLEAR;
        for (int i = 0; i < 3; i++) {
            s = fail(s);
        }
        assertThat(s.failures()).isEqualTo(3);
        assertThat(policy.check(s).kind()).isEqualTo(Kind.ALLOWED); // failures 1..3 have no delay
        s = fail(s); // 4th failure: 1 s
        LockoutPolicy.Decision d = policy.check(s);
        assertThat(d.kind()).isEqualTo(Kind.WAIT);
        assertThat(d.notBefore()).isEqualTo(T0.plusSeconds(1));
        clock.advance(Duration.ofMillis(999));
        assertThat(policy.check(s).kind()).isEqualTo(Kind.WAIT);
        clock.advance(Duration.ofMillis(1));
        assertThat(policy.check(s).kind()).isEqualTo(Kind.ALLOWED);
        s = fail(s); // 5th: 2 s from now
        assertThat(policy.check(s).notBefore()).isEqualTo(clock.instant().plusSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        s = fail(s); // 6th: 4 s
        assertThat(policy.check(s).notBefore()).isEqualTo(clock.instant().plusSeconds(4));
    }

    @Test
    void theDelayIsCapped() {
        assertThat(policy.delayAfter(3)).isEqualTo(Duration.ZERO);
        assertThat(policy.delayAfter(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayAfter(12)).isEqualTo(Duration.ofSeconds(256));
        assertThat(policy.delayAfter(13)).isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void tenFailuresLockUntilClearedAndSuccessDoesNotUnlock() {
        LockoutState s = LockoutState.CLEAR;
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofHours(1)); // waits always over
            s = fail(s);
        }
        assertThat(s.locked()).isTrue();
        clock.advance(Duration.ofDays(365));
        assertThat(policy.check(s).kind()).isEqualTo(Kind.LOCKED);
        assertThat(policy.onSuccess(s)).isEqualTo(s);
        assertThat(policy.check(LockoutState.CLEAR).kind()).isEqualTo(Kind.ALLOWED); // the unlock
    }

    @Test
    void successResets() {
        LockoutState s = LockoutState.CLEAR;
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofHours(1));
            s = fail(s);
        }
        assertThat(policy.onSuccess(s)).isEqualTo(LockoutState.CLEAR);
    }

    @Test
    void aClockThatGoesBackOnlyLengthensTheWait() {
        LockoutState s = new LockoutState(5, T0, false);
        clock.set(T0.minus(Duration.ofHours(1)));
        LockoutPolicy.Decision d = policy.check(s);
        assertThat(d.kind()).isEqualTo(Kind.WAIT);
        assertThat(d.notBefore()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void stateIsValidatedAndHoldsNoSecret() {
        assertThatThrownBy(() -> new LockoutState(1, null, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockoutState(0, T0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockoutState(-1, T0, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LockoutPolicy.Limits(5, Duration.ofSeconds(1), Duration.ofMinutes(1), 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
