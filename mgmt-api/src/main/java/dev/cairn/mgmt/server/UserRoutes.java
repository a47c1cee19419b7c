package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Permission;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.identity.ApiToken;
import dev.cairn.mgmt.identity.ApiTokens;
import dev.cairn.mgmt.identity.User;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static dev.cairn.mgmt.access.Permission.*;
import static io.helidon.http.Method.DELETE;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;
import static io.helidon.http.Method.PUT;

/** Users, their roles, MFA resets and unlocks, and the caller's own API tokens (docs/security.md, section 3). */
final class UserRoutes {
    record UserView(String username, List<String> roles, boolean disabled, boolean mfaEnrolled, boolean locked,
                    Instant createdAt) {
    }

    record CreateUser(String username, String password, List<String> roles) {
    }

    record RolesRequest(List<String> roles) {
    }

    record TokenRequest(String label, List<String> scopes, Integer days) {
    }

    record TokenView(String id, String label, List<String> scopes, Instant createdAt, Instant expiresAt) {
    }

    record IssuedTokenReply(String id, String token, Instant expiresAt) {
    }

    private final Appliance app;

    private UserRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        UserRoutes u = new UserRoutes(app);
        return List.of(
                new ApiRoute(GET, "/api/v1/users", USERS_READ, null, false, null, "List users and their roles", u::list),
                new ApiRoute(POST, "/api/v1/users", USERS_MANAGE, "user.create", true, CreateUser.class, "Create a user", u::create),
                new ApiRoute(PUT, "/api/v1/users/{name}/roles", USERS_MANAGE, "user.roles", true, RolesRequest.class,
                        "Set a user's roles (not your own)", u::roles),
                new ApiRoute(POST, "/api/v1/users/{name}/disable", USERS_MANAGE, "user.disable", true, null,
                        "Disable a user: ends their sessions and revokes their API tokens", u::disable),
                new ApiRoute(POST, "/api/v1/users/{name}/enable", USERS_MANAGE, "user.enable", true, null,
                        "Enable a disabled user", u::enable),
                new ApiRoute(POST, "/api/v1/users/{name}/mfa-reset", MFA_RESET, "user.mfa-reset", true, null,
                        "Reset a user's MFA: they enroll again at next login", u::mfaReset),
                new ApiRoute(POST, "/api/v1/users/{name}/unlock", MFA_RESET, "user.unlock", true, null,
                        "Clear a user's failed-login lock", u::unlock),
                new ApiRoute(GET, "/api/v1/tokens", SELF, null, false, null, "List your API tokens", u::tokens),
                new ApiRoute(POST, "/api/v1/tokens", SELF, "token.issue", true, TokenRequest.class,
                        "Issue an API token for some of your permissions (shown once)", u::issueToken),
                new ApiRoute(DELETE, "/api/v1/tokens/{id}", SELF, "token.revoke", false, null,
                        "Revoke one of your API tokens", u::revokeToken));
    }

    private Object list(Call call) {
        return app.users().list().stream().map(UserRoutes::view).toList();
    }

    static UserView view(User u) {
        return new UserView(u.username(), u.roles().stream().map(Role::id).sorted().toList(), u.disabled(),
                u.mfaEnrolled(), u.lockout() != null && u.lockout().locked(), u.createdAt());
    }

    private static Set<Role> roles(List<String> names) {
        if (names == null || names.isEmpty()) {
            throw ApiException.badRequest("give at least one role");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String n : names) {
            roles.add(Role.ofId(n));
        }
        return roles;
    }

    private Object create(Call call) {
        CreateUser r = call.body(CreateUser.class);
        if (r.username() == null || r.password() == null) {
            throw ApiException.badRequest("send username, password and roles");
        }
        if (!AuthRoutes.USERNAME.matcher(r.username()).matches()) {
            throw ApiException.badRequest("username must match [a-z0-9][a-z0-9._@-]{0,63}");
        }
        call.target("user:" + r.username());
        Appliance.checkNotReserved(r.username());
        Set<Role> roles = roles(r.roles());
        String note = checkPrivilegedGrant(r.username(), Set.of(), roles);
        User u = app.users().create(r.username(), r.password().toCharArray(), roles);
        call.reason("roles " + String.join(",", u.roles().stream().map(Role::id).sorted().toList()) + note);
        return Reply.json(201, view(u));
    }

    private String other(Call call) {
        String name = call.path("name");
        call.target("user:" + name);
        if (name.equals(call.caller().name())) {
            throw ApiException.forbidden("you cannot do this to your own account; ask another administrator or security officer");
        }
        return name;
    }

    private Object roles(Call call) {
        String name = other(call);
        Set<Role> roles = roles(call.body(RolesRequest.class).roles());
        User before = app.users().find(name).orElseThrow(() -> ApiException.notFound("no such user"));
        String note = checkPrivilegedGrant(name, before.roles(), roles);
        User u = app.users().update(name, old -> Users.withRoles(old, roles));
        app.sessions().invalidateUser(name);
        call.reason("roles " + String.join(",", roles.stream().map(Role::id).sorted().toList()) + note);
        return view(u);
    }

    private Object disable(Call call) {
        String name = other(call);
        User u = app.users().update(name, old -> Users.withDisabled(old, true));
        app.sessions().invalidateUser(name);
        app.tokens().revokeUser(name);
        revokeCertificates(name, "affiliationChanged");
        return view(u);
    }

    /** The roles that let their holders approve destructive operations and manage keys and people. */
    static final Set<Role> PRIVILEGED = Set.of(Role.ADMINISTRATOR, Role.SECURITY_OFFICER);

    /** Enabled accounts that hold a privileged role. */
    static long privilegedAccounts(Appliance app) {
        return app.users().list().stream().filter(u -> !u.disabled() && u.roles().stream().anyMatch(PRIVILEGED::contains))
                .count();
    }

    /**
     * Refuses a direct grant of administrator or security-officer once the appliance has enough privileged
     * accounts for approvals (approvers + 1: a requester and M others): from then on such a grant is the APR-1
     * action {@code user.grant}, or one administrator could create the accounts that approve their own requests.
     * Before that (first set-up) the grant is direct; the returned note marks it in the audit entry.
     */
    private String checkPrivilegedGrant(String name, Set<Role> before, Set<Role> after) {
        List<Role> added = after.stream().filter(r -> PRIVILEGED.contains(r) && !before.contains(r)).sorted().toList();
        if (added.isEmpty()) {
            return "";
        }
        if (privilegedAccounts(app) >= app.config().approvers() + 1L) {
            throw ApiException.forbidden("granting " + added.getFirst().id() + " needs approvals: POST /api/v1/approvals "
                    + "with action user.grant and target user:" + name + ":" + added.getFirst().id()
                    + " (create the account with other roles first)");
        }
        return "; bootstrap grant of " + String.join(",", added.stream().map(Role::id).toList())
                + " (fewer than " + (app.config().approvers() + 1) + " privileged accounts)";
    }

    /** Revokes the user's unrevoked {@code api:NAME} client certificates. */
    private void revokeCertificates(String name, String reason) {
        app.ca().issued().stream().filter(c -> c.subject().equals("api:" + name) && !c.revoked())
                .forEach(c -> app.ca().revoke(c.serial(), reason));
    }

    private Object enable(Call call) {
        String name = other(call);
        return view(app.users().update(name, old -> Users.withDisabled(old, false)));
    }

    private Object mfaReset(Call call) {
        String name = other(call);
        User u = app.mfa().resetMfa(name);
        // a reset answers a suspected compromise: every credential the person could have minted goes too
        app.sessions().invalidateUser(name);
        app.tokens().revokeUser(name);
        revokeCertificates(name, "superseded");
        return view(u);
    }

    private Object unlock(Call call) {
        String name = other(call);
        app.login().unlock(name);
        return view(app.users().find(name).orElseThrow(() -> ApiException.notFound("no such user")));
    }

    // ---------------------------------------------------------------- API tokens

    private Object tokens(Call call) {
        return app.tokens().list(call.caller().name()).stream().map(UserRoutes::tokenView).toList();
    }

    private static TokenView tokenView(ApiToken t) {
        return new TokenView(t.id(), t.label(), t.scopes().stream().map(p -> p.name().toLowerCase()).sorted().toList(),
                t.createdAt(), t.expiresAt());
    }

    private Object issueToken(Call call) {
        if (call.caller().kind() == Caller.Kind.BREAK_GLASS) {
            throw ApiException.forbidden("a break-glass session cannot mint API tokens: it must end within its hour");
        }
        TokenRequest r = call.body(TokenRequest.class);
        if (r.scopes() == null || r.scopes().isEmpty()) {
            throw ApiException.badRequest("give the permissions the token may use (scopes), e.g. [\"repo_read\"]");
        }
        Set<Permission> scopes = EnumSet.noneOf(Permission.class);
        for (String s : r.scopes()) {
            Permission p;
            try {
                p = Permission.valueOf(s.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("unknown scope; scopes are permission names such as repo_read");
            }
            if (p == PUBLIC || p == MFA_PENDING || p == MFA_ENROLL || (p != SELF && !call.caller().holds(p))) {
                throw ApiException.forbidden("a token cannot carry a permission you do not hold (" + s + ")");
            }
            scopes.add(p);
        }
        int days = r.days() == null ? 30 : r.days();
        String label = r.label() == null || r.label().isBlank() ? "token" : r.label();
        ApiTokens.Issued issued = app.tokens().issue(call.caller().name(), scopes, Duration.ofDays(days), label);
        call.target("token:" + issued.token().id());
        return Reply.json(201, new IssuedTokenReply(issued.token().id(), issued.text(), issued.token().expiresAt()));
    }

    private Object revokeToken(Call call) {
        String id = call.path("id");
        call.target("token:" + id);
        boolean own = app.tokens().list(call.caller().name()).stream().anyMatch(t -> t.id().equals(id));
        if (!own) {
            throw ApiException.notFound("you have no token with that id");
        }
        app.tokens().revoke(id);
        return null;
    }
}
