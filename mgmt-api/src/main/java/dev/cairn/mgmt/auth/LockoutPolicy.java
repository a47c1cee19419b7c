package dev.cairn.mgmt.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Lockout with exponential backoff (docs/auth.md, section 3): a pure function of a {@link LockoutState} and the
 * injected clock. Immutable and thread safe. Use: {@link #check} before checking a credential; on
 * {@link Decision.Kind#ALLOWED} check it, then persist {@link #onFailure} or {@link #onSuccess}.
 */
public final class LockoutPolicy {

    /**
     * The named limits.
     *
     * @param freeAttempts failures without any delay (N)
     * @param baseDelay    the delay after failure N+1; doubles with each further failure
     * @param maxDelay     the cap on the delay
     * @param lockAfter    failures that lock the account (M), greater than {@code freeAttempts}
     */
    public record Limits(int freeAttempts, Duration baseDelay, Duration maxDelay, int lockAfter) {
        /** N=3, 1 s doubling up to 5 min, lock at 10. */
        public static final Limits DEFAULT = new Limits(3, Duration.ofSeconds(1), Duration.ofMinutes(5), 10);
        /**
         * For credentials anyone on the network can try (passwords, MFA codes, the break-glass credential): N=3,
         * 1 s doubling up to 15 min, and never a lock, so nobody can lock every administrator out by guessing;
         * at most about four guesses an hour per account stay possible once the backoff is at its cap.
         */
        public static final Limits ONLINE = new Limits(3, Duration.ofSeconds(1), Duration.ofMinutes(15), Integer.MAX_VALUE);

        /** Validates. */
        public Limits {
            if (freeAttempts < 0 || lockAfter <= freeAttempts) {
                throw new IllegalArgumentException("need 0 <= freeAttempts < lockAfter");
            }
            if (baseDelay.isNegative() || baseDelay.isZero() || maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay");
            }
        }
    }

    /**
     * What the caller may do now.
     *
     * @param kind     allowed, wait or locked
     * @param notBefore for {@link Kind#WAIT}, when the next attempt is allowed; otherwise {@code null}
     */
    public record Decision(Kind kind, Instant notBefore) {
        /** The kinds of decision. */
        public enum Kind {
            /** Check the credential now. */
            ALLOWED,
            /** Refuse without checking the credential and without counting; retry at {@code notBefore}. */
            WAIT,
            /** Refuse without checking; only an unlock by a security officer helps. */
            LOCKED
        }

        static final Decision ALLOWED = new Decision(Kind.ALLOWED, null);
        static final Decision LOCKED = new Decision(Kind.LOCKED, null);
    }

    private final Limits limits;
    private final Clock clock;

    /**
     * A policy over the given limits and clock.
     *
     * @param limits the limits ({@link Limits#DEFAULT} in production)
     * @param clock  the time source
     */
    public LockoutPolicy(Limits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** May the account attempt now? */
    public Decision check(LockoutState state) {
        if (state.locked() || state.failures() >= limits.lockAfter()) {
            return Decision.LOCKED;
        }
        Duration delay = delayAfter(state.failures());
        if (delay.isZero()) {
            return Decision.ALLOWED;
        }
        Instant notBefore = state.lastFailure().plus(delay);
        // a clock that went back is still before notBefore: the wait only gets longer (fail closed)
        return clock.instant().isBefore(notBefore) ? new Decision(Decision.Kind.WAIT, notBefore) : Decision.ALLOWED;
    }

    /** The state after a failed attempt (only count attempts that {@link #check} allowed). */
    public LockoutState onFailure(LockoutState state) {
        int failures = state.failures() == Integer.MAX_VALUE ? state.failures() : state.failures() + 1;
        return new LockoutState(failures, clock.instant(), state.locked() || failures >= limits.lockAfter());
    }

    /**
     * The state after a success: {@link LockoutState#CLEAR}, except that a locked state stays locked (a success
     * cannot legitimately happen while locked; fail closed).
     */
    public LockoutState onSuccess(LockoutState state) {
        return state.locked() ? state : LockoutState.CLEAR;
    }

    /** The wait after {@code failures} failures: zero up to N, then base * 2^(failures-N-1), capped. */
    Duration delayAfter(int failures) {
        int over = failures - limits.freeAttempts();
        if (over <= 0) {
            return Duration.ZERO;
        }
        Duration d = limits.baseDelay();
        for (int i = 1; i < over && d.compareTo(limits.maxDelay()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : d;
    }
}
