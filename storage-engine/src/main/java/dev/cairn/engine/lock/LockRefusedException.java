package dev.cairn.engine.lock;

import dev.cairn.engine.retention.LockViolation;
import java.util.List;

/**
 * A lock change that needs a multi-party approval was refused because no approval offered passed for
 * every action it needs. (A change nobody may make is refused with the {@link LockViolation} of kind
 * {@code FORBIDDEN} itself.) Nothing was changed.
 */
public final class LockRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient LockViolation violation;
    private final List<String> refusals;

    LockRefusedException(LockViolation violation, List<String> refusals) {
        super(violation.getMessage() + (refusals.isEmpty() ? "; no approval was given"
                : "; the approvals given were refused: " + String.join("; ", refusals)), violation);
        this.violation = violation;
        this.refusals = List.copyOf(refusals);
    }

    /** The rule's answer: kind {@code APPROVAL_REQUIRED}, with the actions needed. */
    public LockViolation violation() {
        return violation;
    }

    /** Why each offered approval was refused, per action ({@code retention.shorten: approval ... refused, ...}). */
    public List<String> refusals() {
        return refusals;
    }
}
