package dev.cairn.hsm.approval;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The content of a multi-party approval: who asked for which destructive action on which target,
 * who approved it, and the window in which it may be used. The control plane signs
 * {@link #canonicalBytes()} ({@link SignedApproval}); the key plane and storage engine verify it
 * ({@link SignedApprovalAuthorization}).
 *
 * <p>Format: docs/formats/approval-record.md, "Canonical text". Every field is validated here, so an
 * {@code ApprovalRecord} always has a canonical text that parses back to an equal record.
 * Instants are truncated to whole seconds on construction.
 *
 * <p>The record accepts duplicate approvers and the requester among the approvers: it states what
 * was collected; {@link SignedApprovalAuthorization} decides what counts.
 *
 * @param id         lowercase UUID text form, for example {@code 6f1c2e1a-0b7d-4c39-9a4e-2d5f8e3b7a10}
 * @param action     an {@link ApprovalActions} string, {@code [a-z.]{1,40}}
 * @param target     {@code [A-Za-z0-9:._-]{1,128}}, for example {@code tenant:clinic-a}
 * @param requester  identity of the person who asked, {@code [A-Za-z0-9._@-]{1,64}}
 * @param approvers  identities of the approvers, in the order given (may be empty, never null)
 * @param approvedAt start of the validity window (inclusive), whole seconds
 * @param expiresAt  end of the validity window (exclusive), whole seconds, after {@code approvedAt}
 * @param reason     free text, printable ASCII (0x20 to 0x7E), at most 200 characters, may be empty
 */
public record ApprovalRecord(
        String id,
        String action,
        String target,
        String requester,
        List<String> approvers,
        Instant approvedAt,
        Instant expiresAt,
        String reason) {

    /** First line of the canonical text. FROZEN for version 1. */
    static final String HEADER = "cairn-approval v1";

    static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern ACTION = Pattern.compile("[a-z.]{1,40}");
    static final Pattern TARGET = Pattern.compile("[A-Za-z0-9:._-]{1,128}");
    static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final Pattern REASON = Pattern.compile("[\\x20-\\x7E]{0,200}");
    /** Timestamps are written and read in exactly this shape. */
    static final Pattern TIMESTAMP = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
    /** Timestamps outside this range would not fit the four-digit-year form. */
    static final Instant MIN_TIME = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59Z");

    private static final DateTimeFormatter UTC_SECONDS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    public ApprovalRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(approvers, "approvers");
        Objects.requireNonNull(approvedAt, "approvedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(reason, "reason");
        checkId(id);
        checkAction(action);
        checkTarget(target);
        checkIdentity("requester", requester);
        for (int i = 0; i < approvers.size(); i++) {
            checkIdentity("approvers[" + i + "]", Objects.requireNonNull(approvers.get(i), "approvers[" + i + "]"));
        }
        approvers = List.copyOf(approvers);
        checkReason(reason);
        approvedAt = checkTime("approvedAt", approvedAt);
        expiresAt = checkTime("expiresAt", expiresAt);
        if (!expiresAt.isAfter(approvedAt)) {
            throw new IllegalArgumentException("expiresAt must be after approvedAt (whole seconds)");
        }
    }

    /**
     * The canonical text, version 1, as UTF-8 bytes (all ASCII): nine LF-terminated lines, exactly
     * as in docs/formats/approval-record.md. This is what the signature covers.
     */
    public byte[] canonicalBytes() {
        return canonicalText().getBytes(StandardCharsets.UTF_8);
    }

    String canonicalText() {
        return HEADER + '\n'
                + "id=" + id + '\n'
                + "action=" + action + '\n'
                + "target=" + target + '\n'
                + "requester=" + requester + '\n'
                + "approvers=" + String.join(",", approvers) + '\n'
                + "approved-at=" + formatTime(approvedAt) + '\n'
                + "expires-at=" + formatTime(expiresAt) + '\n'
                + "reason=" + reason + '\n';
    }

    static String formatTime(Instant t) {
        return UTC_SECONDS.format(t);
    }

    // Field rules, shared with the parser so that both say the same thing. Messages name the field
    // and the rule, never the value.

    static void checkId(String v) {
        check("id", v, ID, "be a lowercase UUID (8-4-4-4-12 hex digits)");
    }

    static void checkAction(String v) {
        check("action", v, ACTION, "match " + ACTION.pattern());
    }

    static void checkTarget(String v) {
        check("target", v, TARGET, "match " + TARGET.pattern());
    }

    static void checkIdentity(String field, String v) {
        check(field, v, IDENTITY, "match " + IDENTITY.pattern());
    }

    static void checkReason(String v) {
        check("reason", v, REASON, "be single-line printable ASCII (0x20 to 0x7E), at most 200 characters");
    }

    private static void check(String field, String value, Pattern pattern, String rule) {
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must " + rule);
        }
    }

    private static Instant checkTime(String field, Instant t) {
        Instant s = t.truncatedTo(ChronoUnit.SECONDS);
        if (s.isBefore(MIN_TIME) || s.isAfter(MAX_TIME)) {
            throw new IllegalArgumentException(field + " must be between " + MIN_TIME + " and " + MAX_TIME);
        }
        return s;
    }
}
