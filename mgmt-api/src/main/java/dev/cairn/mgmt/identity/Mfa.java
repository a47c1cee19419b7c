package dev.cairn.mgmt.identity;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

import dev.cairn.mgmt.auth.IssuedRecoveryCodes;
import dev.cairn.mgmt.auth.LockoutPolicy;
import dev.cairn.mgmt.auth.MalformedCredentialException;
import dev.cairn.mgmt.auth.PasswordHasher;
import dev.cairn.mgmt.auth.RecoveryCodes;
import dev.cairn.mgmt.auth.TotpEnrollment;
import dev.cairn.mgmt.auth.TotpSecret;
import dev.cairn.mgmt.auth.TotpVerifier;
import dev.cairn.mgmt.webauthn.Passkey;

/**
 * Second factors of an account, kept in the sealed {@link UserStore} (docs/auth.md, sections 4 and 5): TOTP
 * enrollment, confirmation and verification without replay; single-use recovery codes; passkey bookkeeping (the
 * WebAuthn ceremony itself is the webauthn package's). Thread safe. The caller audits enrollment, reset and
 * recovery-code use. Unknown accounts: the boolean checks answer {@code false}, the others throw
 * {@link NoSuchUserException}.
 *
 * <p>Lockout (docs/auth.md, section 3): {@link #verifyTotp} and {@link #useRecoveryCode} are guarded by the same
 * {@link LockoutPolicy} and the same per-account {@code User.lockout()} state as the password: while the policy
 * says wait or locked they answer {@code false} without checking (and without using up a code), a wrong code counts
 * a failure, a right one clears the count. Ten wrong MFA codes therefore lock the account like ten wrong
 * passwords. {@link #confirmTotp} (enrollment) is not counted.
 */
public final class Mfa {
    private final UserStore users;
    private final Clock clock;
    private final java.security.SecureRandom random;
    private final TotpVerifier totp;
    private final RecoveryCodes recovery;
    private final LockoutPolicy lockout;

    /**
     * MFA over {@code users} with the default lockout limits ({@link LockoutPolicy.Limits#DEFAULT}).
     *
     * @param users  the accounts
     * @param hasher hashes recovery codes
     * @param clock  the time source (TOTP steps, enrollment times, lockout)
     * @param random TOTP secrets and recovery codes
     */
    public Mfa(UserStore users, PasswordHasher hasher, Clock clock, java.security.SecureRandom random) {
        this(users, hasher, clock, random, new LockoutPolicy(LockoutPolicy.Limits.DEFAULT, clock));
    }

    /** As {@link #Mfa(UserStore, PasswordHasher, Clock, java.security.SecureRandom)} with explicit lockout. */
    public Mfa(UserStore users, PasswordHasher hasher, Clock clock, java.security.SecureRandom random,
            LockoutPolicy lockout) {
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.users = Objects.requireNonNull(users, "users");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.totp = TotpVerifier.enrolled(clock);
        this.recovery = new RecoveryCodes(Objects.requireNonNull(hasher, "hasher"), random);
    }

    /**
     * Starts a TOTP enrollment: a new secret stored sealed and unconfirmed, replacing an unconfirmed one only.
     *
     * @param issuer shown in the authenticator app, e.g. {@code Cairn (clinic-backup)}
     * @return the URI and secret to show once
     * @throws IllegalStateException if the account has a confirmed TOTP (reset MFA first)
     * @throws NoSuchUserException   if absent
     */
    public TotpSetup beginTotp(String username, String issuer) {
        TotpSecret secret = TotpSecret.generate(random);
        String uri = TotpEnrollment.uri(issuer, username, secret);
        users.update(username, u -> {
            if (u.totp().map(TotpState::confirmed).orElse(false)) {
                throw new IllegalStateException("account " + username + " already has a confirmed authenticator "
                        + "app; a security officer must reset its MFA before a new one is enrolled");
            }
            return u.withTotp(Optional.of(new TotpState(secret.bytes(), false, TotpVerifier.NO_STEP_USED)));
        });
        return new TotpSetup(username, secret.toBase32(), uri);
    }

    /** Confirms a pending TOTP with a current code; sets {@code mfaEnrolledAt} if this is the first factor. */
    public boolean confirmTotp(String username, String code) {
        return checkTotp(username, code, false);
    }

    /**
     * Checks a code of a confirmed TOTP; a code of an already used step (or older) is refused, and so is any code
     * while the account's lockout says wait or locked. A wrong code counts as a failed attempt.
     */
    public boolean verifyTotp(String username, String code) {
        return checkTotp(username, code, true);
    }

    private boolean checkTotp(String username, String code, boolean wantConfirmed) {
        if (users.find(username).isEmpty()) {
            return false;
        }
        boolean[] ok = {false};
        users.update(username, u -> {
            if (u.totp().isEmpty() || u.totp().get().confirmed() != wantConfirmed) {
                return u;
            }
            boolean counted = wantConfirmed;
            if (counted && lockout.check(u.lockout()).kind() != LockoutPolicy.Decision.Kind.ALLOWED) {
                return u;
            }
            TotpState t = u.totp().get();
            OptionalLong step = totp.verify(t.totpSecret(), code, t.lastUsedStep());
            if (step.isEmpty()) {
                return counted ? u.withLockout(lockout.onFailure(u.lockout())) : u;
            }
            ok[0] = true;
            User v = u.withTotp(Optional.of(new TotpState(t.secret(), true, step.getAsLong())));
            v = counted ? v.withLockout(lockout.onSuccess(v.lockout())) : v;
            return v.mfaEnrolledAt() == null ? v.withMfaEnrolledAt(clock.instant()) : v;
        });
        return ok[0];
    }

    /**
     * Issues a new set of recovery codes, replacing the old set (used or not).
     *
     * @return the codes to show once, and their hashes (already stored)
     * @throws NoSuchUserException if absent
     */
    public IssuedRecoveryCodes issueRecoveryCodes(String username) {
        if (users.find(username).isEmpty()) {
            throw new NoSuchUserException(username);
        }
        IssuedRecoveryCodes issued = recovery.issue(); // Argon2id x 10: outside the store's lock
        users.update(username, u -> u.withRecoveryCodes(issued.storedHashes(), Set.of()));
        return issued;
    }

    /**
     * Checks and uses up a recovery code: true once per code; false for a wrong, used or replaced code, and while
     * the account's lockout says wait or locked. A wrong code counts as a failed attempt.
     */
    public boolean useRecoveryCode(String username, String code) {
        Optional<User> found = users.find(username);
        if (found.isEmpty() || lockout.check(found.get().lockout()).kind() != LockoutPolicy.Decision.Kind.ALLOWED) {
            return false;
        }
        List<String> hashes = found.get().recoveryCodeHashes();
        OptionalInt idx;
        try {
            idx = recovery.verify(code, hashes, found.get().usedRecoveryCodes()); // slow: outside the lock
        } catch (MalformedCredentialException e) {
            throw new IllegalStateException("a stored recovery code of account " + username + " is damaged ("
                    + e.getMessage() + "); issue a new set", e);
        }
        if (idx.isEmpty()) {
            users.update(username, u -> u.withLockout(lockout.onFailure(u.lockout())));
            return false;
        }
        int i = idx.getAsInt();
        boolean[] ok = {false};
        users.update(username, u -> {
            // only if the same set is still current and the code is still unused: one concurrent use wins
            if (!u.recoveryCodeHashes().equals(hashes) || u.usedRecoveryCodes().contains(i)) {
                return u;
            }
            ok[0] = true;
            Set<Integer> used = new TreeSet<>(u.usedRecoveryCodes());
            used.add(i);
            return u.withRecoveryCodes(u.recoveryCodeHashes(), used).withLockout(lockout.onSuccess(u.lockout()));
        });
        return ok[0];
    }

    /**
     * Adds a registered passkey; sets {@code mfaEnrolledAt} if this is the first factor.
     *
     * @throws IllegalArgumentException if any account already has a passkey with that credential ID
     * @throws NoSuchUserException      if absent
     */
    public User addPasskey(String username, Passkey passkey) {
        Objects.requireNonNull(passkey, "passkey");
        synchronized (users) { // the uniqueness check and the write together (UserStore writes lock the same monitor)
            for (User other : users.list()) {
                for (Passkey p : other.passkeys()) {
                    if (Arrays.equals(p.credentialId(), passkey.credentialId())) {
                        throw new IllegalArgumentException("this passkey is registered already; remove it first");
                    }
                }
            }
            return users.update(username, u -> {
                User v = u.withPasskeys(u.passkeysPlus(passkey));
                return v.mfaEnrolledAt() == null ? v.withMfaEnrolledAt(clock.instant()) : v;
            });
        }
    }

    /**
     * Replaces the stored passkey with the same credential ID (after an assertion: the new signature counter).
     *
     * @throws IllegalArgumentException if the account has no passkey with that credential ID
     * @throws NoSuchUserException      if absent
     */
    public User updatePasskey(String username, Passkey withNewCount) {
        Objects.requireNonNull(withNewCount, "withNewCount");
        return users.update(username, u -> {
            List<Passkey> next = new ArrayList<>(u.passkeys());
            for (int i = 0; i < next.size(); i++) {
                if (Arrays.equals(next.get(i).credentialId(), withNewCount.credentialId())) {
                    next.set(i, withNewCount);
                    return u.withPasskeys(next);
                }
            }
            throw new IllegalArgumentException("account " + username + " has no passkey with that credential ID");
        });
    }

    /**
     * Drops TOTP, passkeys and recovery codes and clears {@code mfaEnrolledAt}: the user must enroll again at the next
     * login. Invalidate the account's sessions too ({@link Sessions#invalidateUser}).
     *
     * @throws NoSuchUserException if absent
     */
    public User resetMfa(String username) {
        return users.update(username, u -> u.withTotp(Optional.empty()).withPasskeys(List.of())
                .withRecoveryCodes(List.of(), Set.of()).withMfaEnrolledAt(null));
    }
}
