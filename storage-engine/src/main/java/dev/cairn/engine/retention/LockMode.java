package dev.cairn.engine.retention;

/**
 * How strongly a {@link RetentionLock} protects its snapshot while it is active (IMM-1; the full
 * change matrix is in {@link LockRules} and docs/retention.md, "Locks").
 */
public enum LockMode {
    /**
     * Nobody, root included, can shorten, remove or weaken the lock before it expires. Only
     * extending it, switching on a legal hold, and (with approval) releasing a legal hold are possible.
     */
    COMPLIANCE,
    /**
     * Extending is free; shortening, removing and releasing a legal hold need a multi-party approval
     * ({@link LockRules#APPROVAL_SHORTEN}, {@link LockRules#APPROVAL_REMOVE}).
     */
    GOVERNANCE
}
