/**
 * Forget by retention policy (AUTO-5; docs/retention.md): {@link dev.cairn.engine.forget.Forget} plans with
 * the pure {@link dev.cairn.engine.retention.RetentionPlanner} and executes by deleting snapshot files only,
 * re-checking every lock when it acts.
 */
package dev.cairn.engine.forget;
