package dev.cairn.hsm.approval;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict parser for the signed approval text, docs/formats/approval-record.md, "Signed text" and
 * "Parsing". Accepts exactly the bytes {@link SignedApproval#toText()} produces and nothing else.
 */
final class ApprovalText {
    /** Keys of lines 2 to 10, in their only allowed order. FROZEN for version 1. */
    static final List<String> KEYS = List.of(
            "id", "action", "target", "requester", "approvers", "approved-at", "expires-at", "reason", "signature");
    static final int LINES = 1 + KEYS.size();
    static final int SIGNATURE_LINE = LINES;

    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private ApprovalText() {
    }

    static String format(SignedApproval approval) {
        return approval.record().canonicalText()
                + "signature=" + Base64.getEncoder().encodeToString(approval.signature()) + '\n';
    }

    static SignedApproval parse(String text) {
        if (text.isEmpty()) {
            throw new ApprovalFormatException(1, "empty text, expected the header '" + ApprovalRecord.HEADER + "'");
        }
        String[] lines = text.split("\n", -1);
        // split leaves "" after a final LF; anything else in the last slot means the LF is missing.
        int count = lines.length - 1;
        for (int i = 0; i < count; i++) {
            if (lines[i].indexOf('\r') >= 0) {
                throw new ApprovalFormatException(i + 1, "carriage return found, line ends must be LF only");
            }
        }
        if (!lines[count].isEmpty()) {
            throw new ApprovalFormatException(count + 1, "text must end with a line feed (LF)");
        }

        checkHeader(count == 0 ? "" : lines[0]);
        String[] values = new String[LINES + 1]; // values[n] is the value on line n
        for (int n = 2; n <= Math.max(count, LINES); n++) {
            if (n > count) {
                throw new ApprovalFormatException(n, "missing line '" + KEYS.get(n - 2) + "=...', the text ended early");
            }
            String line = lines[n - 1];
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq);
            if (n > LINES) {
                throw new ApprovalFormatException(n, KEYS.contains(key)
                        ? "duplicate key '" + key + "'"
                        : "unexpected line after the signature line");
            }
            String expected = KEYS.get(n - 2);
            if (eq < 0) {
                throw new ApprovalFormatException(n, "expected '" + expected + "=...', found no '='");
            }
            if (!key.equals(expected)) {
                int at = KEYS.indexOf(key);
                if (at >= 0 && at < n - 2) {
                    throw new ApprovalFormatException(n, "duplicate key '" + key + "'");
                }
                throw new ApprovalFormatException(n, (at >= 0 ? "key '" + key + "' out of order" : "unknown key " + describe(key))
                        + ", expected '" + expected + "'");
            }
            values[n] = line.substring(eq + 1);
        }

        ApprovalRecord record = toRecord(values);
        byte[] signature = decodeSignature(values[SIGNATURE_LINE]);
        checkCanonical(record, lines);
        return new SignedApproval(record, signature);
    }

    private static void checkHeader(String line) {
        if (line.equals(ApprovalRecord.HEADER)) {
            return;
        }
        if (line.startsWith("cairn-approval ")) {
            String version = line.substring("cairn-approval ".length());
            throw new ApprovalFormatException(1, "unsupported version " + describe(version)
                    + ", this reader knows '" + ApprovalRecord.HEADER + "' only");
        }
        throw new ApprovalFormatException(1, "expected the header '" + ApprovalRecord.HEADER + "'");
    }

    private static ApprovalRecord toRecord(String[] v) {
        field(2, () -> ApprovalRecord.checkId(v[2]));
        field(3, () -> ApprovalRecord.checkAction(v[3]));
        field(4, () -> ApprovalRecord.checkTarget(v[4]));
        field(5, () -> ApprovalRecord.checkIdentity("requester", v[5]));
        List<String> approvers = new ArrayList<>();
        if (!v[6].isEmpty()) {
            for (String a : v[6].split(",", -1)) {
                String field = "approvers[" + approvers.size() + "]";
                field(6, () -> ApprovalRecord.checkIdentity(field, a));
                approvers.add(a);
            }
        }
        Instant approvedAt = time(7, "approved-at", v[7]);
        Instant expiresAt = time(8, "expires-at", v[8]);
        field(9, () -> ApprovalRecord.checkReason(v[9]));
        try {
            return new ApprovalRecord(v[2], v[3], v[4], v[5], approvers, approvedAt, expiresAt, v[9]);
        } catch (IllegalArgumentException e) {
            // Every single-field rule was checked above; what is left is expires-at after approved-at.
            throw new ApprovalFormatException(8, e.getMessage());
        }
    }

    private static Instant time(int line, String key, String value) {
        if (!ApprovalRecord.TIMESTAMP.matcher(value).matches()) {
            throw new ApprovalFormatException(line, key + " must look like 2026-11-28T14:00:00Z (UTC, whole seconds)");
        }
        Instant t;
        try {
            t = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ApprovalFormatException(line, key + " is not a valid date and time");
        }
        if (t.isBefore(ApprovalRecord.MIN_TIME) || t.isAfter(ApprovalRecord.MAX_TIME)) {
            throw new ApprovalFormatException(line, key + " must be between " + ApprovalRecord.MIN_TIME
                    + " and " + ApprovalRecord.MAX_TIME);
        }
        return t;
    }

    private static byte[] decodeSignature(String value) {
        if (value.isEmpty()) {
            throw new ApprovalFormatException(SIGNATURE_LINE, "signature is empty");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ApprovalFormatException(SIGNATURE_LINE, "signature is not valid base64 (standard alphabet, padded, one line)");
        }
        if (!Base64.getEncoder().encodeToString(sig).equals(value)) {
            throw new ApprovalFormatException(SIGNATURE_LINE, "signature is not canonical base64 (padding or unused bits)");
        }
        return sig;
    }

    /** The record's canonical text must reproduce lines 1 to 9 exactly (catches leap seconds and the like). */
    private static void checkCanonical(ApprovalRecord record, String[] lines) {
        String[] canonical = record.canonicalText().split("\n", -1);
        for (int i = 0; i < LINES - 1; i++) {
            if (!canonical[i].equals(lines[i])) {
                throw new ApprovalFormatException(i + 1, "value is not in canonical form");
            }
        }
    }

    private static void field(int line, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new ApprovalFormatException(line, e.getMessage());
        }
    }

    /** Quotes a short, harmless token; anything else is described by its length only. */
    private static String describe(String s) {
        return SAFE_TOKEN.matcher(s).matches() ? "'" + s + "'" : "(" + s.length() + " characters, not shown)";
    }
}
