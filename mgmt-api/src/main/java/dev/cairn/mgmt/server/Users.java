package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.identity.User;

import java.util.Set;

/** Copies of a {@link User} with one thing changed. */
final class Users {
    private Users() {
    }

    static User withRoles(User u, Set<Role> roles) {
        return new User(u.username(), roles, u.passwordHash(), u.lockout(), u.disabled(), u.totp(),
                u.recoveryCodeHashes(), u.usedRecoveryCodes(), u.passkeys(), u.webauthnUserHandle(), u.createdAt(),
                u.mfaEnrolledAt());
    }

    static User withDisabled(User u, boolean disabled) {
        return new User(u.username(), u.roles(), u.passwordHash(), u.lockout(), disabled, u.totp(),
                u.recoveryCodeHashes(), u.usedRecoveryCodes(), u.passkeys(), u.webauthnUserHandle(), u.createdAt(),
                u.mfaEnrolledAt());
    }
}
