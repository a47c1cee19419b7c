/**
 * Browsing snapshots without restoring them: {@link dev.cairn.engine.browse.Listing} (ls),
 * {@link dev.cairn.engine.browse.SnapshotDiff} (what changed between two snapshots) and
 * {@link dev.cairn.engine.browse.Find} (a path or a name pattern across every snapshot of a tenant).
 *
 * <p>Names are bytes exactly as on disk (docs/formats/repository.md section 4): every comparison and
 * match here is on bytes. For people, names are shown with {@link dev.cairn.engine.tree.Node#display}
 * (UTF-8, invalid bytes as {@code \xNN}), and what people type is read back the same way by
 * {@link dev.cairn.engine.browse.SnapshotPath} and {@link dev.cairn.engine.browse.NameGlob}, so a name
 * that {@code ls} shows as {@code f\xffo} can be given as {@code f\xffo}.
 *
 * <p>Everything here only reads (tree blobs and snapshot files), under the repository's shared lock.
 * Exceptions never carry a name from a snapshot (names are PHI); results do, because the operator asked
 * for them.
 */
package dev.cairn.engine.browse;
