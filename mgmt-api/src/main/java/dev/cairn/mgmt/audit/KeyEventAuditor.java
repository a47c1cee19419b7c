package dev.cairn.mgmt.audit;

import dev.cairn.hsm.KeyEvent;
import dev.cairn.hsm.KeyEventListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes the key plane's events into the audit trail (ENC-7, AUD-1): register it with
 * {@code KeyVault.addListener}. Each {@link KeyEvent} becomes one entry with the action
 * {@code key.<operation>} (e.g. {@code key.create_kek}), the targets {@code tenant:<id>} and
 * {@code key:<label>} when the event names them, the outcome, and the event's detail as the reason
 * (control characters replaced, cut to the format's limit). Who acted comes from {@code actor}, which
 * the caller (the control plane's request, or the CLI) supplies.
 *
 * <p>{@link KeyEvent.Operation#SIGN} events are not written: the only signer is the audit key, whose
 * signatures are the log's own checkpoint lines, and writing an entry while the log signs a checkpoint
 * would re-enter it. An exception from the log reaches the key operation's caller, as
 * {@link KeyEventListener} requires: an operation that cannot be audited is reported as failed to its caller.
 */
public final class KeyEventAuditor implements KeyEventListener {
    /** Who performs the key operations: the audit members of the acting identity. */
    public record Actor(String actor, String authMethod, String sourceIp, String userAgent) {
        public Actor {
            Objects.requireNonNull(actor, "actor");
            Objects.requireNonNull(authMethod, "authMethod");
            Objects.requireNonNull(sourceIp, "sourceIp");
            Objects.requireNonNull(userAgent, "userAgent");
        }

        /** A local command run by an operator on the appliance's console. */
        public static Actor localCommand(String user) {
            return new Actor(user, "local-console", "", "cairn-cli");
        }
    }

    static final int MAX_REASON = 512;

    private final AuditLog log;
    private final Supplier<Actor> actor;

    public KeyEventAuditor(AuditLog log, Supplier<Actor> actor) {
        this.log = Objects.requireNonNull(log, "log");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    @Override
    public void onEvent(KeyEvent event) {
        if (event.operation() == KeyEvent.Operation.SIGN) {
            return;
        }
        log.append(toAuditEvent(event, actor.get()));
    }

    /** The audit event for {@code event} done by {@code who} (package-private for tests). */
    static AuditEvent toAuditEvent(KeyEvent event, Actor who) {
        List<String> targets = new ArrayList<>(2);
        if (event.tenant() != null && !event.tenant().isEmpty()) {
            targets.add("tenant:" + event.tenant());
        }
        if (event.keyLabel() != null && !event.keyLabel().isEmpty()) {
            targets.add(keyTarget(event.keyLabel()));
        }
        Outcome outcome = switch (event.outcome()) {
            case SUCCESS -> Outcome.SUCCESS;
            case DENIED -> Outcome.DENIED;
            case FAILURE -> Outcome.FAILURE;
        };
        return new AuditEvent(who.actor(), who.authMethod(), who.sourceIp(), who.userAgent(),
                "key." + event.operation().name().toLowerCase(Locale.ROOT), targets, outcome, reason(event.detail()));
    }

    /**
     * {@code key:LABEL} in the target alphabet of docs/formats/audit-log.md: a wildcard label such as
     * {@code cairn/t/kek/*} (every generation, as a destroy reports it) becomes {@code cairn/t/kek/all}, any other
     * character outside the alphabet becomes {@code _}, and the result is cut to 128 characters. Without this a
     * destroy's event would be refused by the log after the keys were already shredded.
     */
    static String keyTarget(String label) {
        StringBuilder b = new StringBuilder("key:");
        String l = label.replace("*", "all");
        for (int i = 0; i < l.length() && b.length() < 128; i++) {
            char c = l.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "._:/@+=-".indexOf(c) >= 0;
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    /** The detail as a reason the format accepts: control characters become spaces; at most 512 characters. */
    static String reason(String detail) {
        if (detail == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(detail.length(), MAX_REASON));
        for (int i = 0; i < detail.length() && b.length() < MAX_REASON; i++) {
            char c = detail.charAt(i);
            boolean control = AuditEvent.isControl(c);
            boolean lone = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < detail.length()
                    && Character.isLowSurrogate(detail.charAt(i + 1)) && b.length() + 2 <= MAX_REASON);
            if (control || lone) {
                b.append(' ');
            } else if (Character.isHighSurrogate(c)) {
                b.append(c).append(detail.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
