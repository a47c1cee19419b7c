/**
 * Retention locks of a repository (requirement IMM-1; docs/retention.md, docs/formats/repository.md
 * section 7): the mechanism behind the pure rules of {@link dev.cairn.engine.retention.LockRules}.
 *
 * <ul>
 * <li>{@link dev.cairn.engine.lock.LockStore}: the lock files {@code locks/<tenant>/<snapshot id>.lock},
 *     version 1 JSON, replaced atomically; an unreadable one fails closed
 *     ({@link dev.cairn.engine.lock.LockFileException}: the snapshot counts as locked forever).</li>
 * <li>{@link dev.cairn.engine.lock.Locks}: lock changes checked by the rules, approvals asked through the
 *     key plane's {@code Authorization} on {@code snapshot:<id>}, the immutable attribute on the files an
 *     active lock protects and its release once no active lock needs it.</li>
 * </ul>
 */
package dev.cairn.engine.lock;
