package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.ApprovalRefusedException;
import dev.cairn.mgmt.access.ElevationRequest;
import dev.cairn.mgmt.access.Permission;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.audit.AuditEvent;
import dev.cairn.mgmt.audit.Outcome;
import dev.cairn.mgmt.identity.ApiToken;
import dev.cairn.mgmt.identity.NoSuchUserException;
import dev.cairn.mgmt.identity.Session;
import dev.cairn.mgmt.identity.User;
import dev.cairn.mgmt.identity.UserExistsException;
import dev.cairn.mgmt.webauthn.WebAuthnException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Enforces one {@link ApiRoute} row for one request, in this order: authenticate (client certificate on the
 * mTLS listener, else an API token, else the session cookie), check the permission (deny by default), check
 * CSRF for cookie-authenticated changes, check step-up, check the content type, run the handler, write the
 * audit entry, map errors to problem+json. Nothing the handler does happens before every check passed.
 */
final class Gate {
    private static final System.Logger LOG = System.getLogger(Gate.class.getName());
    static final String SESSION_COOKIE = "__Host-cairn-session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String BREAK_GLASS_AUTH = "break-glass";
    /** The problem title of a request whose session cookie names no live session (the cookie is cleared). */
    static final String SESSION_ENDED = "Session ended";
    private static final Pattern CLIENT_CN = Pattern.compile("CN=(api|agent):([a-z0-9][a-z0-9._@-]{0,63})(?:,.*)?");
    private static final Set<Method> SAFE = Set.of(Method.GET, Method.HEAD);

    /** The authenticated caller of the request this thread is handling, while its handler runs. */
    static final ScopedValue<Caller> CURRENT = ScopedValue.newInstance();

    private final Appliance app;
    private final RateLimiter publicAttempts;

    Gate(Appliance app) {
        this.app = app;
        this.publicAttempts = new RateLimiter(app.config().publicAttemptsPerMinute(), app.clock());
    }

    void handle(ApiRoute route, ServerRequest req, ServerResponse res) {
        Instant now = app.clock().instant();
        String ip = sourceIp(req);
        String agent = userAgent(req);
        Caller caller = Caller.anonymous(ip, agent);
        Call call = null;
        try {
            boolean publicRoute = route.permission() == Permission.PUBLIC;
            if (publicRoute && route.body() != null) {
                limit(route, req, ip, agent);
            }
            try {
                caller = authenticate(req, ip, agent, publicRoute);
                authorize(route, caller, req, now);
            } catch (ApiException refused) {
                if (SESSION_ENDED.equals(refused.title())) {
                    res.headers().addCookie(AuthRoutes.clearedCookie());
                }
                throw refused.withType(ApiException.ACCESS_DENIED);
            }
            if (route.audit() != null && !app.audit().writable()) {
                // fail closed: nothing that must be audited runs while the trail cannot take entries
                throw new ApiException(503, "Audit trail unavailable", "the audit trail cannot record this "
                        + "operation, so it was not done; check the appliance log (disk space, HSM token) and restart");
            }
            byte[] body = readBody(route, req);
            call = new Call(req, caller, body, now);
            Call running = call;
            // the key plane's own audit events (KeyEventAuditor) name this caller, not the appliance
            Object result = ScopedValue.where(CURRENT, caller).call(() -> route.handler().handle(running));
            audit(route, call, Outcome.SUCCESS, call.auditReason());
            write(res, call, result);
        } catch (RateLimited limited) {
            Problems.send(res, new ApiException(429, "Too many attempts", "too many attempts from this address; wait "
                    + "and try again", limited.retryAfter).withType(ApiException.ACCESS_DENIED));
        } catch (Throwable e) {
            ApiException problem = problemFor(e);
            Call forAudit = call != null ? call : new Call(req, caller, new byte[0], now);
            Outcome outcome = problem.status() == 401 || problem.status() == 403 || problem.status() == 429
                    || problem.status() == 409 ? Outcome.DENIED : Outcome.FAILURE;
            try {
                audit(route, forAudit, outcome, problem.title());
            } catch (RuntimeException auditFailure) {
                LOG.log(System.Logger.Level.ERROR, "the audit trail refused an entry: " + auditFailure.getClass().getSimpleName());
            }
            for (var c : forAudit.cookies()) {
                res.headers().addCookie(c);
            }
            Problems.send(res, problem);
        }
    }

    /**
     * Login, enrollment and break-glass attempts from one address are rate-limited. A refused attempt is not
     * audited (that is what a flood would fill the trail with); the first refusal of a run is, once.
     */
    private void limit(ApiRoute route, ServerRequest req, String ip, String agent) {
        RateLimiter.Decision d = publicAttempts.take(ip);
        if (d.allowed()) {
            return;
        }
        if (d.firstRefusal()) {
            LOG.log(System.Logger.Level.WARNING, "rate limit: too many " + route.audit() + " attempts from " + ip);
            app.audit().append(new AuditEvent("anonymous", "none", ip, agent, "access.rate-limited",
                    List.of("route:" + route.method().text() + ":" + route.path().replaceAll("[^A-Za-z0-9._:/@+=-]", "")),
                    Outcome.DENIED, "more than " + app.config().publicAttemptsPerMinute() + " attempts a minute"));
        }
        throw new RateLimited(d.retryAfter());
    }

    /** A refusal by the rate limiter: answered 429, and not audited again. */
    static final class RateLimited extends RuntimeException {
        final java.time.Duration retryAfter;

        RateLimited(java.time.Duration retryAfter) {
            super(null, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    // ---------------------------------------------------------------- authentication

    Caller authenticate(ServerRequest req, String ip, String agent) {
        return authenticate(req, ip, agent, false);
    }

    /**
     * @param publicRoute for a public route an unknown or ended session cookie is ignored (and cleared by the
     *                    caller), so a stale cookie never blocks login, enrollment or break-glass
     */
    Caller authenticate(ServerRequest req, String ip, String agent, boolean publicRoute) {
        Optional<Certificate[]> certs = req.remotePeer().tlsCertificates();
        if (certs.isPresent() && certs.get().length > 0 && certs.get()[0] instanceof X509Certificate cert) {
            return fromCertificate(cert, ip, agent);
        }
        Optional<String> authorization = req.headers().first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get();
            if (!value.startsWith("Bearer ")) {
                throw ApiException.unauthorized("only Bearer API tokens are accepted in the Authorization header");
            }
            ApiToken token = app.tokens().authenticate(value.substring(7).trim())
                    .orElseThrow(() -> ApiException.unauthorized("the API token is unknown, expired or revoked"));
            User user = activeUser(token.username());
            return new Caller(Caller.Kind.API_TOKEN, user.username(), "api-token", user.roles(),
                    Set.copyOf(token.scopes()), null, null, ip, agent);
        }
        Optional<String> cookie = req.headers().cookies().first(SESSION_COOKIE).asOptional();
        if (cookie.isPresent()) {
            String token = cookie.get();
            Optional<Session> found = app.sessions().lookup(token);
            if (found.isEmpty() && publicRoute) {
                return Caller.anonymous(ip, agent);
            }
            Session session = found.orElseThrow(() -> new ApiException(401, SESSION_ENDED, "the session has ended; log in again"));
            if (BREAK_GLASS_AUTH.equals(session.authMethod())) {
                return new Caller(Caller.Kind.BREAK_GLASS, session.username(), BREAK_GLASS_AUTH,
                        EnumSet.of(Role.ADMINISTRATOR, Role.SECURITY_OFFICER), null, session, token, ip, agent);
            }
            User user = activeUser(session.username());
            Set<Role> roles = EnumSet.noneOf(Role.class);
            roles.addAll(user.roles());
            String elevation = session.attributes().get(Appliance.ELEVATION_ATTRIBUTE);
            if (elevation != null) {
                // only the grant this session activated (with its token rotation), and only while it is active
                app.elevations().find(elevation)
                        .filter(e -> e.user().equals(user.username()) && e.status() == ElevationRequest.Status.ACTIVE)
                        .ifPresent(e -> roles.add(e.role()));
            }
            return new Caller(Caller.Kind.SESSION, user.username(), session.authMethod(), roles, null, session, token,
                    ip, agent);
        }
        return Caller.anonymous(ip, agent);
    }

    private Caller fromCertificate(X509Certificate cert, String ip, String agent) {
        // the handshake checked these, but a resumed TLS session or a kept-alive connection skips the handshake
        if (app.ca().isRevoked(cert.getSerialNumber())) {
            throw ApiException.unauthorized("the client certificate is revoked");
        }
        try {
            cert.checkValidity(java.util.Date.from(app.clock().instant()));
        } catch (java.security.cert.CertificateException e) {
            throw ApiException.unauthorized("the client certificate is expired or not yet valid");
        }
        Matcher m = CLIENT_CN.matcher(cert.getSubjectX500Principal().getName());
        if (!m.matches()) {
            throw ApiException.unauthorized("the client certificate's subject is not api:NAME or agent:NAME");
        }
        if (m.group(1).equals("agent")) {
            return new Caller(Caller.Kind.CLIENT_CERTIFICATE, "agent:" + m.group(2), "client-certificate", Set.of(),
                    null, null, null, ip, agent);
        }
        User user = activeUser(m.group(2));
        if (cert.getNotBefore().toInstant().plus(java.time.Duration.ofMinutes(10)).isBefore(user.createdAt())) {
            // issued for the name before this account existed: it belongs to someone else
            throw ApiException.unauthorized("the client certificate predates the account; issue a new one");
        }
        return new Caller(Caller.Kind.CLIENT_CERTIFICATE, user.username(), "client-certificate", user.roles(), null,
                null, null, ip, agent);
    }

    private User activeUser(String name) {
        User user = app.users().find(name)
                .orElseThrow(() -> ApiException.unauthorized("the account no longer exists"));
        if (user.disabled()) {
            throw ApiException.unauthorized("the account is disabled");
        }
        return user;
    }

    // ---------------------------------------------------------------- authorization

    void authorize(ApiRoute route, Caller caller, ServerRequest req, Instant now) {
        Permission p = route.permission();
        if (p == Permission.PUBLIC) {
            return;
        }
        Session.Stage stage = caller.session() == null ? null : caller.session().stage();
        switch (p) {
            case MFA_PENDING -> {
                if (stage != Session.Stage.PASSWORD_OK && stage != Session.Stage.FULL) {
                    throw ApiException.unauthorized("log in with your password first");
                }
            }
            case MFA_ENROLL -> {
                if (stage != Session.Stage.ENROLLING && stage != Session.Stage.FULL) {
                    throw caller.kind() == Caller.Kind.ANONYMOUS || stage == null
                            ? ApiException.unauthorized("log in with your password first")
                            : ApiException.unauthorized("finish MFA first");
                }
            }
            default -> {
                if (caller.kind() == Caller.Kind.ANONYMOUS) {
                    throw ApiException.unauthorized("authentication required: log in, or send an API token");
                }
                if (stage != null && stage != Session.Stage.FULL) {
                    throw ApiException.unauthorized(stage == Session.Stage.ENROLLING
                            ? "enroll an MFA device first (POST /api/v1/mfa/totp or /api/v1/mfa/passkeys/options)"
                            : "finish MFA first (POST /api/v1/auth/mfa/...)");
                }
                if (p == Permission.SELF) {
                    if (caller.scopes() != null && !caller.scopes().contains(Permission.SELF)) {
                        throw ApiException.forbidden("your roles do not allow this: the API token lacks the self scope");
                    }
                } else if (!caller.holds(p)) {
                    throw ApiException.forbidden("your roles do not allow this (" + p.name().toLowerCase() + ")");
                }
            }
        }
        if (caller.session() != null && !SAFE.contains(req.prologue().method())) {
            String sent = req.headers().first(HeaderNames.create(CSRF_HEADER)).orElse("");
            if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                    caller.session().csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw ApiException.forbidden("missing or wrong " + CSRF_HEADER + " header (it is returned at login)");
            }
        }
        if (route.stepUp()) {
            boolean enrolling = p == Permission.MFA_ENROLL && stage == Session.Stage.ENROLLING;
            if (!enrolling && !caller.mfaWithin(app.config().stepUpWindow(), now)) {
                throw new ApiException(403, "Step-up required", "this operation needs MFA within the last "
                        + app.config().stepUpWindow().toMinutes() + " minutes: verify again at POST /api/v1/auth/mfa/..."
                        + " (API tokens and client certificates cannot do it)");
            }
        }
    }

    private static byte[] readBody(ApiRoute route, ServerRequest req) {
        boolean hasBody = req.content().hasEntity();
        if (route.body() == null) {
            if (hasBody) {
                byte[] b = req.content().as(byte[].class);
                if (b.length > 0) {
                    throw new ApiException(415, "Unsupported media type", "this route takes no request body");
                }
            }
            return new byte[0];
        }
        Optional<HttpMediaType> type = req.headers().contentType();
        // exactly application/json: test() would also accept the wildcards */* and application/*
        if (type.isEmpty() || !type.get().type().equalsIgnoreCase("application")
                || !type.get().subtype().equalsIgnoreCase("json")) {
            throw new ApiException(415, "Unsupported media type", "send the request body as application/json");
        }
        if (type.get().charset().isPresent() && !type.get().charset().get().equalsIgnoreCase("utf-8")) {
            throw new ApiException(415, "Unsupported media type", "send the request body in UTF-8");
        }
        return hasBody ? req.content().as(byte[].class) : new byte[0];
    }

    // ---------------------------------------------------------------- audit and responses

    private void audit(ApiRoute route, Call call, Outcome outcome, String reason) {
        Caller c = call.caller();
        String action = route.audit();
        if (action == null && c.kind() == Caller.Kind.BREAK_GLASS) {
            action = "break-glass.read";
        }
        if (action == null && outcome == Outcome.DENIED && c.kind() != Caller.Kind.ANONYMOUS) {
            action = "access.denied";
        }
        if (action == null) {
            return;
        }
        List<String> targets = new ArrayList<>(call.auditTargets());
        if (targets.isEmpty()) {
            targets.addAll(pathTargets(route, call));
        }
        if (route.audit() == null) {
            targets.add("route:" + route.method().text() + ":" + route.path().replaceAll("[^A-Za-z0-9._:/@+=-]", ""));
        }
        app.audit().append(new AuditEvent(AuditText.actor(call.auditActorOrCaller()), c.authMethod(), c.sourceIp(),
                c.userAgent(), action, targets, outcome, AuditText.reason(reason)));
    }

    /** The kind of ID a path parameter names, by the path segment before it. */
    private static final Map<String, String> TARGET_KINDS = Map.of("approvals", "approval", "elevations", "elevation",
            "users", "user", "tokens", "token", "tenants", "tenant", "certificates", "cert", "tasks", "task");
    private static final Pattern TARGET_ID = Pattern.compile("[A-Za-z0-9._:/@+=-]{1,100}");

    /**
     * When the gate refuses a call before its handler named what it touches, the path parameters still say
     * it: {@code /api/v1/approvals/{id}/approve} becomes the target {@code approval:ID}.
     */
    private static List<String> pathTargets(ApiRoute route, Call call) {
        List<String> out = new ArrayList<>();
        String[] segments = route.path().split("/");
        for (int i = 1; i < segments.length; i++) {
            String seg = segments[i];
            if (seg.startsWith("{") && seg.endsWith("}")) {
                String kind = TARGET_KINDS.get(segments[i - 1]);
                String value = call.request().path().pathParameters().first(seg.substring(1, seg.length() - 1)).orElse("");
                if (kind != null && TARGET_ID.matcher(value).matches()) {
                    out.add(kind + ":" + value);
                }
            }
        }
        return out;
    }

    private static void write(ServerResponse res, Call call, Object result) {
        for (var c : call.cookies()) {
            res.headers().addCookie(c);
        }
        if (result == null) {
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        Reply reply = result instanceof Reply r ? r : Reply.json(200, result);
        res.status(Status.create(reply.status()));
        if (reply.body() == null) {
            res.send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, reply.contentType());
        res.send(reply.body());
    }

    static ApiException problemFor(Throwable e) {
        if (e instanceof ApiException a) {
            return a;
        }
        if (e instanceof ApprovalRefusedException r) {
            return switch (r.kind()) {
                case NOT_FOUND -> ApiException.notFound(r.getMessage());
                case SELF_APPROVAL, DUPLICATE_APPROVER, NOT_REQUESTER -> ApiException.forbidden(r.getMessage());
                case MFA_NOT_FRESH -> new ApiException(403, "Step-up required", r.getMessage());
                case INVALID -> ApiException.badRequest(r.getMessage());
                default -> ApiException.conflict(r.getMessage());
            };
        }
        if (e instanceof NoSuchUserException) {
            return ApiException.notFound("no such user");
        }
        if (e instanceof UserExistsException) {
            return ApiException.conflict("a user with that name exists");
        }
        if (e instanceof dev.cairn.mgmt.identity.WeakPasswordException) {
            return weakPassword();
        }
        if (e instanceof dev.cairn.hsm.approval.AuthorizationException a) {
            return ApiException.forbidden("the key plane refused the approval record: " + a.getMessage());
        }
        if (e instanceof dev.cairn.hsm.KeyNotFoundException) {
            return ApiException.notFound("no such key or tenant");
        }
        if (e instanceof dev.cairn.hsm.KeyStateException k) {
            return ApiException.conflict(k.getMessage());
        }
        if (e instanceof WebAuthnException w) {
            return ApiException.badRequest(w.getMessage());
        }
        if (e instanceof IllegalArgumentException i && i.getMessage() != null) {
            return ApiException.badRequest(i.getMessage());
        }
        int clientError = e instanceof io.helidon.http.RequestException r ? r.status().code()
                : e instanceof io.helidon.http.HttpException h ? h.status().code() : 0;
        if (clientError >= 400 && clientError < 500) {
            // Helidon refused the request while it was read (a chunked body over the limit, a bad chunk): the
            // client's fault, not ours; the message may quote input, so it is not passed on
            return new ApiException(clientError, io.helidon.http.Status.create(clientError).reasonPhrase(),
                    clientError == 413 ? "the request body is larger than " + ApiServer.MAX_BODY_BYTES + " bytes"
                            : "the request could not be read");
        }
        String id = UUID.randomUUID().toString();
        LOG.log(System.Logger.Level.ERROR, "request failed, error id " + id + ": " + frames(e));
        return new ApiException(500, "Internal error",
                "the appliance could not complete the request; the appliance log has error id " + id);
    }

    /**
     * Exception classes and stack frames without messages: messages may quote input (paths, names), which must
     * not reach the general log.
     */
    static String frames(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 4000; t = t.getCause()) {
            b.append(t == e ? "" : " caused by ").append(t.getClass().getName());
            StackTraceElement[] st = t.getStackTrace();
            for (int i = 0; i < Math.min(8, st.length); i++) {
                b.append("\n    at ").append(st[i]);
            }
        }
        return b.toString();
    }

    /** The answer to a password the policy refuses (docs/auth.md, section 1). */
    static ApiException weakPassword() {
        return ApiException.badRequest("the password must have " + dev.cairn.mgmt.auth.PasswordPolicy.MIN_CODE_POINTS
                + " to " + dev.cairn.mgmt.auth.PasswordPolicy.MAX_CODE_POINTS + " characters");
    }

    static String sourceIp(ServerRequest req) {
        String host = req.remotePeer().host();
        String s = host == null ? "" : host.replaceAll("[^0-9A-Za-z.:%-]", "");
        return s.length() > 45 ? s.substring(0, 45) : s;
    }

    static String userAgent(ServerRequest req) {
        String ua = req.headers().first(HeaderNames.USER_AGENT).orElse("");
        StringBuilder b = new StringBuilder();
        for (char ch : ua.toCharArray()) {
            if (b.length() >= 256) {
                break;
            }
            b.append(ch < 0x20 || (ch >= 0x7f && ch <= 0x9f) || ch == '\u2028' || ch == '\u2029' ? '?' : ch);
        }
        return b.toString();
    }

    /** What a problem body holds (also used by the fallback and error handlers). */
    static Map<String, Object> problemBody(ApiException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type());
        m.put("title", e.title());
        m.put("status", e.status());
        m.put("detail", e.getMessage());
        return m;
    }
}
