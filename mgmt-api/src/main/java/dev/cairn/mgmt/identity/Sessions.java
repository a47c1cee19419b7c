package dev.cairn.mgmt.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Browser sessions, in memory only: a restart logs everyone out (docs/auth.md, "Sessions and API tokens"). The
 * bearer value is 256 random bits (base64url, 43 characters), handed out once; only its SHA-256 is kept, as the map
 * key. A session ends after {@code idleTimeout} without a lookup or at its absolute end, whichever comes first.
 * Thread safe (a concurrent map; each token's entry changes atomically).
 */
public final class Sessions {
    private final Clock clock;
    private final SecureRandom random;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;
    private final ConcurrentHashMap<String, Session> byHash = new ConcurrentHashMap<>();

    /**
     * Sessions with these timeouts.
     *
     * @param idleTimeout     15 minutes in production
     * @param absoluteTimeout 8 hours in production; the cap on every session's lifetime
     */
    public Sessions(Clock clock, SecureRandom random, Duration idleTimeout, Duration absoluteTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.idleTimeout = positive(idleTimeout, "idleTimeout");
        this.absoluteTimeout = positive(absoluteTimeout, "absoluteTimeout");
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    /**
     * A new session and its bearer value (put it in a Secure, HttpOnly, SameSite=Strict cookie; never log it).
     *
     * @param issued the session and the token text
     */
    public record Issued(Session session, String token) {
        /** Validates. */
        public Issued {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String toString() {
            return "Issued[" + session + ", token=<redacted>]";
        }
    }

    /**
     * Starts a session.
     *
     * @param mfaAt       when MFA last succeeded, or {@code null}
     * @param maxLifetime the absolute lifetime, or {@code null} for {@code absoluteTimeout}; never longer than it
     *                    (break-glass passes 60 minutes)
     */
    public synchronized Issued create(String username, Session.Stage stage, String authMethod, Instant mfaAt,
            Duration maxLifetime) {
        Instant now = clock.instant();
        sweep(now);
        Duration life = maxLifetime == null ? absoluteTimeout : positive(maxLifetime, "maxLifetime");
        if (life.compareTo(absoluteTimeout) > 0) {
            life = absoluteTimeout;
        }
        Session s = new Session(Secrets.token(random).substring(0, 16), username, stage, authMethod, now, now,
                now.plus(life), mfaAt, Secrets.token(random), Map.of());
        dropOldestBeyond(username, MAX_PER_USER - 1);
        return put(s);
    }

    /** How many live sessions one account may hold; a new login beyond that ends the account's oldest. */
    public static final int MAX_PER_USER = 20;

    /** Ends the oldest sessions of {@code username} until at most {@code keep} remain. */
    private void dropOldestBeyond(String username, int keep) {
        java.util.List<Map.Entry<String, Session>> mine = new java.util.ArrayList<>(byHash.entrySet().stream()
                .filter(e -> e.getValue().username().equals(username)).toList());
        if (mine.size() <= keep) {
            return;
        }
        mine.sort(java.util.Comparator.comparing(e -> e.getValue().createdAt()));
        for (int i = 0; i < mine.size() - keep; i++) {
            byHash.remove(mine.get(i).getKey(), mine.get(i).getValue());
        }
    }

    private Issued put(Session s) {
        while (true) {
            String token = Secrets.token(random);
            if (byHash.putIfAbsent(Secrets.sha256Text(token), s) == null) {
                return new Issued(s, token);
            }
        }
    }

    /**
     * The live session for {@code token}, its last-seen time moved to now; empty if unknown, idle for longer than the
     * idle timeout, or at or past its absolute end (an ended session is removed).
     */
    public Optional<Session> lookup(String token) {
        if (!Secrets.isBase64Url(token, Secrets.TOKEN_CHARS)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session s = byHash.computeIfPresent(Secrets.sha256Text(token), (k, v) -> alive(v, now) ? v.seen(now) : null);
        return Optional.ofNullable(s);
    }

    private boolean alive(Session s, Instant now) {
        // a clock that went back is not a reason to extend: lastSeenAt in the future counts as seen now
        return now.isBefore(s.absoluteEnd()) && !now.isAfter(s.lastSeenAt().plus(idleTimeout));
    }

    /**
     * A new bearer value and a new CSRF token for the same session (after {@code change}), at login completion, MFA
     * and elevation; the old token stops working at once (session fixation).
     *
     * @throws IllegalStateException if {@code token} is not a live session (log in again)
     */
    public synchronized Issued rotate(String token, UnaryOperator<Session> change) {
        Objects.requireNonNull(change, "change");
        Instant now = clock.instant();
        Session old = Secrets.isBase64Url(token, Secrets.TOKEN_CHARS) ? byHash.remove(Secrets.sha256Text(token))
                : null;
        if (old == null || !alive(old, now)) {
            throw new IllegalStateException("the session has ended or is unknown; log in again");
        }
        Session next = Objects.requireNonNull(change.apply(old.seen(now)), "change returned null");
        if (!next.id().equals(old.id()) || !next.username().equals(old.username())
                || !next.absoluteEnd().equals(old.absoluteEnd()) || !next.createdAt().equals(old.createdAt())) {
            throw new IllegalArgumentException("a rotation may not change the session's id, account, start or end");
        }
        return put(next.withCsrf(Secrets.token(random)));
    }

    /** Ends the session of {@code token} (logout); nothing happens if it is unknown. */
    public void invalidate(String token) {
        if (Secrets.isBase64Url(token, Secrets.TOKEN_CHARS)) {
            byHash.remove(Secrets.sha256Text(token));
        }
    }

    /**
     * Ends every session of {@code username} (MFA reset, disable, password change, delete). It holds the same
     * lock as {@link #rotate} and {@link #create}, so a session being rotated at that moment cannot slip
     * through as its replacement.
     */
    public synchronized void invalidateUser(String username) {
        byHash.values().removeIf(s -> s.username().equals(username));
    }

    /** Live sessions (for a status page and tests); ended ones are dropped first. */
    public int size() {
        sweep(clock.instant());
        return byHash.size();
    }

    private void sweep(Instant now) {
        byHash.values().removeIf(s -> !alive(s, now));
    }

    @Override
    public String toString() {
        return "Sessions[" + byHash.size() + "]";
    }
}
