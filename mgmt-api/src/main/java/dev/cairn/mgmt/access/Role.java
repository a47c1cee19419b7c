package dev.cairn.mgmt.access;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import static dev.cairn.mgmt.access.Permission.*;

/**
 * The five roles (requirement MFA-3 and docs/security.md, section 3). This enum is the one role-to-permission
 * table: the server's authorization, the RBAC matrix test and the table in docs/security.md all read it.
 * {@link Permission#PUBLIC}, {@link Permission#MFA_PENDING} and {@link Permission#SELF} are not granted by
 * roles; the server grants them by authentication state.
 */
public enum Role {
    /** Runs the appliance: users, backups, restores, certificates. Not keys, not approvals of its own. */
    ADMINISTRATOR("administrator", EnumSet.of(USERS_READ, USERS_MANAGE, ELEVATION_REQUEST, ELEVATION_DECIDE,
            APPROVALS_READ, APPROVALS_REQUEST, APPROVALS_DECIDE, AUDIT_READ, KEYS_READ, REPO_READ, BACKUP_RUN,
            RESTORE_RUN, VERIFY_RUN, TAPE_CUSTODY, CERTS_MANAGE, SETTINGS_MANAGE, METRICS_READ)),
    /** Day-to-day backups and restores. */
    BACKUP_OPERATOR("backup-operator", EnumSet.of(ELEVATION_REQUEST, APPROVALS_READ, APPROVALS_REQUEST,
            REPO_READ, BACKUP_RUN, RESTORE_RUN, VERIFY_RUN, METRICS_READ)),
    /** Keys, approvals, MFA resets. */
    SECURITY_OFFICER("security-officer", EnumSet.of(USERS_READ, MFA_RESET, ELEVATION_REQUEST, ELEVATION_DECIDE,
            APPROVALS_READ, APPROVALS_REQUEST, APPROVALS_DECIDE, AUDIT_READ, KEYS_READ, KEYS_MANAGE,
            BREAKGLASS_RESEAL, METRICS_READ)),
    /** Read-only: the audit trail and reports. */
    AUDITOR("auditor", EnumSet.of(ELEVATION_REQUEST, APPROVALS_READ, AUDIT_READ, KEYS_READ, REPO_READ,
            METRICS_READ)),
    /** Tape custody only. */
    COURIER("courier", EnumSet.of(TAPE_CUSTODY));

    private final String id;
    private final Set<Permission> permissions;

    Role(String id, EnumSet<Permission> permissions) {
        this.id = id;
        this.permissions = Set.copyOf(permissions);
    }

    /** The role's name in JSON, files and the audit trail, e.g. {@code backup-operator}. */
    public String id() {
        return id;
    }

    /** What this role may do. */
    public Set<Permission> permissions() {
        return permissions;
    }

    /** Whether this role grants {@code p}. */
    public boolean grants(Permission p) {
        return permissions.contains(p);
    }

    /**
     * The role named {@code id}.
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public static Role ofId(String id) {
        for (Role r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role; expected one of administrator, backup-operator, "
                + "security-officer, auditor, courier");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
