package dev.cairn.mgmt.identity;

import java.nio.CharBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import dev.cairn.mgmt.auth.LockoutPolicy;
import dev.cairn.mgmt.auth.LockoutState;
import dev.cairn.mgmt.auth.MalformedCredentialException;
import dev.cairn.mgmt.auth.PasswordHasher;

/**
 * The first factor (docs/auth.md, sections 2 and 3): lockout check, Argon2id verification, persisted lockout state,
 * rehash on success. Thread safe; attempts on one account are serialised (striped locks) so parallel guesses cannot
 * slip past the backoff. An unknown account answers {@link LoginResult.Kind#WRONG} after one Argon2id verification
 * against a dummy hash, like a wrong password. {@link LoginResult.Kind#DISABLED} is only answered to the right
 * password, so it does not tell a guesser that the name exists. The caller audits every result.
 */
public final class PasswordLogin {
    private static final int STRIPES = 64;

    private final UserStore users;
    private final PasswordHasher hasher;
    /** Failed attempts for names that are no account, in memory, at most {@link #MAX_UNKNOWN} (oldest forgotten). */
    private final java.util.Map<String, LockoutState> unknown = new java.util.LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, LockoutState> eldest) {
            return size() > MAX_UNKNOWN;
        }
    };
    static final int MAX_UNKNOWN = 10_000;
    private final LockoutPolicy lockout;
    private final Clock clock;
    private final String dummyHash;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    /**
     * A login over {@code users}.
     *
     * @param users   the accounts
     * @param hasher  verifies and rehashes (its parameters are the current ones for {@code needsRehash})
     * @param lockout the lockout policy ({@code LockoutPolicy.Limits.DEFAULT} in production)
     * @param clock   the time source
     */
    public PasswordLogin(UserStore users, PasswordHasher hasher, LockoutPolicy lockout, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.dummyHash = hasher.hash("cairn dummy password for unknown accounts");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * The outcome of a password login.
     *
     * @param kind      what happened
     * @param user      the account after the attempt, only for {@link Kind#OK}
     * @param notBefore for {@link Kind#LOCKED} during backoff: when the next attempt is allowed; {@code null} when
     *                  the account is locked until a security officer unlocks it, and for every other kind
     */
    public record LoginResult(Kind kind, Optional<User> user, Instant notBefore) {
        /** What happened. */
        public enum Kind {
            /** The password is right: go on to MFA (or MFA enrollment). */
            OK,
            /** A wrong password or an unknown account (deliberately the same answer). */
            WRONG,
            /** Too many failures: refused without checking the password. */
            LOCKED,
            /** The account is disabled (only said to the right password). */
            DISABLED
        }

        /** Validates. */
        public LoginResult {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(user, "user");
        }
    }

    /** Checks {@code password} for {@code username}; persists the lockout state; never throws for a wrong input. */
    public LoginResult login(String username, char[] password) {
        Objects.requireNonNull(password, "password");
        CharBuffer pw = CharBuffer.wrap(password);
        if (!User.isValidName(username)) {
            verifyDummy(pw);
            return wrong();
        }
        ReentrantLock lock = stripes[Math.floorMod(username.hashCode(), STRIPES)];
        lock.lock();
        try {
            Optional<User> found = users.find(username);
            if (found.isEmpty()) {
                // an unknown name backs off exactly like an account would, so 429 does not tell names apart
                LockoutState state;
                synchronized (unknown) {
                    state = unknown.getOrDefault(username, LockoutState.CLEAR);
                }
                LockoutPolicy.Decision d = lockout.check(state);
                if (d.kind() != LockoutPolicy.Decision.Kind.ALLOWED) {
                    return new LoginResult(LoginResult.Kind.LOCKED, Optional.empty(), d.notBefore());
                }
                verifyDummy(pw);
                synchronized (unknown) {
                    unknown.put(username, lockout.onFailure(state));
                }
                return wrong();
            }
            User u = found.get();
            LockoutPolicy.Decision d = lockout.check(u.lockout());
            if (d.kind() == LockoutPolicy.Decision.Kind.LOCKED) {
                return new LoginResult(LoginResult.Kind.LOCKED, Optional.empty(), null);
            }
            if (d.kind() == LockoutPolicy.Decision.Kind.WAIT) {
                return new LoginResult(LoginResult.Kind.LOCKED, Optional.empty(), d.notBefore());
            }
            boolean ok;
            boolean rehash;
            try {
                ok = hasher.verify(pw, u.passwordHash());
                rehash = ok && hasher.needsRehash(u.passwordHash());
            } catch (MalformedCredentialException e) {
                throw new IllegalStateException("the stored password record of account " + username
                        + " is damaged (" + e.getMessage() + "); set a new password for it", e);
            }
            if (!ok) {
                users.update(username, x -> x.withLockout(lockout.onFailure(x.lockout())));
                return wrong();
            }
            if (u.disabled()) {
                return new LoginResult(LoginResult.Kind.DISABLED, Optional.empty(), null);
            }
            String newHash = rehash ? hasher.hash(pw) : null;
            User after = users.update(username, x -> {
                LockoutState l = lockout.onSuccess(x.lockout());
                User y = l.equals(x.lockout()) ? x : x.withLockout(l);
                return newHash != null && x.passwordHash().equals(u.passwordHash()) ? y.withPasswordHash(newHash) : y;
            });
            if (after.lockout().locked()) {
                return new LoginResult(LoginResult.Kind.LOCKED, Optional.empty(), null);
            }
            return new LoginResult(LoginResult.Kind.OK, Optional.of(after), null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A security officer's unlock: clears the failure count and the lock. The caller audits it.
     *
     * @throws NoSuchUserException if absent
     */
    public void unlock(String username) {
        users.update(username, u -> u.lockout().equals(LockoutState.CLEAR) ? u : u.withLockout(LockoutState.CLEAR));
    }

    private void verifyDummy(CharSequence pw) {
        try {
            hasher.verify(pw, dummyHash);
        } catch (MalformedCredentialException e) {
            throw new IllegalStateException("the dummy password record does not parse", e);
        }
    }

    private static LoginResult wrong() {
        return new LoginResult(LoginResult.Kind.WRONG, Optional.empty(), null);
    }
}
