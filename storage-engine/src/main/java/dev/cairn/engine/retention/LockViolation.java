package dev.cairn.engine.retention;

import java.util.List;
import java.util.Objects;

/**
 * A change to a retention lock that {@link LockRules} does not allow. The message says why and what
 * to do next; it names the lock but never the snapshot's content.
 *
 * <p>Two kinds: {@link Kind#FORBIDDEN} (nobody may do this now, approval or not: retrying is
 * pointless until the lock expires) and {@link Kind#APPROVAL_REQUIRED} (allowed once the engine has
 * verified an approval for each of {@link #approvalActions()}; then call again with
 * {@code approved = true}).
 */
public final class LockViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the change was refused. */
    public enum Kind {
        /** Nobody may make this change while the lock is active, whatever approvals exist. */
        FORBIDDEN,
        /** The change needs a multi-party approval for each of {@link #approvalActions()}. */
        APPROVAL_REQUIRED
    }

    private final Kind kind;
    private final LockChange change;
    private final List<String> approvalActions;

    LockViolation(Kind kind, LockChange change, List<String> approvalActions, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.change = Objects.requireNonNull(change, "change");
        this.approvalActions = List.copyOf(approvalActions);
    }

    public Kind kind() {
        return kind;
    }

    /** The (first) change that was refused. */
    public LockChange change() {
        return change;
    }

    /** For {@link Kind#APPROVAL_REQUIRED}: the approval actions needed, sorted; empty for {@link Kind#FORBIDDEN}. */
    public List<String> approvalActions() {
        return approvalActions;
    }
}
