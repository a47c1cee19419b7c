package dev.cairn.hsm.approval;

import java.util.regex.Pattern;

/**
 * The action strings of approval records (docs/formats/approval-record.md, "Actions").
 *
 * <p><b>FROZEN. Do not change or reuse these strings.</b> They are inside signed approval records
 * and compared byte for byte by every verifier. A new action gets a new string; a retired action
 * keeps its string reserved here (commented) forever, so an old record can never authorize a new
 * meaning.
 */
public final class ApprovalActions {
    /** Disable a tenant's keys in the HSM (reversible with {@link #KEY_ENABLE}). Target: {@code tenant:<tenant>}. */
    public static final String KEY_DISABLE = "key.disable";
    /** Re-enable a disabled tenant's keys. Target: {@code tenant:<tenant>}. */
    public static final String KEY_ENABLE = "key.enable";
    /** Destroy a tenant's keys in the HSM (crypto-shredding, irreversible). Target: {@code tenant:<tenant>}. */
    public static final String KEY_DESTROY = "key.destroy";
    /** Delete one snapshot. Target: {@code snapshot:<id>}. */
    public static final String SNAPSHOT_DELETE = "snapshot.delete";
    /** Shorten a retention lock. */
    public static final String RETENTION_SHORTEN = "retention.shorten";
    /** Remove a retention lock. */
    public static final String RETENTION_REMOVE = "retention.remove";
    /** Disable immutability (object lock, WORM) for a store or tenant. */
    public static final String IMMUTABILITY_DISABLE = "immutability.disable";
    /** Change a job or schedule so that it protects less (fewer runs, fewer copies, shorter keep). */
    public static final String SCHEDULE_REDUCE = "schedule.reduce";
    /**
     * Give a user a standing privileged role (administrator or security-officer): without this, one administrator
     * could create the accounts that approve their own destructive requests. Target {@code user:NAME:ROLE}.
     */
    public static final String USER_GRANT = "user.grant";

    // Retired action strings (never reuse): none yet.

    /** Prefix of tenant targets. */
    private static final String TENANT_PREFIX = "tenant:";
    /** A tenant name as it may appear in a target: the target alphabet without ':' and within the target length. */
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9._-]{1," + (128 - TENANT_PREFIX.length()) + "}");

    private ApprovalActions() {
    }

    /**
     * The target string for an action on a whole tenant: {@code tenant:<tenant>}.
     *
     * @throws IllegalArgumentException if the tenant name is empty, longer than 121 characters, or
     *                                  has characters outside {@code [A-Za-z0-9._-]}
     */
    public static String tenantTarget(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException("tenant name must match " + TENANT.pattern());
        }
        return TENANT_PREFIX + tenant;
    }
}
