/**
 * Retention: which snapshots to keep, which to forget, and which changes to a retention lock are
 * allowed (requirements AUTO-5 and IMM-1; the user's guide is docs/retention.md).
 *
 * <p>Everything here is <b>policy</b> and pure: no I/O, no clock reads, no randomness. The current
 * time is always a parameter ({@code now}), supplied by the engine from its injected, trusted
 * {@link java.time.Clock}. {@link dev.cairn.engine.retention.RetentionPlanner} turns snapshots, a
 * {@link dev.cairn.engine.retention.KeepPolicy} and {@code now} into an immutable
 * {@link dev.cairn.engine.retention.ForgetPlan} that can be shown ({@code --dry-run}), audited and
 * then executed by the engine (the <b>mechanism</b>). {@link dev.cairn.engine.retention.LockRules}
 * decides whether a change to a {@link dev.cairn.engine.retention.RetentionLock} is allowed.
 *
 * <p>The one rule that no policy can override: a snapshot whose lock is active at {@code now}
 * (compliance, governance or legal hold) is always kept.
 */
package dev.cairn.engine.retention;
