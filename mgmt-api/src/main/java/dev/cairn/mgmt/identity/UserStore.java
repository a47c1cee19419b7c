package dev.cairn.mgmt.identity;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.Argon2Params;
import dev.cairn.mgmt.auth.LockoutState;
import dev.cairn.mgmt.auth.PasswordHasher;
import dev.cairn.mgmt.auth.PasswordPolicy;

/**
 * The local accounts, kept whole in memory and persisted as one sealed file, {@code users.sealed}
 * (docs/formats/user-store.md): a clear header line, then AES-256-GCM over the JSON with the header as AAD. Every
 * change is written (temporary file, fsync, rename, directory fsync) before it becomes visible and before the method
 * returns; a failed write changes nothing. Thread safe: reads see an immutable snapshot, writes are serialised.
 * One process owns the directory.
 */
public final class UserStore {
    /** The file's name in the directory. */
    public static final String FILE = "users.sealed";
    /** The clear header line; also the AAD. Frozen: a new layout gets a new version. */
    static final byte[] HEADER = "cairn-users v1\n".getBytes(StandardCharsets.US_ASCII);

    private final Path file;
    private final Sealer sealer;
    private final Clock clock;
    private final SecureRandom random;
    private final PasswordHasher hasher;
    private volatile Map<String, User> users; // immutable snapshot, sorted by name

    private UserStore(Path file, Sealer sealer, Clock clock, SecureRandom random, PasswordHasher hasher,
            Map<String, User> users) {
        this.file = file;
        this.sealer = sealer;
        this.clock = clock;
        this.random = random;
        this.hasher = hasher;
        this.users = users;
    }

    /**
     * Opens (or, when {@code users.sealed} is absent, starts empty) the store in {@code dir}, created 0700 if
     * needed. New password hashes use {@link Argon2Params#DEFAULT}.
     *
     * @throws SealException         for a wrong key or a damaged file (message says to restore from backup)
     * @throws IllegalStateException for a file of another format or version
     */
    public static UserStore open(Path dir, Sealer sealer, Clock clock, SecureRandom random) {
        return open(dir, sealer, clock, random, new PasswordHasher(Argon2Params.DEFAULT, random));
    }

    /** As {@link #open(Path, Sealer, Clock, SecureRandom)} with an explicit hasher (tests use cheap parameters). */
    public static UserStore open(Path dir, Sealer sealer, Clock clock, SecureRandom random, PasswordHasher hasher) {
        Objects.requireNonNull(sealer, "sealer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(hasher, "hasher");
        SecureFiles.prepareDir(dir);
        Path file = dir.resolve(FILE);
        Map<String, User> users = new TreeMap<>();
        Optional<byte[]> bytes = SecureFiles.read(file);
        if (bytes.isPresent()) {
            for (User u : decode(bytes.get(), sealer)) {
                if (users.put(u.username(), u) != null) {
                    throw new IllegalStateException("user store is damaged: account " + u.username()
                            + " appears twice; restore it from backup");
                }
            }
        }
        return new UserStore(file, sealer, clock, random, hasher, Collections.unmodifiableMap(users));
    }

    private static List<User> decode(byte[] b, Sealer sealer) {
        if (b.length < HEADER.length || !Arrays.equals(b, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            throw new IllegalStateException("user store cannot be opened: " + FILE + " does not start with "
                    + "'cairn-users v1' (another format, a newer version, or a damaged file); restore it from backup");
        }
        byte[] plain;
        try {
            plain = sealer.open(Arrays.copyOfRange(b, HEADER.length, b.length), HEADER);
        } catch (SealException e) {
            throw new SealException("user store cannot be opened: wrong key or damaged file; restore it from backup",
                    e);
        }
        try {
            return UserCodec.decode(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** The hasher new password hashes use. */
    public PasswordHasher hasher() {
        return hasher;
    }

    /** True when there is no account (first start: offer the enrollment link). */
    public boolean isEmpty() {
        return users.isEmpty();
    }

    /** The account, or empty (also for a name that breaks the name rule). */
    public Optional<User> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(users.get(username));
    }

    /** All accounts, sorted by name. */
    public List<User> list() {
        return List.copyOf(users.values());
    }

    /**
     * Creates an account: checks the name rule ({@link User#NAME_REGEX}) and {@link PasswordPolicy}, hashes the
     * password with Argon2id, draws a 16-byte WebAuthn user handle. No MFA yet.
     *
     * @throws IllegalArgumentException for a bad name
     * @throws WeakPasswordException    for a password the policy refuses
     * @throws UserExistsException      if the name is taken
     */
    public User create(String username, char[] password, Set<Role> roles) {
        User.requireValidName(username);
        Objects.requireNonNull(roles, "roles");
        String phc = hashChecked(password);
        byte[] handle = new byte[User.USER_HANDLE_BYTES];
        random.nextBytes(handle);
        User u = new User(username, roles, phc, LockoutState.CLEAR, false, Optional.empty(), List.of(), Set.of(),
                List.of(), handle, clock.instant(), null);
        synchronized (this) {
            if (users.containsKey(username)) {
                throw new UserExistsException(username);
            }
            TreeMap<String, User> next = new TreeMap<>(users);
            next.put(username, u);
            persist(next);
        }
        return u;
    }

    /**
     * Sets a new password (policy checked, Argon2id) and clears the lockout state. Invalidate the account's sessions
     * and API tokens afterwards.
     *
     * @throws WeakPasswordException for a password the policy refuses
     * @throws NoSuchUserException   if absent
     */
    public User setPassword(String username, char[] password) {
        String phc = hashChecked(password);
        return update(username, u -> u.withPasswordHash(phc).withLockout(LockoutState.CLEAR));
    }

    private String hashChecked(char[] password) {
        Objects.requireNonNull(password, "password");
        PasswordPolicy.Result r = PasswordPolicy.check(java.nio.CharBuffer.wrap(password));
        if (r != PasswordPolicy.Result.OK) {
            throw new WeakPasswordException(r);
        }
        return hasher.hash(java.nio.CharBuffer.wrap(password));
    }

    /**
     * Atomic read-modify-write of one account, persisted before it returns. {@code change} runs under the store's
     * lock: keep it short (no hashing). Returning the same instance writes nothing. The name cannot change.
     *
     * @return the account after the change
     * @throws NoSuchUserException if absent
     */
    public User update(String username, UnaryOperator<User> change) {
        Objects.requireNonNull(change, "change");
        if (username == null) {
            throw new NoSuchUserException(null);
        }
        synchronized (this) {
            User before = users.get(username);
            if (before == null) {
                throw new NoSuchUserException(username);
            }
            User after = Objects.requireNonNull(change.apply(before), "change returned null");
            if (after == before) {
                return before;
            }
            if (!after.username().equals(username)) {
                throw new IllegalArgumentException("an update cannot rename account " + username);
            }
            TreeMap<String, User> next = new TreeMap<>(users);
            next.put(username, after);
            persist(next);
            return after;
        }
    }

    /**
     * Deletes an account. Invalidate its sessions and API tokens too.
     *
     * @throws NoSuchUserException if absent
     */
    public void delete(String username) {
        synchronized (this) {
            if (username == null || !users.containsKey(username)) {
                throw new NoSuchUserException(username);
            }
            TreeMap<String, User> next = new TreeMap<>(users);
            next.remove(username);
            persist(next);
        }
    }

    /** Writes {@code next} durably, then publishes it. Caller holds the lock. */
    private void persist(TreeMap<String, User> next) {
        byte[] plain = UserCodec.encode(next);
        byte[] sealed;
        try {
            sealed = sealer.seal(plain, HEADER);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
        byte[] out = new byte[HEADER.length + sealed.length];
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        System.arraycopy(sealed, 0, out, HEADER.length, sealed.length);
        SecureFiles.writeAtomically(file, out, random);
        users = Collections.unmodifiableMap(next);
    }

    @Override
    public String toString() {
        return "UserStore[" + file + ", " + users.size() + " accounts]";
    }
}
