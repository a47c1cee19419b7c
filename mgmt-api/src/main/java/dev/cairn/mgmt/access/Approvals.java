package dev.cairn.mgmt.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.approval.ApprovalFormatException;
import dev.cairn.hsm.approval.ApprovalRecord;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.mgmt.access.ApprovalRefusedException.Kind;
import dev.cairn.mgmt.access.ApprovalRequest.Approval;
import dev.cairn.mgmt.access.ApprovalRequest.Status;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Multi-party approval of destructive operations (requirement APR-1, docs/access.md section 2): a request becomes
 * {@link Status#APPROVED} once {@link Policy#requiredApprovers()} distinct people other than the requester, each
 * with fresh MFA, approved it before it expired; the collected approvals are then signed by the approval authority
 * ({@link ApprovalSigner}) into an {@link ApprovalRecord}, which {@link #takeForExecution} hands out exactly once.
 *
 * <p>Who may request, approve and deny is the server's business (permissions); this class enforces the rules that
 * hold whoever calls. It writes no audit entries: the server audits each call and its outcome.
 *
 * <p>State: {@code approvals.json} in the given directory (docs/formats/access-state.md), rewritten atomically on
 * every change; a change is visible only after it is durable. Thread safe: every public method holds this
 * instance's lock. One instance per directory.
 */
public final class Approvals {

    /**
     * The named limits.
     *
     * @param requiredApprovers distinct approvers other than the requester, at least 1 (default 2)
     * @param requestExpiry     how long a request may wait for approvals (default 24 h)
     * @param mfaFreshness      how old an approver's last MFA may be when approving (default 5 min)
     * @param recordValidity    how long the signed record is valid after the last approval (default 1 h)
     */
    public record Policy(int requiredApprovers, Duration requestExpiry, Duration mfaFreshness, Duration recordValidity) {
        /** Validates. */
        public Policy {
            if (requiredApprovers < 1) {
                throw new IllegalArgumentException("requiredApprovers must be at least 1");
            }
            positive("requestExpiry", requestExpiry);
            positive("mfaFreshness", mfaFreshness);
            positive("recordValidity", recordValidity);
            if (recordValidity.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("recordValidity must be at least one second (records have whole seconds)");
            }
        }

        /** 2 approvers, 24 h request expiry, 5 min MFA freshness, 1 h record validity. */
        public static Policy defaults() {
            return new Policy(2, Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofHours(1));
        }

        private static void positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
        }
    }

    static final String FILE = "approvals.json";
    static final String FORMAT = "cairn-approvals v1";

    /** Every action string of {@link ApprovalActions} (its public static final String fields). */
    static final Set<String> ACTIONS = actions();
    private static final Pattern TENANT_TARGET = Pattern.compile("tenant:[A-Za-z0-9._-]{1,121}");
    private static final Pattern SNAPSHOT_TARGET = Pattern.compile("snapshot:[0-9a-f]{64}");
    private static final Pattern USER_GRANT_TARGET =
            Pattern.compile("user:[a-z0-9][a-z0-9._-]{0,63}:(administrator|security-officer)");
    private static final Pattern OTHER_TARGET = Pattern.compile("(?=.{1,128}$)[a-z][a-z0-9-]*:[A-Za-z0-9._-]+");

    private static final Set<String> REQUEST_FIELDS = Set.of("id", "action", "target", "requester", "reason",
            "createdAt", "expiresAt", "status", "approvals", "signedRecord", "decidedBy", "decisionReason",
            "executedBy", "executedAt");
    private static final Set<String> APPROVAL_FIELDS = Set.of("approver", "at", "mfaAt");

    /**
     * What is stored for one request. {@code request.status()} is the stored status, never EXPIRED (expiry is
     * computed from the time).
     */
    private record Entry(ApprovalRequest request, Instant recordExpiresAt, String executedBy, Instant executedAt) {
    }

    private final StateFile file;
    private final Policy policy;
    private final ApprovalSigner signer;
    private final Clock clock;
    private final SecureRandom random;
    /** By id, in creation order. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    private Approvals(StateFile file, Policy policy, ApprovalSigner signer, Clock clock, SecureRandom random) {
        this.file = file;
        this.policy = policy;
        this.signer = signer;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens (or creates) the approvals state in {@code dir}.
     *
     * @throws AccessStateException if the state file exists but cannot be read or is corrupt (fail closed)
     */
    public static Approvals open(Path dir, Policy policy, ApprovalSigner signer, Clock clock, SecureRandom random) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Approvals a = new Approvals(new StateFile(dir, FILE, FORMAT), policy, signer, clock, random);
        a.load();
        return a;
    }

    /** The policy in force. */
    public Policy policy() {
        return policy;
    }

    /** The approval authority's public key (what executors verify records with). */
    public PublicKey authorityKey() {
        return signer.publicKey();
    }

    /**
     * Creates a pending request.
     *
     * @param requester who asks (an identity)
     * @param action    one of {@link ApprovalActions}
     * @param target    per docs/formats/approval-record.md, "Targets": {@code tenant:<tenant>} for key actions,
     *                  {@code snapshot:<64 hex>} for snapshot and retention actions, {@code <kind>:<name>} otherwise
     * @param reason    printable ASCII, 1..200 characters
     * @throws ApprovalRefusedException INVALID if an argument breaks its rule
     */
    public synchronized ApprovalRequest request(String requester, String action, String target, String reason) {
        requireIdentity("requester", requester);
        if (action == null || !ACTIONS.contains(action)) {
            throw new ApprovalRefusedException(Kind.INVALID, "unknown action; expected one of " + String.join(", ", ACTIONS));
        }
        if (!validTarget(action, target)) {
            throw new ApprovalRefusedException(Kind.INVALID, "target does not fit action " + action
                    + "; see docs/formats/approval-record.md, Targets");
        }
        if (!Checks.isReason(reason)) {
            throw new ApprovalRefusedException(Kind.INVALID, "reason is required: 1 to 200 printable ASCII characters");
        }
        Instant now = clock.instant();
        String id;
        do {
            id = Checks.newId(random);
        } while (entries.containsKey(id));
        ApprovalRequest r = new ApprovalRequest(id, action, target, requester, reason, now,
                now.plus(policy.requestExpiry()), Status.PENDING, List.of(), Optional.empty(), null, null);
        commit(new Entry(r, null, null, null));
        return r;
    }

    /**
     * Adds an approval. When the count reaches {@link Policy#requiredApprovers()} the request becomes APPROVED and
     * its record (approved-at = now, expires-at = now + recordValidity, approvers in order) is signed and stored.
     *
     * @param approverMfaAt when the approver last passed MFA; must be within {@link Policy#mfaFreshness()} of now
     *                      and not in the future
     * @throws ApprovalRefusedException NOT_FOUND, EXPIRED, NOT_PENDING, SELF_APPROVAL, DUPLICATE_APPROVER,
     *                                  MFA_NOT_FRESH or INVALID (checked in that order)
     * @throws IllegalStateException    if the authority cannot sign; the approval is then not recorded
     */
    public synchronized ApprovalRequest approve(String id, String approver, Instant approverMfaAt) {
        Entry e = get(id);
        Instant now = clock.instant();
        requirePending(e, now);
        requireIdentity("approver", approver);
        ApprovalRequest r = e.request();
        if (r.requester().equals(approver)) {
            throw new ApprovalRefusedException(Kind.SELF_APPROVAL, "the requester cannot approve their own request;"
                    + " " + policy.requiredApprovers() + " other people must approve it");
        }
        for (Approval a : r.approvals()) {
            if (a.approver().equals(approver)) {
                throw new ApprovalRefusedException(Kind.DUPLICATE_APPROVER, "this approver already approved request "
                        + id + "; another person must approve it");
            }
        }
        if (approverMfaAt == null || approverMfaAt.isAfter(now)
                || Duration.between(approverMfaAt, now).compareTo(policy.mfaFreshness()) > 0) {
            throw new ApprovalRefusedException(Kind.MFA_NOT_FRESH, "approving needs MFA within the last "
                    + policy.mfaFreshness().toMinutes() + " minutes; confirm with a passkey or TOTP code and retry");
        }
        List<Approval> approvals = new ArrayList<>(r.approvals());
        approvals.add(new Approval(approver, now, approverMfaAt));
        if (approvals.size() < policy.requiredApprovers()) {
            ApprovalRequest next = new ApprovalRequest(r.id(), r.action(), r.target(), r.requester(), r.reason(),
                    r.createdAt(), r.expiresAt(), Status.PENDING, approvals, Optional.empty(), null, null);
            commit(new Entry(next, null, null, null));
            return next;
        }
        ApprovalRecord record = new ApprovalRecord(r.id(), r.action(), r.target(), r.requester(),
                approvals.stream().map(Approval::approver).toList(), now, now.plus(policy.recordValidity()), r.reason());
        SignedApproval signed = signer.sign(record);
        if (!signed.record().equals(record)) {
            throw new IllegalStateException("the approval authority returned a record other than the one it was given");
        }
        ApprovalRequest next = new ApprovalRequest(r.id(), r.action(), r.target(), r.requester(), r.reason(),
                r.createdAt(), r.expiresAt(), Status.APPROVED, approvals, Optional.of(signed.toText()), null, null);
        commit(new Entry(next, record.expiresAt(), null, null));
        return next;
    }

    /**
     * Refuses a pending request.
     *
     * @throws ApprovalRefusedException NOT_FOUND, EXPIRED, NOT_PENDING, SELF_APPROVAL (the requester cannot deny:
     *                                  use {@link #cancel}) or INVALID
     */
    public synchronized ApprovalRequest deny(String id, String decider, String reason) {
        Entry e = get(id);
        requirePending(e, clock.instant());
        requireIdentity("decider", decider);
        if (e.request().requester().equals(decider)) {
            throw new ApprovalRefusedException(Kind.SELF_APPROVAL, "the requester cannot deny their own request; cancel it instead");
        }
        if (!Checks.isReason(reason)) {
            throw new ApprovalRefusedException(Kind.INVALID, "reason is required: 1 to 200 printable ASCII characters");
        }
        return decide(e, Status.DENIED, decider, reason);
    }

    /**
     * Withdraws a request that is pending, or approved but not yet executed (its signed record is then never handed
     * out).
     *
     * @throws ApprovalRefusedException NOT_FOUND, NOT_REQUESTER, EXPIRED or NOT_PENDING
     */
    public synchronized ApprovalRequest cancel(String id, String requester) {
        Entry e = get(id);
        if (!e.request().requester().equals(requester)) {
            throw new ApprovalRefusedException(Kind.NOT_REQUESTER, "only the requester can cancel a request");
        }
        Status s = statusAt(e, clock.instant());
        if (s == Status.EXPIRED) {
            throw new ApprovalRefusedException(Kind.EXPIRED, "request " + id + " has expired; nothing to cancel");
        }
        if (s != Status.PENDING && s != Status.APPROVED) {
            throw new ApprovalRefusedException(Kind.NOT_PENDING, "request " + id + " is " + lower(s) + "; it cannot be cancelled");
        }
        return decide(e, Status.CANCELLED, requester, null);
    }

    /**
     * Hands out the signed record of an APPROVED request exactly once and marks the request EXECUTED (durably,
     * before returning). Pass the result to the engine's or the key plane's {@code Authorization}.
     *
     * @throws ApprovalRefusedException NOT_FOUND; NOT_PENDING if it is not APPROVED (pending, decided, or already
     *                                  taken); EXPIRED if the record's window has passed; INVALID for a bad executor
     */
    public synchronized SignedApproval takeForExecution(String id, String executor) {
        Entry e = get(id);
        requireIdentity("executor", executor);
        Instant now = clock.instant();
        Status stored = e.request().status();
        if (stored == Status.APPROVED && !now.isBefore(e.recordExpiresAt())) {
            throw new ApprovalRefusedException(Kind.EXPIRED, "the approval of request " + id
                    + " has expired; file a new request");
        }
        if (stored != Status.APPROVED) {
            Status s = statusAt(e, now);
            throw new ApprovalRefusedException(Kind.NOT_PENDING, "request " + id + " is " + lower(s)
                    + "; only an approved, not yet executed request can be executed");
        }
        SignedApproval signed = SignedApproval.parse(e.request().signedRecord().orElseThrow());
        commit(new Entry(e.request().withStatus(Status.EXECUTED), e.recordExpiresAt(), executor, now));
        return signed;
    }

    /**
     * Gives an executed request back when its action failed before it took any effect (the key plane refused or
     * was unreachable): the request is APPROVED again, so the approvers need not approve once more while the
     * record is valid. Only the executor who took it may give it back.
     *
     * @throws ApprovalRefusedException NOT_FOUND, NOT_PENDING if it is not executed by {@code executor}
     */
    public synchronized ApprovalRequest executionFailed(String id, String executor) {
        Entry e = get(id);
        requireIdentity("executor", executor);
        if (e.request().status() != Status.EXECUTED || !executor.equals(e.executedBy())) {
            throw new ApprovalRefusedException(Kind.NOT_PENDING, "request " + id + " was not taken for execution by "
                    + executor);
        }
        commit(new Entry(e.request().withStatus(Status.APPROVED), e.recordExpiresAt(), null, null));
        return view(get(id), clock.instant());
    }

    /** The request with this id, status as of now; empty if unknown or malformed. */
    public synchronized Optional<ApprovalRequest> find(String id) {
        Entry e = id == null ? null : entries.get(id);
        return e == null ? Optional.empty() : Optional.of(view(e, clock.instant()));
    }

    /** All requests (or those with the given status as of now), newest first. */
    public synchronized List<ApprovalRequest> list(Optional<Status> status) {
        Objects.requireNonNull(status, "status");
        Instant now = clock.instant();
        List<ApprovalRequest> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            ApprovalRequest v = view(e, now);
            if (status.isEmpty() || status.get() == v.status()) {
                out.add(v);
            }
        }
        return List.copyOf(out.reversed());
    }

    // ---- rules ----

    static boolean validTarget(String action, String target) {
        if (target == null) {
            return false;
        }
        return switch (action) {
            case ApprovalActions.KEY_DISABLE, ApprovalActions.KEY_ENABLE, ApprovalActions.KEY_DESTROY ->
                    TENANT_TARGET.matcher(target).matches();
            case ApprovalActions.SNAPSHOT_DELETE, ApprovalActions.RETENTION_SHORTEN, ApprovalActions.RETENTION_REMOVE ->
                    SNAPSHOT_TARGET.matcher(target).matches();
            case ApprovalActions.USER_GRANT -> USER_GRANT_TARGET.matcher(target).matches();
            default -> OTHER_TARGET.matcher(target).matches();
        };
    }

    private static Status statusAt(Entry e, Instant now) {
        Status s = e.request().status();
        if (s == Status.PENDING && !now.isBefore(e.request().expiresAt())) {
            return Status.EXPIRED;
        }
        if (s == Status.APPROVED && !now.isBefore(e.recordExpiresAt())) {
            return Status.EXPIRED;
        }
        return s;
    }

    private static ApprovalRequest view(Entry e, Instant now) {
        Status s = statusAt(e, now);
        return s == e.request().status() ? e.request() : e.request().withStatus(s);
    }

    private Entry get(String id) {
        Entry e = id == null ? null : entries.get(id);
        if (e == null) {
            throw new ApprovalRefusedException(Kind.NOT_FOUND, "no approval request with this id; list the requests to find it");
        }
        return e;
    }

    private static void requirePending(Entry e, Instant now) {
        Status s = statusAt(e, now);
        if (s == Status.EXPIRED) {
            throw new ApprovalRefusedException(Kind.EXPIRED, "request " + e.request().id()
                    + " has expired; the requester must file a new one");
        }
        if (s != Status.PENDING) {
            throw new ApprovalRefusedException(Kind.NOT_PENDING, "request " + e.request().id() + " is " + lower(s)
                    + ", not pending");
        }
    }

    private static void requireIdentity(String what, String s) {
        if (!Checks.isIdentity(s)) {
            throw new ApprovalRefusedException(Kind.INVALID, what + " must be a user name matching " + Checks.IDENTITY.pattern());
        }
    }

    private ApprovalRequest decide(Entry e, Status status, String by, String reason) {
        ApprovalRequest r = e.request();
        ApprovalRequest next = new ApprovalRequest(r.id(), r.action(), r.target(), r.requester(), r.reason(),
                r.createdAt(), r.expiresAt(), status, r.approvals(), r.signedRecord(), by, reason);
        commit(new Entry(next, e.recordExpiresAt(), null, null));
        return next;
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
        next.values().removeIf(e -> e.request().createdAt().plus(KEEP_FINISHED).isBefore(now)
                && statusAt(e, now) != Status.PENDING && statusAt(e, now) != Status.APPROVED);
        next.put(changed.request().id(), changed);
        file.write(encode(next));
        entries.clear();
        entries.putAll(next);
    }

    private ObjectNode encode(Map<String, Entry> all) {
        ObjectNode root = file.newRoot();
        ArrayNode list = root.putArray("requests");
        for (Entry e : all.values()) {
            ApprovalRequest r = e.request();
            ObjectNode n = list.addObject();
            n.put("id", r.id());
            n.put("action", r.action());
            n.put("target", r.target());
            n.put("requester", r.requester());
            n.put("reason", r.reason());
            n.put("createdAt", r.createdAt().toString());
            n.put("expiresAt", r.expiresAt().toString());
            n.put("status", lower(r.status()));
            ArrayNode as = n.putArray("approvals");
            for (Approval a : r.approvals()) {
                ObjectNode an = as.addObject();
                an.put("approver", a.approver());
                an.put("at", a.at().toString());
                an.put("mfaAt", a.mfaAt().toString());
            }
            n.put("signedRecord", r.signedRecord().orElse(null));
            n.put("decidedBy", r.decidedBy());
            n.put("decisionReason", r.decisionReason());
            n.put("executedBy", e.executedBy());
            n.put("executedAt", StateFile.time(e.executedAt()));
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
        file.onlyFields(n, at, REQUEST_FIELDS);
        String id = file.text(n, "id", at);
        String action = file.text(n, "action", at);
        String target = file.text(n, "target", at);
        String requester = file.text(n, "requester", at);
        String reason = file.text(n, "reason", at);
        if (!Checks.ID.matcher(id).matches() || !ACTIONS.contains(action) || !validTarget(action, target)
                || !Checks.isIdentity(requester) || !Checks.isReason(reason)) {
            throw file.corrupt(at + " has an id, action, target, requester or reason that breaks its rule", null);
        }
        Instant createdAt = file.instant(n, "createdAt", at);
        Instant expiresAt = file.instant(n, "expiresAt", at);
        Status status = switch (file.text(n, "status", at)) {
            case "pending" -> Status.PENDING;
            case "approved" -> Status.APPROVED;
            case "denied" -> Status.DENIED;
            case "cancelled" -> Status.CANCELLED;
            case "executed" -> Status.EXECUTED;
            default -> throw file.corrupt(at + ".status is not one of pending, approved, denied, cancelled, executed", null);
        };
        JsonNode as = file.array(n, "approvals", at);
        List<Approval> approvals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < as.size(); j++) {
            String aat = at + ".approvals[" + j + "]";
            JsonNode a = as.get(j);
            file.onlyFields(a, aat, APPROVAL_FIELDS);
            String approver = file.text(a, "approver", aat);
            if (!Checks.isIdentity(approver) || approver.equals(requester) || !seen.add(approver)) {
                throw file.corrupt(aat + ".approver is not a valid, distinct approver other than the requester", null);
            }
            approvals.add(new Approval(approver, file.instant(a, "at", aat), file.instant(a, "mfaAt", aat)));
        }
        String signedText = file.textOrNull(n, "signedRecord", at);
        String decidedBy = file.textOrNull(n, "decidedBy", at);
        String decisionReason = file.textOrNull(n, "decisionReason", at);
        String executedBy = file.textOrNull(n, "executedBy", at);
        Instant executedAt = file.instantOrNull(n, "executedAt", at);
        boolean signedExpected = status == Status.APPROVED || status == Status.EXECUTED
                || (status == Status.CANCELLED && signedText != null);
        if (signedExpected != (signedText != null)) {
            throw file.corrupt(at + ".signedRecord must be set exactly for approved and executed requests", null);
        }
        Instant recordExpiresAt = null;
        if (signedText != null) {
            SignedApproval signed;
            try {
                signed = SignedApproval.parse(signedText);
            } catch (ApprovalFormatException ex) {
                throw file.corrupt(at + ".signedRecord is not a valid signed approval (" + ex.getMessage() + ")", null);
            }
            ApprovalRecord rec = signed.record();
            if (!rec.id().equals(id) || !rec.action().equals(action) || !rec.target().equals(target)
                    || !rec.requester().equals(requester)) {
                throw file.corrupt(at + ".signedRecord belongs to another request", null);
            }
            recordExpiresAt = rec.expiresAt();
        }
        if ((status == Status.EXECUTED) != (executedBy != null && executedAt != null)
                || (executedBy == null) != (executedAt == null)) {
            throw file.corrupt(at + ".executedBy and executedAt must be set exactly for executed requests", null);
        }
        if ((status == Status.DENIED || status == Status.CANCELLED) != (decidedBy != null)
                || (status == Status.DENIED) != (decisionReason != null)) {
            throw file.corrupt(at + ".decidedBy or decisionReason does not fit status " + lower(status), null);
        }
        ApprovalRequest r = new ApprovalRequest(id, action, target, requester, reason, createdAt, expiresAt, status,
                approvals, Optional.ofNullable(signedText), decidedBy, decisionReason);
        return new Entry(r, recordExpiresAt, executedBy, executedAt);
    }

    private static Set<String> actions() {
        TreeSet<String> out = new TreeSet<>();
        for (Field f : ApprovalActions.class.getDeclaredFields()) {
            int m = f.getModifiers();
            if (Modifier.isPublic(m) && Modifier.isStatic(m) && Modifier.isFinal(m) && f.getType() == String.class) {
                try {
                    out.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read ApprovalActions." + f.getName(), e);
                }
            }
        }
        return Collections.unmodifiableSortedSet(out);
    }

    @Override
    public String toString() {
        return "Approvals[" + file.path() + ", required=" + policy.requiredApprovers() + "]";
    }
}
