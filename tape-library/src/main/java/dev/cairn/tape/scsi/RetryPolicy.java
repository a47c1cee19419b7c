package dev.cairn.tape.scsi;

import java.time.Duration;
import java.util.Objects;

/**
 * What a caller may do after a CHECK CONDITION of some {@link SenseCategory}: a hint, not a loop.
 * The device layer decides how many times to follow {@link Kind#AFTER_DELAY} (with its own limit and
 * clock); {@link Kind#IMMEDIATE_ONCE} means at most one immediate retry after re-checking state.
 */
public record RetryPolicy(Kind kind, Duration suggestedDelay) {
    public enum Kind {
        /** Do not retry the same command: it will fail the same way, or the state must be re-established first. */
        NONE,
        /** Retry once, immediately (after noting what the unit attention reported). */
        IMMEDIATE_ONCE,
        /** Retry after {@link #suggestedDelay()}, a bounded number of times. */
        AFTER_DELAY
    }

    public static final RetryPolicy NONE = new RetryPolicy(Kind.NONE, Duration.ZERO);
    public static final RetryPolicy IMMEDIATE_ONCE = new RetryPolicy(Kind.IMMEDIATE_ONCE, Duration.ZERO);

    public RetryPolicy {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(suggestedDelay, "suggestedDelay");
        if (suggestedDelay.isNegative() || (kind == Kind.AFTER_DELAY) == suggestedDelay.isZero()) {
            throw new IllegalArgumentException("only AFTER_DELAY has a (positive) delay: " + kind + " " + suggestedDelay);
        }
    }

    public static RetryPolicy afterDelay(Duration delay) {
        return new RetryPolicy(Kind.AFTER_DELAY, delay);
    }

    public boolean retryable() {
        return kind != Kind.NONE;
    }
}
