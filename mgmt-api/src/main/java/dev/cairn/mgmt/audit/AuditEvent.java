package dev.cairn.mgmt.audit;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a caller asks to record: the entry without the members the writer fills in ({@code seq}, {@code
 * time}, {@code clockSync}, {@code prev}). The constructor enforces the limits of
 * docs/formats/audit-log.md, section 4, and throws {@link IllegalArgumentException} naming the member (never
 * echoing its value, which may be what must not be logged).
 *
 * <p>Never secrets, never PHI: no passwords, codes, tokens or key material; no patient names, file names
 * or paths. Targets are IDs such as {@code snapshot:3fa2c1d0} or {@code user:alice}.
 *
 * @param actor      user name, API client id or {@code system:<component>}; 1 to 128 characters
 * @param authMethod e.g. {@code password+totp}, {@code api-token}, {@code none}; 1 to 64 characters
 * @param sourceIp   the peer address as text ({@code [0-9A-Za-z.:%-]{0,45}}), or empty
 * @param userAgent  the client's User-Agent (cut by the caller), or empty; 0 to 256 characters
 * @param action     {@code [a-z0-9][a-z0-9._-]{0,63}}
 * @param targets    0 to 64 IDs, each {@code [A-Za-z0-9._:/@+=-]{1,128}}
 * @param outcome    how it ended
 * @param reason     short free text, or empty; 0 to 512 characters
 */
public record AuditEvent(String actor, String authMethod, String sourceIp, String userAgent, String action,
                         List<String> targets, Outcome outcome, String reason) {
    static final Pattern ACTION = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern TARGET = Pattern.compile("[A-Za-z0-9._:/@+=-]{1,128}");
    static final Pattern SOURCE_IP = Pattern.compile("[0-9A-Za-z.:%-]{0,45}");
    static final int MAX_TARGETS = 64;

    public AuditEvent {
        text("actor", actor, 1, 128);
        text("authMethod", authMethod, 1, 64);
        text("sourceIp", sourceIp, 0, 45);
        if (!SOURCE_IP.matcher(sourceIp).matches()) {
            throw new IllegalArgumentException("audit sourceIp must be an address as text ([0-9A-Za-z.:%-]{0,45}) or empty");
        }
        text("userAgent", userAgent, 0, 256);
        text("reason", reason, 0, 512);
        if (action == null || !ACTION.matcher(action).matches()) {
            throw new IllegalArgumentException("audit action must match [a-z0-9][a-z0-9._-]{0,63}");
        }
        if (targets == null || targets.size() > MAX_TARGETS) {
            throw new IllegalArgumentException("audit targets must be a list of at most " + MAX_TARGETS + " IDs");
        }
        for (String t : targets) {
            if (t == null || !TARGET.matcher(t).matches()) {
                throw new IllegalArgumentException("audit target IDs must match [A-Za-z0-9._:/@+=-]{1,128}");
            }
        }
        targets = List.copyOf(targets);
        if (outcome == null) {
            throw new IllegalArgumentException("audit outcome is missing");
        }
    }

    /** A character no member may hold (section 4): C0 and C1 controls, DEL and the Unicode line and paragraph separators. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }

    /** Checks length and characters of a free-text member (section 4). */
    static void text(String member, String value, int min, int max) {
        if (value == null) {
            throw new IllegalArgumentException("audit " + member + " is missing (use an empty string for none)");
        }
        if (value.length() < min || value.length() > max) {
            throw new IllegalArgumentException("audit " + member + " must be " + min + " to " + max
                    + " characters long, is " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                throw new IllegalArgumentException("audit " + member + " contains a control character (U+"
                        + String.format("%04X", (int) c) + " at index " + i + "); strip it before auditing");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("audit " + member + " contains an unpaired surrogate at index " + i);
            }
        }
    }
}
