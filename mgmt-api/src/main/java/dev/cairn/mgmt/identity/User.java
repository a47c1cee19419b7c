package dev.cairn.mgmt.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.LockoutState;
import dev.cairn.mgmt.webauthn.Passkey;

/**
 * One local account as the sealed user store keeps it (docs/formats/user-store.md, section 3). Immutable: arrays
 * are copied in and out, collections are unmodifiable. {@link #toString()} shows the name, roles and flags, never a
 * hash, secret or passkey.
 *
 * @param username           the account name, {@value #NAME_REGEX}; an identifier, not PHI
 * @param roles              the granted roles (may be empty: such an account can do nothing)
 * @param passwordHash       the Argon2id PHC string (docs/formats/user-store.md, section 4)
 * @param lockout            failed-attempt state ({@link LockoutState#CLEAR} when none)
 * @param disabled           a disabled account cannot log in
 * @param totp               the TOTP enrollment, confirmed or pending
 * @param recoveryCodeHashes the current recovery-code set as PHC strings, in issue order (empty when none)
 * @param usedRecoveryCodes  indexes into {@code recoveryCodeHashes} already used
 * @param passkeys           registered WebAuthn credentials
 * @param webauthnUserHandle 16 random bytes fixed at creation (the WebAuthn user.id; not the name)
 * @param createdAt          when the account was created
 * @param mfaEnrolledAt      when the first MFA factor was confirmed; {@code null} until then
 */
public record User(String username, Set<Role> roles, String passwordHash, LockoutState lockout, boolean disabled,
        Optional<TotpState> totp, List<String> recoveryCodeHashes, Set<Integer> usedRecoveryCodes,
        List<Passkey> passkeys, byte[] webauthnUserHandle, Instant createdAt, Instant mfaEnrolledAt) {

    /** The account-name rule, also the identity pattern of signed approval records. */
    public static final String NAME_REGEX = "[a-z0-9][a-z0-9._@-]{0,63}";
    private static final Pattern NAME = Pattern.compile(NAME_REGEX);
    /** Bytes in a WebAuthn user handle. */
    public static final int USER_HANDLE_BYTES = 16;

    /** Validates and copies. */
    public User {
        requireValidName(username);
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(lockout, "lockout");
        Objects.requireNonNull(totp, "totp");
        Objects.requireNonNull(recoveryCodeHashes, "recoveryCodeHashes");
        Objects.requireNonNull(usedRecoveryCodes, "usedRecoveryCodes");
        Objects.requireNonNull(passkeys, "passkeys");
        Objects.requireNonNull(webauthnUserHandle, "webauthnUserHandle");
        Objects.requireNonNull(createdAt, "createdAt");
        if (webauthnUserHandle.length != USER_HANDLE_BYTES) {
            throw new IllegalArgumentException("WebAuthn user handle must be 16 bytes");
        }
        for (int i : usedRecoveryCodes) {
            if (i < 0 || i >= recoveryCodeHashes.size()) {
                throw new IllegalArgumentException("used recovery-code index out of range for account " + username);
            }
        }
        roles = roles.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(roles));
        recoveryCodeHashes = List.copyOf(recoveryCodeHashes);
        usedRecoveryCodes = Collections.unmodifiableSet(new TreeSet<>(usedRecoveryCodes));
        passkeys = List.copyOf(passkeys);
        webauthnUserHandle = webauthnUserHandle.clone();
    }

    /** Whether {@code name} follows {@link #NAME_REGEX}. */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    static void requireValidName(String name) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("account name must match " + NAME_REGEX
                    + " (lower-case letters, digits, '.', '_', '@', '-'; 1 to 64 characters)");
        }
    }

    /** A confirmed TOTP or at least one passkey. */
    public boolean mfaEnrolled() {
        return totp.map(TotpState::confirmed).orElse(false) || !passkeys.isEmpty();
    }

    @Override
    public byte[] webauthnUserHandle() {
        return webauthnUserHandle.clone();
    }

    /** Whether a recovery-code set is issued and some code in it is unused. */
    public boolean hasUnusedRecoveryCodes() {
        return usedRecoveryCodes.size() < recoveryCodeHashes.size();
    }

    /** A copy with other roles. */
    public User withRoles(Set<Role> r) {
        return new User(username, r, passwordHash, lockout, disabled, totp, recoveryCodeHashes, usedRecoveryCodes,
                passkeys, webauthnUserHandle, createdAt, mfaEnrolledAt);
    }

    /** A copy with another password hash (a PHC string). */
    public User withPasswordHash(String phc) {
        return new User(username, roles, phc, lockout, disabled, totp, recoveryCodeHashes, usedRecoveryCodes,
                passkeys, webauthnUserHandle, createdAt, mfaEnrolledAt);
    }

    /** A copy with another lockout state. */
    public User withLockout(LockoutState l) {
        return new User(username, roles, passwordHash, l, disabled, totp, recoveryCodeHashes, usedRecoveryCodes,
                passkeys, webauthnUserHandle, createdAt, mfaEnrolledAt);
    }

    /** A copy enabled or disabled. */
    public User withDisabled(boolean d) {
        return new User(username, roles, passwordHash, lockout, d, totp, recoveryCodeHashes, usedRecoveryCodes,
                passkeys, webauthnUserHandle, createdAt, mfaEnrolledAt);
    }

    /** A copy with another TOTP state. */
    public User withTotp(Optional<TotpState> t) {
        return new User(username, roles, passwordHash, lockout, disabled, t, recoveryCodeHashes, usedRecoveryCodes,
                passkeys, webauthnUserHandle, createdAt, mfaEnrolledAt);
    }

    /** A copy with another recovery-code set and its used indexes. */
    public User withRecoveryCodes(List<String> hashes, Set<Integer> used) {
        return new User(username, roles, passwordHash, lockout, disabled, totp, hashes, used, passkeys,
                webauthnUserHandle, createdAt, mfaEnrolledAt);
    }

    /** A copy with other passkeys. */
    public User withPasskeys(List<Passkey> p) {
        return new User(username, roles, passwordHash, lockout, disabled, totp, recoveryCodeHashes, usedRecoveryCodes,
                p, webauthnUserHandle, createdAt, mfaEnrolledAt);
    }

    /** A copy with another MFA enrollment time ({@code null}: not enrolled). */
    public User withMfaEnrolledAt(Instant t) {
        return new User(username, roles, passwordHash, lockout, disabled, totp, recoveryCodeHashes, usedRecoveryCodes,
                passkeys, webauthnUserHandle, createdAt, t);
    }

    List<Passkey> passkeysPlus(Passkey p) {
        List<Passkey> l = new ArrayList<>(passkeys);
        l.add(p);
        return l;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof User u && username.equals(u.username) && roles.equals(u.roles)
                && passwordHash.equals(u.passwordHash) && lockout.equals(u.lockout) && disabled == u.disabled
                && totp.equals(u.totp) && recoveryCodeHashes.equals(u.recoveryCodeHashes)
                && usedRecoveryCodes.equals(u.usedRecoveryCodes) && passkeys.equals(u.passkeys)
                && Arrays.equals(webauthnUserHandle, u.webauthnUserHandle) && createdAt.equals(u.createdAt)
                && Objects.equals(mfaEnrolledAt, u.mfaEnrolledAt);
    }

    @Override
    public int hashCode() {
        return username.hashCode();
    }

    @Override
    public String toString() {
        return "User[" + username + ", roles=" + roles + ", disabled=" + disabled + ", locked=" + lockout.locked()
                + ", failures=" + lockout.failures() + ", totp=" + totp.map(t -> t.confirmed() ? "confirmed" : "pending")
                .orElse("none") + ", passkeys=" + passkeys.size() + ", recoveryCodesLeft="
                + (recoveryCodeHashes.size() - usedRecoveryCodes.size()) + ", mfaEnrolled=" + mfaEnrolled() + "]";
    }
}
