/**
 * The audit trail of the control plane: hash-chained JSON-lines segments, checkpoints signed by the HSM
 * audit key, an offline verifier and search. The format is docs/formats/audit-log.md (version 1); every
 * class here links to its section.
 *
 * <p>Concurrency: {@link dev.cairn.mgmt.audit.AuditLog} serialises appends in one process under one lock and
 * keeps other processes out with an advisory lock on {@code writer.lock}. {@link dev.cairn.mgmt.audit.AuditVerifier}
 * and {@link dev.cairn.mgmt.audit.AuditSearch} only read and may run while the writer appends: they treat the
 * bytes after the last line feed as a torn tail (a notice), which is what a concurrent append looks like.
 */
package dev.cairn.mgmt.audit;
