package dev.cairn.engine.retention;

/** One kind of change to a snapshot's {@link RetentionLock}, as classified by {@link LockRules#check}. */
public enum LockChange {
    /** A lock is set where there was none (or only an expired one, which it replaces). */
    CREATE,
    /** {@code retainUntil} moves later. */
    EXTEND,
    /** {@code retainUntil} moves earlier. */
    SHORTEN,
    /** Governance becomes compliance (stronger). */
    TO_COMPLIANCE,
    /** Compliance becomes governance (weaker). */
    TO_GOVERNANCE,
    /** A legal hold is switched on. */
    SET_LEGAL_HOLD,
    /** A legal hold is switched off. */
    RELEASE_LEGAL_HOLD,
    /** The lock is removed. */
    REMOVE
}
