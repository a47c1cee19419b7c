package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.mgmt.access.BreakGlassUse;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.IssuedRecoveryCodes;
import dev.cairn.mgmt.auth.PasswordPolicy;
import dev.cairn.mgmt.identity.PasswordLogin;
import dev.cairn.mgmt.identity.Session;
import dev.cairn.mgmt.identity.Sessions;
import dev.cairn.mgmt.identity.User;
import dev.cairn.mgmt.webauthn.Ceremony;
import dev.cairn.mgmt.webauthn.Passkey;
import io.helidon.http.SetCookie;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.cairn.mgmt.access.Permission.*;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;

/**
 * Login, MFA, first enrollment, MFA device enrollment, break-glass and logout (docs/security.md, section 4).
 * Every completed login and every MFA proof issues a new session token (no session fixation).
 */
final class AuthRoutes {
    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    /** Wrong MFA codes a half-logged-in session may try before it is ended. */
    static final int MFA_ATTEMPTS = 5;

    record LoginRequest(String username, String password) {
    }

    record CodeRequest(String code) {
    }

    record PasskeyRequest(JsonNode credential, String label) {
    }

    record EnrollRequest(String token, String username, String password) {
    }

    record BreakGlassRequest(String account, String credential) {
    }

    record LoginReply(String stage, String csrfToken, List<String> methods, Instant expiresAt) {
    }

    record MeReply(String username, List<String> roles, String authMethod, String kind, Instant mfaAt,
                   boolean breakGlass) {
    }

    private final Appliance app;
    /** Wrong MFA proofs per half-logged-in session; bounded (oldest forgotten), entries of ended sessions age out. */
    private final Map<String, Integer> mfaFailures = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                    return size() > 10_000;
                }
            });

    private AuthRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        AuthRoutes a = new AuthRoutes(app);
        return List.of(
                new ApiRoute(POST, "/api/v1/auth/login", PUBLIC, "auth.login", false, LoginRequest.class,
                        "Log in with user name and password; MFA follows", a::login),
                new ApiRoute(POST, "/api/v1/auth/mfa/totp", MFA_PENDING, "auth.mfa", false, CodeRequest.class,
                        "Prove MFA with a TOTP code (completes login, or step-up)", a::mfaTotp),
                new ApiRoute(POST, "/api/v1/auth/mfa/recovery-code", MFA_PENDING, "auth.recovery-code", false, CodeRequest.class,
                        "Prove MFA with a single-use recovery code", a::mfaRecovery),
                new ApiRoute(POST, "/api/v1/auth/mfa/passkey/options", MFA_PENDING, null, false, null,
                        "Start a passkey assertion: options for navigator.credentials.get()", a::passkeyOptions),
                new ApiRoute(POST, "/api/v1/auth/mfa/passkey", MFA_PENDING, "auth.mfa", false, PasskeyRequest.class,
                        "Prove MFA with a passkey assertion", a::mfaPasskey),
                new ApiRoute(POST, "/api/v1/auth/break-glass", PUBLIC, "break-glass.use", false, BreakGlassRequest.class,
                        "Log in with the sealed break-glass credential (alert raised, 60 minutes at most)", a::breakGlass),
                new ApiRoute(POST, "/api/v1/auth/logout", SELF, "auth.logout", false, null,
                        "End the session", a::logout),
                new ApiRoute(GET, "/api/v1/me", SELF, null, false, null,
                        "Who am I: name, roles in force, how I authenticated", a::me),
                new ApiRoute(POST, "/api/v1/enroll", PUBLIC, "enroll.first-admin", false, EnrollRequest.class,
                        "First start: create the first administrator with the one-time enrollment token", a::enroll),
                new ApiRoute(POST, "/api/v1/mfa/totp", MFA_ENROLL, "mfa.totp.begin", true, null,
                        "Begin TOTP enrollment: returns the secret and otpauth URI once", a::totpBegin),
                new ApiRoute(POST, "/api/v1/mfa/totp/confirm", MFA_ENROLL, "mfa.totp.enroll", true, CodeRequest.class,
                        "Confirm TOTP enrollment with a first code", a::totpConfirm),
                new ApiRoute(POST, "/api/v1/mfa/passkeys/options", MFA_ENROLL, null, true, null,
                        "Start passkey registration: options for navigator.credentials.create()", a::passkeyRegisterOptions),
                new ApiRoute(POST, "/api/v1/mfa/passkeys", MFA_ENROLL, "mfa.passkey.enroll", true, PasskeyRequest.class,
                        "Finish passkey registration", a::passkeyRegister),
                new ApiRoute(POST, "/api/v1/mfa/recovery-codes", MFA_ENROLL, "mfa.recovery-codes.issue", true, null,
                        "Issue a new set of recovery codes (the old set stops working)", a::recoveryCodes));
    }

    // ---------------------------------------------------------------- login

    private Object login(Call call) {
        LoginRequest r = call.body(LoginRequest.class);
        if (r.username() == null || r.password() == null) {
            throw ApiException.badRequest("send username and password");
        }
        endCurrentSession(call);
        if (!USERNAME.matcher(r.username()).matches()) {
            throw ApiException.unauthorized("wrong user name or password");
        }
        call.auditActor(r.username());
        call.target("user:" + r.username());
        PasswordLogin.LoginResult result = app.login().login(r.username(), r.password().toCharArray());
        switch (result.kind()) {
            case OK -> {
                User user = result.user().orElseThrow();
                Session.Stage stage = user.mfaEnrolled() ? Session.Stage.PASSWORD_OK : Session.Stage.ENROLLING;
                Sessions.Issued issued = app.sessions().create(user.username(), stage, "password", null, null);
                startSession(call, issued, Caller.Kind.SESSION, user.roles());
                call.reason(stage == Session.Stage.ENROLLING ? "password ok; MFA enrollment required" : "password ok; MFA required");
                return loginReply(issued, user);
            }
            case LOCKED -> {
                call.reason(result.notBefore() == null ? "account locked" : "backoff after failed logins");
                if (result.notBefore() == null) {
                    throw new ApiException(429, "Too many attempts",
                            "the account is locked after too many failed logins; ask a security officer to unlock it");
                }
                Duration wait = Duration.between(app.clock().instant(), result.notBefore());
                throw new ApiException(429, "Too many attempts",
                        "too many failed logins; try again later or ask a security officer to unlock the account",
                        wait.isNegative() ? Duration.ofSeconds(1) : wait);
            }
            default -> {
                call.reason(result.kind() == PasswordLogin.LoginResult.Kind.DISABLED ? "account disabled" : "wrong password or unknown user");
                throw ApiException.unauthorized("wrong user name or password");
            }
        }
    }

    private LoginReply loginReply(Sessions.Issued issued, User user) {
        Session s = issued.session();
        List<String> methods = new ArrayList<>();
        String stage;
        if (s.stage() == Session.Stage.ENROLLING) {
            stage = "enroll-mfa";
            methods.add("totp");
            methods.add("passkey");
        } else if (s.stage() == Session.Stage.PASSWORD_OK) {
            stage = "mfa";
            if (user.totp().isPresent() && user.totp().get().confirmed()) {
                methods.add("totp");
            }
            if (!user.passkeys().isEmpty()) {
                methods.add("passkey");
            }
            if (!user.recoveryCodeHashes().isEmpty()) {
                methods.add("recovery-code");
            }
        } else {
            stage = "done";
        }
        return new LoginReply(stage, s.csrfToken(), methods, s.absoluteEnd());
    }

    /** Logging in again never reuses the session the request came with. */
    private void endCurrentSession(Call call) {
        if (call.caller().token() != null) {
            app.sessions().invalidate(call.caller().token());
        }
    }

    private void startSession(Call call, Sessions.Issued issued, Caller.Kind kind, Set<Role> roles) {
        call.cookie(sessionCookie(issued.token()));
        Caller c = call.caller();
        call.become(new Caller(kind, issued.session().username(), issued.session().authMethod(), roles, null,
                issued.session(), issued.token(), c.sourceIp(), c.userAgent()));
    }

    static SetCookie sessionCookie(String token) {
        return SetCookie.builder(Gate.SESSION_COOKIE, token).secure(true).httpOnly(true)
                .sameSite(SetCookie.SameSite.STRICT).path("/").build();
    }

    static SetCookie clearedCookie() {
        return SetCookie.builder(Gate.SESSION_COOKIE, "").secure(true).httpOnly(true)
                .sameSite(SetCookie.SameSite.STRICT).path("/").expires(java.time.Instant.EPOCH).build();
    }

    // ---------------------------------------------------------------- MFA proofs

    private Object mfaTotp(Call call) {
        CodeRequest r = call.body(CodeRequest.class);
        String user = call.caller().name();
        boolean ok = r.code() != null && r.code().matches("[0-9]{6,8}") && app.mfa().verifyTotp(user, r.code());
        return mfaDone(call, ok, "totp");
    }

    private Object mfaRecovery(Call call) {
        CodeRequest r = call.body(CodeRequest.class);
        String user = call.caller().name();
        boolean ok = r.code() != null && r.code().length() <= 64 && app.mfa().useRecoveryCode(user, r.code());
        return mfaDone(call, ok, "recovery-code");
    }

    private Object passkeyOptions(Call call) {
        User user = app.users().find(call.caller().name()).orElseThrow(() -> ApiException.unauthorized("the account no longer exists"));
        if (user.passkeys().isEmpty()) {
            throw ApiException.conflict("this account has no passkey; use another MFA method");
        }
        Ceremony c = app.webAuthn().startAssertion(user.passkeys());
        app.ceremonies().put(call.caller().session().id(), c);
        return new Reply(200, "application/json", c.optionsJson().getBytes(StandardCharsets.UTF_8));
    }

    private Object mfaPasskey(Call call) {
        PasskeyRequest r = call.body(PasskeyRequest.class);
        if (r.credential() == null) {
            throw ApiException.badRequest("send the credential that navigator.credentials.get() returned");
        }
        Ceremony c = app.ceremonies().take(call.caller().session().id(), "get")
                .orElseThrow(() -> ApiException.conflict("no passkey assertion in progress; POST /api/v1/auth/mfa/passkey/options first"));
        User user = app.users().find(call.caller().name()).orElseThrow(() -> ApiException.unauthorized("the account no longer exists"));
        Passkey used;
        try {
            used = app.webAuthn().finishAssertion(c, r.credential().toString(), user.passkeys());
        } catch (RuntimeException e) {
            return mfaDone(call, false, "passkey");
        }
        app.mfa().updatePasskey(user.username(), used);
        return mfaDone(call, true, "passkey");
    }

    /**
     * The session's (and the audit trail's) method after a password and this MFA proof: {@code password+totp},
     * {@code password+recovery-code}, and {@code password+webauthn} for a passkey (docs/formats/audit-log.md, field 6).
     */
    static String authMethod(String proof) {
        return "password+" + ("passkey".equals(proof) ? "webauthn" : proof);
    }

    /** A verified MFA proof completes the login (or refreshes step-up) and rotates the session token. */
    private Object mfaDone(Call call, boolean ok, String method) {
        Caller c = call.caller();
        Session s = c.session();
        if (!ok) {
            int failures = mfaFailures.merge(s.id(), 1, Integer::sum);
            if (failures >= MFA_ATTEMPTS) {
                mfaFailures.remove(s.id());
                app.sessions().invalidate(c.token());
                call.cookie(clearedCookie());
                call.reason("too many wrong MFA proofs; session ended");
                throw ApiException.unauthorized("too many wrong codes; log in again");
            }
            throw ApiException.unauthorized("the " + method + " proof is wrong or was already used");
        }
        mfaFailures.remove(s.id());
        Instant now = app.clock().instant();
        String authMethod = s.stage() == Session.Stage.FULL ? s.authMethod() : authMethod(method);
        Sessions.Issued issued = app.sessions().rotate(c.token(), old -> new Session(old.id(), old.username(),
                Session.Stage.FULL, authMethod, old.createdAt(), old.lastSeenAt(), old.absoluteEnd(), now,
                old.csrfToken(), old.attributes()));
        call.cookie(sessionCookie(issued.token()));
        call.become(new Caller(c.kind(), c.name(), authMethod, c.roles(), null, issued.session(), issued.token(),
                c.sourceIp(), c.userAgent()));
        call.reason(method);
        User user = app.users().find(c.name()).orElseThrow();
        return loginReply(issued, user);
    }

    // ---------------------------------------------------------------- break-glass, logout, me

    private Object breakGlass(Call call) {
        BreakGlassRequest r = call.body(BreakGlassRequest.class);
        if (r.account() == null || r.credential() == null || !USERNAME.matcher(r.account()).matches()) {
            throw ApiException.unauthorized("wrong break-glass account or credential");
        }
        endCurrentSession(call);
        call.auditActor(r.account());
        call.target("break-glass:" + r.account());
        BreakGlassUse use = app.breakGlass().use(r.account(), r.credential())
                .orElseThrow(() -> ApiException.unauthorized("wrong break-glass account or credential, or it was used "
                        + "and not re-sealed"));
        Instant now = app.clock().instant();
        Sessions.Issued issued = app.sessions().create(use.account(), Session.Stage.FULL, Gate.BREAK_GLASS_AUTH, now,
                Duration.between(now, use.expiresAt()));
        startSession(call, issued, Caller.Kind.BREAK_GLASS, EnumSet.of(Role.ADMINISTRATOR, Role.SECURITY_OFFICER));
        call.reason("break-glass session until " + use.expiresAt());
        return new LoginReply("done", issued.session().csrfToken(), List.of(), issued.session().absoluteEnd());
    }

    private Object logout(Call call) {
        if (call.caller().token() != null) {
            app.sessions().invalidate(call.caller().token());
            call.cookie(clearedCookie());
        }
        return null;
    }

    private Object me(Call call) {
        Caller c = call.caller();
        return new MeReply(c.name(), c.roles().stream().map(Role::id).sorted().toList(), c.authMethod(),
                c.kind().name().toLowerCase(), c.mfaAt(), c.kind() == Caller.Kind.BREAK_GLASS);
    }

    // ---------------------------------------------------------------- first enrollment and MFA devices

    private Object enroll(Call call) {
        EnrollRequest r = call.body(EnrollRequest.class);
        if (r.token() == null || r.username() == null || r.password() == null) {
            throw ApiException.badRequest("send token, username and password");
        }
        if (!USERNAME.matcher(r.username()).matches()) {
            throw ApiException.badRequest("username must match [a-z0-9][a-z0-9._@-]{0,63}");
        }
        if (PasswordPolicy.check(r.password()) != PasswordPolicy.Result.OK) {
            throw Gate.weakPassword(); // checked before the one-time token is used up
        }
        Appliance.checkNotReserved(r.username());
        endCurrentSession(call);
        call.auditActor(r.username());
        if (!app.users().isEmpty() || !app.enrollment().consume(r.token())) {
            throw ApiException.unauthorized("the enrollment link is wrong, used or expired; restart the appliance "
                    + "for a new one if no administrator exists");
        }
        Set<Role> roles = EnumSet.of(Role.ADMINISTRATOR, Role.SECURITY_OFFICER);
        User user = app.users().create(r.username(), r.password().toCharArray(), roles);
        call.target("user:" + user.username());
        Sessions.Issued issued = app.sessions().create(user.username(), Session.Stage.ENROLLING, "password", null, null);
        startSession(call, issued, Caller.Kind.SESSION, user.roles());
        return loginReply(issued, user);
    }

    record TotpBeginReply(String secret, String otpauthUri) {
    }

    private Object totpBegin(Call call) {
        User user = app.users().find(call.caller().name()).orElseThrow(() -> ApiException.unauthorized("the account no longer exists"));
        if (user.totp().map(t -> t.confirmed()).orElse(false)) {
            throw ApiException.conflict("this account already has an authenticator app; a security officer must reset "
                    + "its MFA before another one is enrolled");
        }
        var enrollment = app.mfa().beginTotp(user.username(), "Cairn");
        return new TotpBeginReply(enrollment.secretBase32(), enrollment.uri());
    }

    record EnrolledReply(String stage, String csrfToken, List<String> recoveryCodes) {
    }

    private Object totpConfirm(Call call) {
        CodeRequest r = call.body(CodeRequest.class);
        if (r.code() == null || !r.code().matches("[0-9]{6,8}") || !app.mfa().confirmTotp(call.caller().name(), r.code())) {
            throw ApiException.unauthorized("the code does not match; check the authenticator's clock and try the next code");
        }
        return enrolled(call, "totp");
    }

    private Object passkeyRegisterOptions(Call call) {
        User user = app.users().find(call.caller().name()).orElseThrow(() -> ApiException.unauthorized("the account no longer exists"));
        Ceremony c = app.webAuthn().startRegistration(user.username(), user.webauthnUserHandle(), user.passkeys());
        app.ceremonies().put(call.caller().session().id(), c);
        return new Reply(200, "application/json", c.optionsJson().getBytes(StandardCharsets.UTF_8));
    }

    private Object passkeyRegister(Call call) {
        PasskeyRequest r = call.body(PasskeyRequest.class);
        if (r.credential() == null) {
            throw ApiException.badRequest("send the credential that navigator.credentials.create() returned");
        }
        String label = r.label() == null || r.label().isBlank() ? "passkey" : r.label();
        Ceremony c = app.ceremonies().take(call.caller().session().id(), "create")
                .orElseThrow(() -> ApiException.conflict("no passkey registration in progress; POST /api/v1/mfa/passkeys/options first"));
        User user = app.users().find(call.caller().name()).orElseThrow(() -> ApiException.unauthorized("the account no longer exists"));
        Passkey passkey = app.webAuthn().finishRegistration(c, r.credential().toString(), label, user.passkeys());
        app.mfa().addPasskey(user.username(), passkey);
        return enrolled(call, "passkey");
    }

    /** After the first device of an enrolling session: the session becomes full, and recovery codes are issued once. */
    private Object enrolled(Call call, String method) {
        Caller c = call.caller();
        Session s = c.session();
        call.target("user:" + c.name());
        if (s.stage() != Session.Stage.ENROLLING) {
            return new EnrolledReply("done", s.csrfToken(), List.of());
        }
        IssuedRecoveryCodes codes = app.mfa().issueRecoveryCodes(c.name());
        Instant now = app.clock().instant();
        Sessions.Issued issued = app.sessions().rotate(c.token(), old -> new Session(old.id(), old.username(),
                Session.Stage.FULL, authMethod(method), old.createdAt(), old.lastSeenAt(), old.absoluteEnd(), now,
                old.csrfToken(), old.attributes()));
        call.cookie(sessionCookie(issued.token()));
        call.become(new Caller(c.kind(), c.name(), issued.session().authMethod(), c.roles(), null, issued.session(),
                issued.token(), c.sourceIp(), c.userAgent()));
        return new EnrolledReply("done", issued.session().csrfToken(), codes.codes());
    }

    private Object recoveryCodes(Call call) {
        call.target("user:" + call.caller().name());
        if (call.caller().session().stage() != Session.Stage.FULL) {
            throw ApiException.conflict("enroll an authenticator app or a passkey first; recovery codes come with it");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("recoveryCodes", app.mfa().issueRecoveryCodes(call.caller().name()).codes());
        return reply;
    }
}
