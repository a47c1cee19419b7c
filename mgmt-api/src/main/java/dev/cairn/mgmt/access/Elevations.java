package dev.cairn.mgmt.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.mgmt.access.ApprovalRefusedException.Kind;
import dev.cairn.mgmt.access.ElevationRequest.Status;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Just-in-time elevation (docs/access.md section 3): a user asks for a role for a limited time with a reason;
 * someone else approves; the grant ends by itself at {@code activeUntil}, or earlier when revoked. The server adds
 * {@link #activeRoles} to the user's standing roles on every request, checks who may decide
 * ({@code ELEVATION_DECIDE}), rotates the session on elevation and audits each call.
 *
 * <p>State: {@code elevations.json} in the given directory (docs/formats/access-state.md), rewritten atomically on
 * every change. Thread safe: every public method holds this instance's lock. One instance per directory.
 */
public final class Elevations {
    /** The default longest grant: 60 minutes. */
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofMinutes(60);
    /** The default time a request may wait for a decision: 30 minutes. */
    public static final Duration DEFAULT_REQUEST_EXPIRY = Duration.ofMinutes(30);
    /** The shortest grant: one minute. */
    public static final Duration MIN_DURATION = Duration.ofMinutes(1);

    static final String FILE = "elevations.json";
    static final String FORMAT = "cairn-elevations v1";
    private static final Set<String> FIELDS = Set.of("id", "user", "role", "durationSeconds", "reason",
            "requestedAt", "status", "decidedBy", "activeUntil", "revokedBy", "revokedAt");

    /** What is stored: the request with its stored status (never EXPIRED) plus who revoked it. */
    private record Entry(ElevationRequest request, String revokedBy, Instant revokedAt) {
    }

    private final StateFile file;
    private final Duration maxDuration;
    private final Duration requestExpiry;
    private final Clock clock;
    private final SecureRandom random;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    private Elevations(StateFile file, Duration maxDuration, Duration requestExpiry, Clock clock, SecureRandom random) {
        this.file = file;
        this.maxDuration = maxDuration;
        this.requestExpiry = requestExpiry;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens (or creates) the elevation state in {@code dir}.
     *
     * @param maxDuration   the longest grant, at least one minute ({@link #DEFAULT_MAX_DURATION})
     * @param requestExpiry how long a request may wait for a decision ({@link #DEFAULT_REQUEST_EXPIRY})
     * @throws AccessStateException if the state file exists but cannot be read or is corrupt (fail closed)
     */
    public static Elevations open(Path dir, Duration maxDuration, Duration requestExpiry, Clock clock, SecureRandom random) {
        Objects.requireNonNull(maxDuration, "maxDuration");
        Objects.requireNonNull(requestExpiry, "requestExpiry");
        if (maxDuration.compareTo(MIN_DURATION) < 0) {
            throw new IllegalArgumentException("maxDuration must be at least one minute");
        }
        if (requestExpiry.isNegative() || requestExpiry.isZero()) {
            throw new IllegalArgumentException("requestExpiry must be positive");
        }
        Elevations e = new Elevations(new StateFile(dir, FILE, FORMAT), maxDuration, requestExpiry,
                Objects.requireNonNull(clock, "clock"), Objects.requireNonNull(random, "random"));
        e.load();
        return e;
    }

    /**
     * Asks for {@code role} for {@code duration}.
     *
     * @throws IllegalArgumentException if the user name, the reason (printable ASCII, 1..200) or the duration
     *                                  (1 minute to the maximum) breaks its rule
     */
    public synchronized ElevationRequest request(String user, Role role, Duration duration, String reason) {
        if (!Checks.isIdentity(user)) {
            throw new IllegalArgumentException("user must be a user name matching " + Checks.IDENTITY.pattern());
        }
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(duration, "duration");
        if (duration.compareTo(MIN_DURATION) < 0 || duration.compareTo(maxDuration) > 0) {
            throw new IllegalArgumentException("duration must be between 1 and " + maxDuration.toMinutes() + " minutes");
        }
        if (!Checks.isReason(reason)) {
            throw new IllegalArgumentException("reason is required: 1 to 200 printable ASCII characters");
        }
        String id;
        do {
            id = Checks.newId(random);
        } while (entries.containsKey(id));
        ElevationRequest r = new ElevationRequest(id, user, role, duration, reason, clock.instant(), Status.PENDING,
                null, null);
        commit(new Entry(r, null, null));
        return r;
    }

    /**
     * Approves a pending request: ACTIVE until now + duration.
     *
     * @throws ApprovalRefusedException NOT_FOUND, EXPIRED, NOT_PENDING, INVALID or SELF_APPROVAL
     */
    public synchronized ElevationRequest approve(String id, String approver) {
        return decide(id, approver, true);
    }

    /**
     * Denies a pending request.
     *
     * @throws ApprovalRefusedException NOT_FOUND, EXPIRED, NOT_PENDING, INVALID or SELF_APPROVAL
     */
    public synchronized ElevationRequest deny(String id, String approver) {
        return decide(id, approver, false);
    }

    /**
     * Ends an ACTIVE grant now ({@code activeUntil} becomes now). Anyone the server lets call this may, the user
     * included (giving a role up early is always safe).
     *
     * @throws ApprovalRefusedException NOT_FOUND, INVALID, or NOT_PENDING if the grant is not active (pending,
     *                                  denied, expired or already revoked)
     */
    public synchronized ElevationRequest revoke(String id, String by) {
        Entry e = get(id);
        requireIdentity("by", by);
        Instant now = clock.instant();
        Status s = statusAt(e, now);
        if (s != Status.ACTIVE) {
            throw new ApprovalRefusedException(Kind.NOT_PENDING, "elevation " + id + " is " + lower(s)
                    + ", not active; nothing to revoke");
        }
        ElevationRequest r = e.request();
        ElevationRequest next = new ElevationRequest(r.id(), r.user(), r.role(), r.duration(), r.reason(),
                r.requestedAt(), Status.REVOKED, r.decidedBy(), now);
        commit(new Entry(next, by, now));
        return next;
    }

    /** The roles granted to {@code user} by elevation right now; empty for unknown users. */
    public synchronized Set<Role> activeRoles(String user) {
        Instant now = clock.instant();
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (Entry e : entries.values()) {
            if (e.request().user().equals(user) && statusAt(e, now) == Status.ACTIVE) {
                out.add(e.request().role());
            }
        }
        return Set.copyOf(out);
    }

    /** The request with this id, status as of now. */
    public synchronized Optional<ElevationRequest> find(String id) {
        Entry e = id == null ? null : entries.get(id);
        return e == null ? Optional.empty() : Optional.of(view(e, clock.instant()));
    }

    /** All requests, newest first, status as of now. */
    public synchronized List<ElevationRequest> list() {
        Instant now = clock.instant();
        List<ElevationRequest> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(view(e, now));
        }
        return List.copyOf(out.reversed());
    }

    // ---- rules ----

    private ElevationRequest decide(String id, String approver, boolean approve) {
        Entry e = get(id);
        Instant now = clock.instant();
        Status s = statusAt(e, now);
        if (s == Status.EXPIRED) {
            throw new ApprovalRefusedException(Kind.EXPIRED, "elevation request " + id
                    + " was not decided in time; the user must ask again");
        }
        if (s != Status.PENDING) {
            throw new ApprovalRefusedException(Kind.NOT_PENDING, "elevation request " + id + " is " + lower(s) + ", not pending");
        }
        requireIdentity("approver", approver);
        ElevationRequest r = e.request();
        if (r.user().equals(approver)) {
            throw new ApprovalRefusedException(Kind.SELF_APPROVAL, "a user cannot decide their own elevation; someone else must");
        }
        ElevationRequest next = approve
                ? new ElevationRequest(r.id(), r.user(), r.role(), r.duration(), r.reason(), r.requestedAt(),
                        Status.ACTIVE, approver, now.plus(r.duration()))
                : new ElevationRequest(r.id(), r.user(), r.role(), r.duration(), r.reason(), r.requestedAt(),
                        Status.DENIED, approver, null);
        commit(new Entry(next, null, null));
        return next;
    }

    private Status statusAt(Entry e, Instant now) {
        ElevationRequest r = e.request();
        return switch (r.status()) {
            case PENDING -> now.isBefore(r.requestedAt().plus(requestExpiry)) ? Status.PENDING : Status.EXPIRED;
            case ACTIVE -> now.isBefore(r.activeUntil()) ? Status.ACTIVE : Status.EXPIRED;
            default -> r.status();
        };
    }

    private ElevationRequest view(Entry e, Instant now) {
        Status s = statusAt(e, now);
        return s == e.request().status() ? e.request() : e.request().withStatus(s);
    }

    private Entry get(String id) {
        Entry e = id == null ? null : entries.get(id);
        if (e == null) {
            throw new ApprovalRefusedException(Kind.NOT_FOUND, "no elevation request with this id; list the requests to find it");
        }
        return e;
    }

    private static void requireIdentity(String what, String s) {
        if (!Checks.isIdentity(s)) {
            throw new ApprovalRefusedException(Kind.INVALID, what + " must be a user name matching " + Checks.IDENTITY.pattern());
        }
    }

    private static String lower(Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    // ---- persistence ----

    /** Finished requests older than this are dropped from the file at the next change (the audit trail keeps them). */
    public static final Duration KEEP_FINISHED = Duration.ofDays(90);

    /** Writes the state with {@code changed} in place (finished old requests dropped), then updates memory. */
    private void commit(Entry changed) {
        LinkedHashMap<String, Entry> next = new LinkedHashMap<>(entries);
        Instant now = clock.instant();
        next.values().removeIf(e -> e.request().requestedAt().plus(KEEP_FINISHED).isBefore(now)
                && statusAt(e, now) != Status.PENDING && statusAt(e, now) != Status.ACTIVE);
        next.put(changed.request().id(), changed);
        file.write(encode(next));
        entries.clear();
        entries.putAll(next);
    }

    private ObjectNode encode(Map<String, Entry> all) {
        ObjectNode root = file.newRoot();
        ArrayNode list = root.putArray("requests");
        for (Entry e : all.values()) {
            ElevationRequest r = e.request();
            ObjectNode n = list.addObject();
            n.put("id", r.id());
            n.put("user", r.user());
            n.put("role", r.role().id());
            n.put("durationSeconds", r.duration().toSeconds());
            n.put("reason", r.reason());
            n.put("requestedAt", r.requestedAt().toString());
            n.put("status", lower(r.status()));
            n.put("decidedBy", r.decidedBy());
            n.put("activeUntil", StateFile.time(r.activeUntil()));
            n.put("revokedBy", e.revokedBy());
            n.put("revokedAt", StateFile.time(e.revokedAt()));
        }
        return root;
    }

    private void load() {
        ObjectNode root = file.read();
        if (root == null) {
            return;
        }
        file.onlyFields(root, "the file", Set.of("format", "requests"));
        JsonNode list = file.array(root, "requests", "the file");
        for (int i = 0; i < list.size(); i++) {
            Entry e = decode(list.get(i), "requests[" + i + "]");
            if (entries.putIfAbsent(e.request().id(), e) != null) {
                throw file.corrupt("requests[" + i + "] repeats the id of an earlier request", null);
            }
        }
    }

    private Entry decode(JsonNode n, String at) {
        file.onlyFields(n, at, FIELDS);
        String id = file.text(n, "id", at);
        String user = file.text(n, "user", at);
        String reason = file.text(n, "reason", at);
        if (!Checks.ID.matcher(id).matches() || !Checks.isIdentity(user) || !Checks.isReason(reason)) {
            throw file.corrupt(at + " has an id, user or reason that breaks its rule", null);
        }
        Role role;
        try {
            role = Role.ofId(file.text(n, "role", at));
        } catch (IllegalArgumentException ex) {
            throw file.corrupt(at + ".role is not a known role", null);
        }
        Duration duration = file.seconds(n, "durationSeconds", at);
        if (duration.compareTo(MIN_DURATION) < 0) {
            throw file.corrupt(at + ".durationSeconds is below one minute", null);
        }
        Instant requestedAt = file.instant(n, "requestedAt", at);
        Status status = switch (file.text(n, "status", at)) {
            case "pending" -> Status.PENDING;
            case "active" -> Status.ACTIVE;
            case "denied" -> Status.DENIED;
            case "revoked" -> Status.REVOKED;
            default -> throw file.corrupt(at + ".status is not one of pending, active, denied, revoked", null);
        };
        String decidedBy = file.textOrNull(n, "decidedBy", at);
        Instant activeUntil = file.instantOrNull(n, "activeUntil", at);
        String revokedBy = file.textOrNull(n, "revokedBy", at);
        Instant revokedAt = file.instantOrNull(n, "revokedAt", at);
        boolean decided = status != Status.PENDING;
        boolean granted = status == Status.ACTIVE || status == Status.REVOKED;
        boolean revoked = status == Status.REVOKED;
        if (decided != (decidedBy != null) || granted != (activeUntil != null)
                || revoked != (revokedBy != null) || revoked != (revokedAt != null)
                || (decidedBy != null && (!Checks.isIdentity(decidedBy) || decidedBy.equals(user)))
                || (revokedBy != null && !Checks.isIdentity(revokedBy))) {
            throw file.corrupt(at + ".decidedBy, activeUntil, revokedBy or revokedAt does not fit status "
                    + lower(status), null);
        }
        return new Entry(new ElevationRequest(id, user, role, duration, reason, requestedAt, status, decidedBy,
                activeUntil), revokedBy, revokedAt);
    }

    @Override
    public String toString() {
        return "Elevations[" + file.path() + ", max=" + maxDuration + "]";
    }
}
