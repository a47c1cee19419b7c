package dev.cairn.mgmt.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A successful break-glass log-in (docs/access.md section 4): the server opens a session for {@code account} that
 * ends at {@code expiresAt} at the latest, and audits every action in it.
 *
 * @param account   the break-glass account
 * @param usedAt    when the credential was used
 * @param expiresAt {@code usedAt + BreakGlass.MAX_SESSION}
 */
public record BreakGlassUse(String account, Instant usedAt, Instant expiresAt) {
    /** Null checks. */
    public BreakGlassUse {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(usedAt, "usedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
