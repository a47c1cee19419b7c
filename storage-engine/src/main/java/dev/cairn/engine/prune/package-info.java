/**
 * Prune (garbage collection) of a repository: docs/formats/repository.md section 8, rule 5 and its
 * "Prune" subsection; the command is documented in docs/cli-prune.md.
 *
 * <p>Policy and mechanism are apart, as for retention:
 * <ol>
 * <li>{@link dev.cairn.engine.prune.PruneState#read} gathers the state: a fingerprint of the repository,
 *     the reachability pass ({@link dev.cairn.engine.prune.ReachabilityScan}: every snapshot file present
 *     and every snapshot with a lock file, walked to the blobs they use), the index's packs and blobs, and
 *     pack files in no index;</li>
 * <li>{@link dev.cairn.engine.prune.PrunePlanner} turns it into an immutable
 *     {@link dev.cairn.engine.prune.PrunePlan} (pure, deterministic; shown by {@code --dry-run});</li>
 * <li>{@link dev.cairn.engine.prune.PruneExecutor} carries it out under the exclusive repository lock,
 *     in an order that is safe to kill at any point.</li>
 * </ol>
 *
 * <p>The invariants: a pack that holds a blob a live or locked snapshot uses (as the index says) is never
 * deleted without that blob being indexed in another, durable pack first; a pack that holds a blob of a
 * locked snapshot is never touched at all; when anything cannot be read, nothing is deleted; pack files the
 * index does not know are reported and never deleted.
 */
package dev.cairn.engine.prune;
