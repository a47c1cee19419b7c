package dev.cairn.hsm;

import java.util.regex.Pattern;

/**
 * Tenant identifiers: 1 to 48 characters of {@code [a-z0-9-]}, starting with a letter or digit. They
 * appear in token labels ({@code cairn/<tenant>/kek/<generation>}), file names and wrapped key
 * records, so the alphabet is kept safe for all three. A tenant name is an organisational name, not PHI.
 */
public final class TenantId {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");

    private TenantId() {
    }

    /** Returns {@code tenant} when valid; otherwise an IllegalArgumentException saying what is allowed. */
    public static String check(String tenant) {
        if (tenant == null || !VALID.matcher(tenant).matches()) {
            throw new IllegalArgumentException("invalid tenant id: use 1 to 48 characters a-z, 0-9 and '-', "
                    + "starting with a letter or digit (for example clinic-a)");
        }
        return tenant;
    }

    public static boolean isValid(String tenant) {
        return tenant != null && VALID.matcher(tenant).matches();
    }
}
