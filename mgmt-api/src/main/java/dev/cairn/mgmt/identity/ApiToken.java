package dev.cairn.mgmt.identity;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import dev.cairn.mgmt.access.Permission;

/**
 * An API token's public facts (docs/formats/user-store.md, section 6). Never holds the secret or its hash.
 *
 * @param id        12 characters {@code [a-z0-9]}, the part of the token text that is not secret; use it in logs
 * @param username  the account it acts for
 * @param scopes    what it may do (the server also checks the account's current roles)
 * @param label     the owner's name for it, 1 to 64 printable characters
 * @param createdAt when it was issued
 * @param expiresAt when it stops working
 */
public record ApiToken(String id, String username, Set<Permission> scopes, String label, Instant createdAt,
        Instant expiresAt) {
    /** Validates and copies. */
    public ApiToken {
        Objects.requireNonNull(id, "id");
        User.requireValidName(username);
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("an API token needs at least one scope");
        }
        ApiTokens.requireLabel(label);
        scopes = Collections.unmodifiableSet(EnumSet.copyOf(scopes));
    }
}
