package dev.cairn.mgmt.auth;

import java.time.Instant;

/**
 * The lockout state of one account (docs/auth.md, section 3), persisted by the caller. Holds no secret.
 *
 * @param failures    consecutive failed attempts since the last success or unlock, at least 0
 * @param lastFailure when the last counted failure happened; {@code null} when {@code failures} is 0
 * @param locked      true once the lock threshold was reached; cleared only by {@link #CLEAR}
 */
public record LockoutState(int failures, Instant lastFailure, boolean locked) {
    /** No failures: the state after a success or an unlock by a security officer. */
    public static final LockoutState CLEAR = new LockoutState(0, null, false);

    /** Checks consistency. */
    public LockoutState {
        if (failures < 0) {
            throw new IllegalArgumentException("failures < 0");
        }
        if ((failures == 0) != (lastFailure == null)) {
            throw new IllegalArgumentException("lastFailure must be set exactly when failures > 0");
        }
    }
}
