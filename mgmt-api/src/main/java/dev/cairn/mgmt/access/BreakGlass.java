package dev.cairn.mgmt.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.mgmt.auth.LockoutPolicy;
import dev.cairn.mgmt.auth.LockoutState;
import dev.cairn.mgmt.auth.MalformedCredentialException;
import dev.cairn.mgmt.auth.PasswordHash;
import dev.cairn.mgmt.auth.PasswordHasher;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Break-glass accounts (docs/access.md section 4): a sealed credential printed once at set-up and kept offline.
 * Using it raises an alert, gives a session of at most {@link #MAX_SESSION}, and burns it: it cannot be used again
 * until a security officer re-seals the account, which prints a new credential.
 *
 * <p>The credential is {@value #GROUPS} groups of 4 base32 characters (RFC 4648 alphabet, {@code A-Z2-7}), 140 random
 * bits, for example {@code ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23}; input is accepted in either case, with or without
 * the hyphens and spaces. Only its Argon2id hash ({@link PasswordHasher}) is stored, in {@code breakglass.json}
 * (docs/formats/access-state.md). Wrong credentials count as failures under {@link LockoutPolicy} with
 * {@link LockoutPolicy.Limits#ONLINE}: backoff after 3, up to 15 minutes, and never a lock (a lock would let anyone
 * disable the emergency credential); the {@value #GUESSING_ALERT_AFTER}th wrong credential in a row raises an
 * alert. Re-sealing clears the count.
 *
 * <p>Thread safe: every public method holds this instance's lock. One instance per directory.
 */
public final class BreakGlass {
    /** The longest break-glass session: 60 minutes. */
    public static final Duration MAX_SESSION = Duration.ofMinutes(60);
    /** Groups of 4 characters in a credential: 28 characters, 140 bits. */
    public static final int GROUPS = 7;
    /** Wrong credentials in a row that raise an alert. */
    public static final int GUESSING_ALERT_AFTER = 10;

    /** The alert kind of a break-glass use and of repeated wrong credentials. */
    public static final String ALERT_KIND = "break-glass";

    static final String FILE = "breakglass.json";
    static final String FORMAT = "cairn-breakglass v1";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int CHARS = GROUPS * 4;
    private static final Set<String> FIELDS = Set.of("account", "state", "hash", "sealedAt", "sealedBy", "usedAt",
            "failures", "lastFailure", "locked");

    /** Where an account stands. */
    public enum State {
        /** No credential was ever sealed for this account. */
        NONE,
        /** A credential is sealed and can be used once. */
        SEALED,
        /** The credential was used; re-seal to make the account usable again. */
        USED
    }

    /** What is stored for one account; {@code hash} is null once used. */
    private record Account(State state, String hash, Instant sealedAt, String sealedBy, Instant usedAt,
            LockoutState lockout) {
    }

    private final StateFile file;
    private final PasswordHasher hasher;
    private final AlertSink alerts;
    private final Clock clock;
    private final SecureRandom random;
    private final LockoutPolicy lockout;
    private final TreeMap<String, Account> accounts = new TreeMap<>();

    private BreakGlass(StateFile file, PasswordHasher hasher, AlertSink alerts, Clock clock, SecureRandom random) {
        this.file = file;
        this.hasher = hasher;
        this.alerts = alerts;
        this.clock = clock;
        this.random = random;
        this.lockout = new LockoutPolicy(LockoutPolicy.Limits.ONLINE, clock);
    }

    /**
     * Opens (or creates) the break-glass state in {@code dir}.
     *
     * @throws AccessStateException if the state file exists but cannot be read or is corrupt (fail closed)
     */
    public static BreakGlass open(Path dir, PasswordHasher hasher, AlertSink alerts, Clock clock, SecureRandom random) {
        BreakGlass b = new BreakGlass(new StateFile(dir, FILE, FORMAT), Objects.requireNonNull(hasher, "hasher"),
                Objects.requireNonNull(alerts, "alerts"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(random, "random"));
        b.load();
        return b;
    }

    /**
     * Creates the first credential of {@code account} (state NONE to SEALED) and returns it, once, for printing.
     *
     * @throws IllegalArgumentException if the account name breaks the user-name rule
     * @throws IllegalStateException    if the account already has a credential (use {@link #reseal})
     */
    public synchronized String seal(String account) {
        requireAccount(account);
        if (accounts.containsKey(account)) {
            throw new IllegalStateException("break-glass account " + account
                    + " is already set up; re-seal it to replace its credential");
        }
        return newCredential(account, null);
    }

    /**
     * Uses the credential. On success the state becomes USED, an alert is raised and recorded before anything else
     * changes, and the use is returned. Empty when the account is unknown, not SEALED, waiting out a backoff, locked,
     * or the credential is wrong (which counts as a failure).
     *
     * @throws AccessStateException or whatever the {@link AlertSink} throws if the use cannot be recorded; the
     *                              credential then stays sealed and no session may be opened
     */
    public synchronized Optional<BreakGlassUse> use(String account, String credential) {
        Account a = account == null ? null : accounts.get(account);
        if (a == null || a.state() != State.SEALED || credential == null) {
            return Optional.empty();
        }
        if (lockout.check(a.lockout()).kind() != LockoutPolicy.Decision.Kind.ALLOWED) {
            return Optional.empty();
        }
        String normalized = normalize(credential);
        boolean ok;
        try {
            ok = normalized != null && hasher.verify(normalized, a.hash());
        } catch (MalformedCredentialException e) {
            throw new AccessStateException("the stored hash of break-glass account " + account
                    + " cannot be read; re-seal the account", e);
        }
        Instant now = clock.instant();
        if (!ok) {
            LockoutState failed = lockout.onFailure(a.lockout());
            commit(account, new Account(a.state(), a.hash(), a.sealedAt(), a.sealedBy(), a.usedAt(), failed));
            if (failed.failures() == GUESSING_ALERT_AFTER) {
                alerts.alert(ALERT_KIND, "break-glass account " + account + ": " + failed.failures()
                        + " wrong credentials in a row; someone may be guessing (backoff is in force)");
            }
            return Optional.empty();
        }
        alerts.alert(ALERT_KIND, "break-glass account " + account + " used");
        commit(account, new Account(State.USED, null, a.sealedAt(), a.sealedBy(), now, LockoutState.CLEAR));
        return Optional.of(new BreakGlassUse(account, now, now.plus(MAX_SESSION)));
    }

    /**
     * Replaces the credential of an existing account (used, sealed or locked) with a new one, state SEALED, and
     * returns it, once, for printing. The failure count is cleared.
     *
     * @param by who re-seals (a security officer)
     * @throws IllegalArgumentException if a name breaks the user-name rule
     * @throws IllegalStateException    if the account was never sealed (use {@link #seal})
     */
    public synchronized String reseal(String account, String by) {
        requireAccount(account);
        if (!Checks.isIdentity(by)) {
            throw new IllegalArgumentException("by must be a user name matching " + Checks.IDENTITY.pattern());
        }
        if (!accounts.containsKey(account)) {
            throw new IllegalStateException("break-glass account " + account + " was never set up; seal it first");
        }
        return newCredential(account, by);
    }

    /** The state of {@code account}; NONE if it was never sealed. */
    public synchronized State state(String account) {
        Account a = account == null ? null : accounts.get(account);
        return a == null ? State.NONE : a.state();
    }

    /**
     * Whether a credential check for {@code account} would be made now (ALLOWED), must wait (WAIT, with the time),
     * or is locked (LOCKED). For the server's error message; {@link #use} applies it by itself.
     */
    public synchronized LockoutPolicy.Decision attemptDecision(String account) {
        Account a = account == null ? null : accounts.get(account);
        return lockout.check(a == null ? LockoutState.CLEAR : a.lockout());
    }

    /** The account names that have a credential (sealed or used). */
    public synchronized Set<String> accounts() {
        return Set.copyOf(accounts.keySet());
    }

    // ---- credentials ----

    private String newCredential(String account, String by) {
        StringBuilder raw = new StringBuilder(CHARS);
        for (int i = 0; i < CHARS; i++) {
            raw.append(BASE32.charAt(random.nextInt(32)));
        }
        String hash = hasher.hash(raw);
        commit(account, new Account(State.SEALED, hash, clock.instant(), by, null, LockoutState.CLEAR));
        StringBuilder printed = new StringBuilder(CHARS + GROUPS - 1);
        for (int i = 0; i < CHARS; i += 4) {
            if (i > 0) {
                printed.append('-');
            }
            printed.append(raw, i, i + 4);
        }
        return printed.toString();
    }

    /** Upper case, without hyphens and spaces; null if the rest is not exactly 28 base32 characters. */
    static String normalize(String credential) {
        StringBuilder b = new StringBuilder(CHARS);
        for (int i = 0; i < credential.length(); i++) {
            char c = credential.charAt(i);
            if (c == '-' || c == ' ') {
                continue;
            }
            char u = Character.toUpperCase(c);
            if (BASE32.indexOf(u) < 0 || b.length() == CHARS) {
                return null;
            }
            b.append(u);
        }
        return b.length() == CHARS ? b.toString() : null;
    }

    private static void requireAccount(String account) {
        if (!Checks.isIdentity(account)) {
            throw new IllegalArgumentException("account must be a user name matching " + Checks.IDENTITY.pattern());
        }
    }

    // ---- persistence ----

    private void commit(String name, Account a) {
        TreeMap<String, Account> next = new TreeMap<>(accounts);
        next.put(name, a);
        file.write(encode(next));
        accounts.clear();
        accounts.putAll(next);
    }

    private ObjectNode encode(Map<String, Account> all) {
        ObjectNode root = file.newRoot();
        ArrayNode list = root.putArray("accounts");
        for (Map.Entry<String, Account> e : all.entrySet()) {
            Account a = e.getValue();
            ObjectNode n = list.addObject();
            n.put("account", e.getKey());
            n.put("state", a.state().name().toLowerCase(Locale.ROOT));
            n.put("hash", a.hash());
            n.put("sealedAt", a.sealedAt().toString());
            n.put("sealedBy", a.sealedBy());
            n.put("usedAt", StateFile.time(a.usedAt()));
            n.put("failures", a.lockout().failures());
            n.put("lastFailure", StateFile.time(a.lockout().lastFailure()));
            n.put("locked", a.lockout().locked());
        }
        return root;
    }

    private void load() {
        ObjectNode root = file.read();
        if (root == null) {
            return;
        }
        file.onlyFields(root, "the file", Set.of("format", "accounts"));
        JsonNode list = file.array(root, "accounts", "the file");
        for (int i = 0; i < list.size(); i++) {
            String at = "accounts[" + i + "]";
            JsonNode n = list.get(i);
            file.onlyFields(n, at, FIELDS);
            String name = file.text(n, "account", at);
            if (!Checks.isIdentity(name)) {
                throw file.corrupt(at + ".account breaks the user-name rule", null);
            }
            State state = switch (file.text(n, "state", at)) {
                case "sealed" -> State.SEALED;
                case "used" -> State.USED;
                default -> throw file.corrupt(at + ".state is not sealed or used", null);
            };
            String hash = file.textOrNull(n, "hash", at);
            if ((state == State.SEALED) != (hash != null)) {
                throw file.corrupt(at + ".hash must be set exactly when the state is sealed", null);
            }
            if (hash != null) {
                try {
                    PasswordHash.parse(hash);
                } catch (MalformedCredentialException e) {
                    throw file.corrupt(at + ".hash is not an Argon2id PHC string", null);
                }
            }
            Instant sealedAt = file.instant(n, "sealedAt", at);
            String sealedBy = file.textOrNull(n, "sealedBy", at);
            if (sealedBy != null && !Checks.isIdentity(sealedBy)) {
                throw file.corrupt(at + ".sealedBy breaks the user-name rule", null);
            }
            Instant usedAt = file.instantOrNull(n, "usedAt", at);
            if ((state == State.USED) != (usedAt != null)) {
                throw file.corrupt(at + ".usedAt must be set exactly when the state is used", null);
            }
            LockoutState ls;
            try {
                ls = new LockoutState(file.nonNegativeInt(n, "failures", at), file.instantOrNull(n, "lastFailure", at),
                        file.bool(n, "locked", at));
            } catch (IllegalArgumentException e) {
                throw file.corrupt(at + ".failures and lastFailure disagree", null);
            }
            if (accounts.putIfAbsent(name, new Account(state, hash, sealedAt, sealedBy, usedAt, ls)) != null) {
                throw file.corrupt(at + " repeats an earlier account", null);
            }
        }
    }

    @Override
    public String toString() {
        return "BreakGlass[" + file.path() + ", accounts=" + accounts.size() + "]";
    }
}
