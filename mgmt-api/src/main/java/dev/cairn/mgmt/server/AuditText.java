package dev.cairn.mgmt.server;

/** Fits client-supplied text into the audit entry's limits (docs/formats/audit-log.md, section 4). */
final class AuditText {
    private AuditText() {
    }

    /** An actor: 1 to 128 characters without controls; anything else becomes {@code invalid-name}. */
    static String actor(String name) {
        if (name == null || name.isEmpty() || name.length() > 128 || !name.matches("[A-Za-z0-9._@:+-]+")) {
            return "invalid-name";
        }
        return name;
    }

    /** A reason cut to 512 characters with control characters replaced. */
    static String reason(String reason) {
        if (reason == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char ch : reason.toCharArray()) {
            if (b.length() >= 512) {
                break;
            }
            b.append(ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == '\u2028' || ch == '\u2029' ? ' ' : ch);
        }
        return b.toString();
    }
}
