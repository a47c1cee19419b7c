package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Permission;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.identity.Session;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Who is calling, as the gate established it for one request.
 *
 * @param kind        how the caller authenticated
 * @param name        the user name, or {@code anonymous}
 * @param authMethod  for the audit trail: {@code none}, {@code password}, {@code password+totp},
 *                    {@code password+webauthn}, {@code password+recovery-code}, {@code break-glass},
 *                    {@code api-token}, {@code client-certificate}
 * @param roles       the roles in force for this request (own roles plus an activated elevation)
 * @param scopes      for an API token: the permissions it was issued for; otherwise null (no narrowing)
 * @param session     the cookie session, or null
 * @param token       the session's bearer value (needed to rotate it), or null
 * @param sourceIp    the peer address
 * @param userAgent   the User-Agent header, cut to 256 characters
 */
public record Caller(Kind kind, String name, String authMethod, Set<Role> roles, Set<Permission> scopes,
                     Session session, String token, String sourceIp, String userAgent) {
    public enum Kind { ANONYMOUS, SESSION, API_TOKEN, CLIENT_CERTIFICATE, BREAK_GLASS }

    /**
     * Whether the caller's MFA is at most {@code freshness} old (step-up); only sessions can have it. A break-glass
     * session counts as stepped up for its whole life (at most 60 minutes): it has no second factor to prove
     * again, it exists for the emergency in which nobody else can log in, and every call of it is audited and
     * alerted. It still cannot approve (docs/security.md, section 6).
     */
    public boolean mfaWithin(Duration freshness, Instant now) {
        if (kind == Kind.BREAK_GLASS) {
            return session != null;
        }
        return session != null && session.stage() == Session.Stage.FULL && session.mfaWithin(freshness, now);
    }

    /** When this caller last proved MFA, or null. */
    public Instant mfaAt() {
        return session == null ? null : session.mfaAt();
    }

    /** Whether a role or the API token's scope grants {@code p} (deny by default). */
    public boolean holds(Permission p) {
        boolean granted = roles.stream().anyMatch(r -> r.grants(p));
        return granted && (scopes == null || scopes.contains(p));
    }

    static Caller anonymous(String sourceIp, String userAgent) {
        return new Caller(Kind.ANONYMOUS, "anonymous", "none", Set.of(), null, null, null, sourceIp, userAgent);
    }
}
