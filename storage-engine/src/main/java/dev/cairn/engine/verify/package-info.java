/**
 * Repository verification ({@code cairn verify}; docs/formats/repository.md, "Verification and rebuild"):
 * {@link dev.cairn.engine.verify.Verify} checks the structure (every snapshot, tree and referenced blob
 * against the index and the pack footers) and, with {@code --read-data}, decrypts and checks every blob.
 * The {@link dev.cairn.engine.verify.VerifyReport} names each finding and the snapshots and paths it hits.
 *
 * <p>Verification only reads: it never repairs, never writes to the repository, and runs beside backups
 * and restores under the shared repository lock (see the locking table in
 * {@link dev.cairn.engine.repo.Repository}).
 */
package dev.cairn.engine.verify;
