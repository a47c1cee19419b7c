package dev.cairn.mgmt.access;

/**
 * What a route needs. Every route of the control plane declares exactly one permission (docs/security.md,
 * section 3); {@link Role#permissions()} is the one table that grants them. Deny by default: a permission no
 * role holds is granted to nobody.
 */
public enum Permission {
    /** No authentication at all: health and the OpenAPI document. */
    PUBLIC,
    /** A password-verified caller who has not finished MFA yet, or a full session proving MFA again (step-up). */
    MFA_PENDING,
    /**
     * Enroll an MFA device: a caller in first enrollment (password only, no MFA yet), or a fully authenticated
     * one with fresh MFA (the route also demands step-up).
     */
    MFA_ENROLL,
    /** Any fully authenticated human or token: who am I, log out, my own MFA devices and API tokens. */
    SELF,
    /** List users and their roles. */
    USERS_READ,
    /** Create users, change roles, disable users. */
    USERS_MANAGE,
    /** Reset another user's MFA (and unlock a locked account). */
    MFA_RESET,
    /** Ask for a time-limited role (just-in-time elevation). */
    ELEVATION_REQUEST,
    /** Approve or deny someone else's elevation request. */
    ELEVATION_DECIDE,
    /** See pending and decided multi-party approval requests. */
    APPROVALS_READ,
    /** Ask for a destructive operation (it becomes a pending approval request). */
    APPROVALS_REQUEST,
    /** Approve or deny someone else's destructive operation. */
    APPROVALS_DECIDE,
    /** Search and read the audit trail. */
    AUDIT_READ,
    /** Key status. */
    KEYS_READ,
    /** Rotate keys, create tenants (non-destructive key operations). */
    KEYS_MANAGE,
    /** Snapshots, repository status, reports. */
    REPO_READ,
    /** Start a backup of a configured source. */
    BACKUP_RUN,
    /** Start a restore. */
    RESTORE_RUN,
    /** Start a verification. */
    VERIFY_RUN,
    /** Tape custody: check-out, hand-over and check-in of cartridges. */
    TAPE_CUSTODY,
    /** Issue and revoke client certificates of the appliance CA. */
    CERTS_MANAGE,
    /** Re-seal a used break-glass credential. */
    BREAKGLASS_RESEAL,
    /** Appliance settings such as the management interface the listeners bind to (requirement TLS-3). */
    SETTINGS_MANAGE,
    /** Metrics and task progress of everyone's tasks. */
    METRICS_READ
}
