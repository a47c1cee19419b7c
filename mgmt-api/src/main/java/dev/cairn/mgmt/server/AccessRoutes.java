package dev.cairn.mgmt.server;

import dev.cairn.engine.lock.Approval;
import dev.cairn.engine.lock.LockRefusedException;
import dev.cairn.engine.lock.Locks;
import dev.cairn.engine.repo.Repository;
import dev.cairn.hsm.KeyNotFoundException;
import dev.cairn.hsm.KeyStateException;
import dev.cairn.hsm.TenantId;
import dev.cairn.hsm.approval.AuthorizationException;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.hsm.approval.SignedApprovalAuthorization;
import dev.cairn.mgmt.access.ApprovalRequest;
import dev.cairn.mgmt.access.BreakGlass;
import dev.cairn.mgmt.access.ElevationRequest;
import dev.cairn.mgmt.access.Permission;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.identity.Session;
import dev.cairn.mgmt.identity.User;
import dev.cairn.mgmt.identity.Sessions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.cairn.mgmt.access.Permission.*;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;

/**
 * Just-in-time elevation, multi-party approvals (APR-1) and the break-glass re-seal (docs/security.md,
 * sections 5 to 7).
 */
final class AccessRoutes {
    record ElevationAsk(String role, Integer minutes, String reason) {
    }

    record ApprovalAsk(String action, String target, String reason) {
    }

    record DenyRequest(String reason) {
    }

    record ExecuteReply(String id, String action, String target, boolean executed, String signedRecord) {
    }

    /** Pending elevation or approval requests one person may have open at a time. */
    static final int MAX_OPEN_PER_USER = 5;

    private final Appliance app;

    private AccessRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        AccessRoutes a = new AccessRoutes(app);
        return List.of(
                new ApiRoute(POST, "/api/v1/elevations", ELEVATION_REQUEST, "elevation.request", false, ElevationAsk.class,
                        "Ask for a role for a limited time, with a reason", a::elevationRequest),
                new ApiRoute(GET, "/api/v1/elevations", ELEVATION_REQUEST, null, false, null,
                        "Elevation requests: your own, or all if you may decide them", a::elevations),
                new ApiRoute(POST, "/api/v1/elevations/{id}/approve", ELEVATION_DECIDE, "elevation.approve", true, null,
                        "Approve someone else's elevation", a::elevationApprove),
                new ApiRoute(POST, "/api/v1/elevations/{id}/deny", ELEVATION_DECIDE, "elevation.deny", false, null,
                        "Deny an elevation", a::elevationDeny),
                new ApiRoute(POST, "/api/v1/elevations/{id}/revoke", ELEVATION_DECIDE, "elevation.revoke", false, null,
                        "End an active elevation early", a::elevationRevoke),
                new ApiRoute(POST, "/api/v1/elevations/{id}/activate", ELEVATION_REQUEST, "elevation.activate", false, null,
                        "Use your approved elevation in this session (the session token rotates)", a::elevationActivate),
                new ApiRoute(GET, "/api/v1/approvals", APPROVALS_READ, null, false, null,
                        "Approval requests, newest first", a::approvals),
                new ApiRoute(GET, "/api/v1/approvals/{id}", APPROVALS_READ, null, false, null,
                        "One approval request", a::approval),
                new ApiRoute(POST, "/api/v1/approvals", APPROVALS_REQUEST, "approval.request", true, ApprovalAsk.class,
                        "Ask for a destructive operation; it runs after enough approvals", a::approvalRequest),
                new ApiRoute(POST, "/api/v1/approvals/{id}/approve", APPROVALS_DECIDE, "approval.approve", true, null,
                        "Approve someone else's request (fresh MFA required)", a::approvalApprove),
                new ApiRoute(POST, "/api/v1/approvals/{id}/deny", APPROVALS_DECIDE, "approval.deny", false, DenyRequest.class,
                        "Deny a request", a::approvalDeny),
                new ApiRoute(POST, "/api/v1/approvals/{id}/cancel", APPROVALS_REQUEST, "approval.cancel", false, null,
                        "Withdraw your own request", a::approvalCancel),
                new ApiRoute(POST, "/api/v1/approvals/{id}/execute", APPROVALS_REQUEST, "approval.execute", true, null,
                        "Run an approved request once (key operations run here; others return the signed record)",
                        a::approvalExecute),
                new ApiRoute(GET, "/api/v1/break-glass", BREAKGLASS_RESEAL, null, false, null,
                        "State of the break-glass credential", a::breakGlassState),
                new ApiRoute(POST, "/api/v1/break-glass/reseal", BREAKGLASS_RESEAL, "break-glass.reseal", true, null,
                        "Seal a new break-glass credential (shown once; print it and lock it away)", a::reseal));
    }

    // ---------------------------------------------------------------- elevation

    private Object elevationRequest(Call call) {
        ElevationAsk r = call.body(ElevationAsk.class);
        if (r.role() == null || r.minutes() == null || r.reason() == null) {
            throw ApiException.badRequest("send role, minutes and reason");
        }
        Role role = Role.ofId(r.role());
        if (call.caller().roles().contains(role)) {
            throw ApiException.conflict("you already hold that role");
        }
        long open = app.elevations().list().stream().filter(x -> x.user().equals(call.caller().name())
                && x.status() == ElevationRequest.Status.PENDING).count();
        if (open >= MAX_OPEN_PER_USER) {
            throw ApiException.conflict("you have " + open + " pending elevation requests; wait for a decision first");
        }
        ElevationRequest e = app.elevations().request(call.caller().name(), role, Duration.ofMinutes(r.minutes()), r.reason());
        call.target("elevation:" + e.id());
        call.reason(role.id() + " for " + r.minutes() + " min");
        return Reply.json(201, e);
    }

    private Object elevations(Call call) {
        List<ElevationRequest> all = app.elevations().list();
        if (call.caller().holds(ELEVATION_DECIDE)) {
            return all;
        }
        return all.stream().filter(e -> e.user().equals(call.caller().name())).toList();
    }

    private Object elevationApprove(Call call) {
        String id = call.path("id");
        call.target("elevation:" + id);
        return app.elevations().approve(id, call.caller().name());
    }

    private Object elevationDeny(Call call) {
        String id = call.path("id");
        call.target("elevation:" + id);
        return app.elevations().deny(id, call.caller().name());
    }

    private Object elevationRevoke(Call call) {
        String id = call.path("id");
        call.target("elevation:" + id);
        return app.elevations().revoke(id, call.caller().name());
    }

    private Object elevationActivate(Call call) {
        String id = call.path("id");
        call.target("elevation:" + id);
        Caller c = call.caller();
        if (c.session() == null || c.kind() != Caller.Kind.SESSION) {
            throw ApiException.forbidden("elevation applies to a login session, not to API tokens or certificates");
        }
        ElevationRequest e = app.elevations().list().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no such elevation"));
        if (!e.user().equals(c.name())) {
            throw ApiException.notFound("no such elevation");
        }
        if (e.status() != ElevationRequest.Status.ACTIVE) {
            throw ApiException.conflict("the elevation is " + e.status().name().toLowerCase() + ", not active");
        }
        Sessions.Issued issued = app.sessions().rotate(c.token(), old -> {
            Map<String, String> attributes = new HashMap<>(old.attributes());
            attributes.put(Appliance.ELEVATION_ATTRIBUTE, id);
            return new Session(old.id(), old.username(), old.stage(), old.authMethod(), old.createdAt(),
                    old.lastSeenAt(), old.absoluteEnd(), old.mfaAt(), old.csrfToken(), Map.copyOf(attributes));
        });
        call.cookie(AuthRoutes.sessionCookie(issued.token()));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("role", e.role().id());
        reply.put("activeUntil", e.activeUntil());
        reply.put("csrfToken", issued.session().csrfToken());
        return reply;
    }

    // ---------------------------------------------------------------- approvals

    private Object approvals(Call call) {
        Optional<ApprovalRequest.Status> status = call.query("status").map(s -> {
            try {
                return ApprovalRequest.Status.valueOf(s.toUpperCase());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("status must be pending, approved, denied, cancelled, expired or executed");
            }
        });
        return app.approvals().list(status).stream().map(AccessRoutes::withoutRecord).toList();
    }

    private Object approval(Call call) {
        return withoutRecord(app.approvals().find(call.path("id"))
                .orElseThrow(() -> ApiException.notFound("no such approval request")));
    }

    /** The signed record is handed out only by execute, once. */
    private static ApprovalRequest withoutRecord(ApprovalRequest r) {
        return new ApprovalRequest(r.id(), r.action(), r.target(), r.requester(), r.reason(), r.createdAt(),
                r.expiresAt(), r.status(), r.approvals(), Optional.empty(), r.decidedBy(), r.decisionReason());
    }

    /** Who may ask for an action: the permission that would run it without APR-1. */
    static Permission permissionFor(String action) {
        return switch (action) {
            case ApprovalActions.KEY_DISABLE, ApprovalActions.KEY_ENABLE, ApprovalActions.KEY_DESTROY -> KEYS_MANAGE;
            case ApprovalActions.USER_GRANT -> USERS_MANAGE;
            default -> BACKUP_RUN;
        };
    }

    private Object approvalRequest(Call call) {
        ApprovalAsk r = call.body(ApprovalAsk.class);
        if (r.action() == null || r.target() == null || r.reason() == null) {
            throw ApiException.badRequest("send action, target and reason");
        }
        if (!call.caller().holds(permissionFor(r.action()))) {
            throw ApiException.forbidden("your roles do not allow asking for " + r.action());
        }
        if (permissionFor(r.action()) == KEYS_MANAGE) {
            // checked now, not at execution: an approval for a target that cannot run would be wasted
            String tenant = r.target().startsWith("tenant:") ? r.target().substring("tenant:".length()) : "";
            if (!TenantId.isValid(tenant) || !app.vault().tenants().contains(tenant)) {
                throw ApiException.badRequest("a key action's target must be tenant:NAME of an existing tenant");
            }
        }
        if (r.action().equals(ApprovalActions.USER_GRANT)) {
            Grant g = Grant.parse(r.target());
            User user = app.users().find(g.user()).orElseThrow(() -> ApiException.badRequest("no such user to grant a role to"));
            if (user.roles().contains(g.role())) {
                throw ApiException.conflict("the user already holds that role");
            }
        }
        long open = app.approvals().list(Optional.of(ApprovalRequest.Status.PENDING)).stream()
                .filter(x -> x.requester().equals(call.caller().name())).count();
        if (open >= MAX_OPEN_PER_USER) {
            throw ApiException.conflict("you have " + open + " pending approval requests; wait for decisions first");
        }
        ApprovalRequest a = app.approvals().request(call.caller().name(), r.action(), r.target(), r.reason());
        call.target("approval:" + a.id());
        call.reason(a.action() + " " + a.target());
        return Reply.json(201, withoutRecord(a));
    }

    private Object approvalApprove(Call call) {
        String id = call.path("id");
        call.target("approval:" + id);
        // an approval counts only from a person whose own standing role may decide: not from an elevation someone
        // else granted for an hour, not from the break-glass account
        Caller c = call.caller();
        if (c.kind() == Caller.Kind.BREAK_GLASS) {
            throw ApiException.forbidden("the break-glass account cannot approve");
        }
        User approver = app.users().find(c.name()).orElseThrow(() -> ApiException.forbidden("the account no longer exists"));
        if (approver.roles().stream().noneMatch(r -> r.grants(APPROVALS_DECIDE))) {
            throw ApiException.forbidden("approvals count only from a standing administrator or security-officer role, "
                    + "not from an elevation");
        }
        return withoutRecord(app.approvals().approve(id, call.caller().name(), call.caller().mfaAt()));
    }

    private Object approvalDeny(Call call) {
        String id = call.path("id");
        call.target("approval:" + id);
        DenyRequest r = call.body(DenyRequest.class);
        return withoutRecord(app.approvals().deny(id, call.caller().name(), r.reason() == null ? "" : r.reason()));
    }

    private Object approvalCancel(Call call) {
        String id = call.path("id");
        call.target("approval:" + id);
        return withoutRecord(app.approvals().cancel(id, call.caller().name()));
    }

    private Object approvalExecute(Call call) {
        String id = call.path("id");
        call.target("approval:" + id);
        ApprovalRequest r = app.approvals().find(id).orElseThrow(() -> ApiException.notFound("no such approval request"));
        if (!call.caller().holds(permissionFor(r.action()))) {
            throw ApiException.forbidden("your roles do not allow running " + r.action());
        }
        SignedApproval signed = app.approvals().takeForExecution(id, call.caller().name());
        call.target(r.target());
        var authorization = new SignedApprovalAuthorization(signed, app.approvalPublicKey(), app.config().approvers());
        String tenant = r.target().startsWith("tenant:") ? r.target().substring("tenant:".length()) : null;
        boolean executed;
        try {
            executed = run(r, signed, authorization, tenant, call);
        } catch (KeyNotFoundException | KeyStateException | AuthorizationException | ApiException
                 | LockRefusedException refused) {
            // refused before anything changed: give the approval back so it can run again while its record is
            // valid. Any other failure may have happened half-way (a shredded key whose event could not be
            // written), so the request stays executed and the operator checks the key plane.
            app.approvals().executionFailed(id, call.caller().name());
            throw refused;
        }
        call.reason(executed ? r.action() + " done" : r.action() + ": signed record handed out");
        return new ExecuteReply(id, r.action(), r.target(), executed, signed.toText());
    }

    /** Runs an approved action that this server executes; false for the ones it only hands the record out for. */
    private boolean run(ApprovalRequest r, SignedApproval signed, SignedApprovalAuthorization authorization,
                        String tenant, Call call) {
        switch (r.action()) {
            case ApprovalActions.RETENTION_REMOVE -> {
                // the storage engine checks the signed record itself (Locks asks its Authorization)
                Path repoDir = app.config().repository();
                if (repoDir == null) {
                    throw new ApiException(409, "No repository", "this appliance serves no repository");
                }
                String snapshot = r.target().substring("snapshot:".length());
                try (Repository repo = Repository.open(repoDir, app.vault(), Repository.LockMode.SHARED, app.clock(),
                        app.random())) {
                    new Locks(repo).remove(app.config().tenant(), snapshot,
                            List.of(Approval.signed(signed, app.approvalPublicKey(), app.config().approvers())));
                } catch (IllegalArgumentException nothingToRemove) {
                    throw ApiException.conflict("the snapshot has no lock to remove"); // refused before any change
                }
            }
            case ApprovalActions.KEY_DISABLE -> app.vault().disableKek(tenant, authorization);
            case ApprovalActions.KEY_ENABLE -> app.vault().enableKek(tenant, authorization);
            case ApprovalActions.KEY_DESTROY -> app.vault().destroyKek(tenant, authorization);
            case ApprovalActions.USER_GRANT -> {
                authorization.authorize(ApprovalActions.USER_GRANT, r.target(), call.now());
                Grant g = Grant.parse(r.target());
                app.users().update(g.user(), u -> {
                    java.util.Set<Role> roles = java.util.EnumSet.noneOf(Role.class);
                    roles.addAll(u.roles());
                    roles.add(g.role());
                    return Users.withRoles(u, roles);
                });
                app.sessions().invalidateUser(g.user());
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The target of {@code user.grant}: {@code user:NAME:ROLE}. */
    record Grant(String user, Role role) {
        static Grant parse(String target) {
            String[] parts = target.split(":");
            if (parts.length != 3 || !parts[0].equals("user") || !AuthRoutes.USERNAME.matcher(parts[1]).matches()) {
                throw ApiException.badRequest("a user.grant target is user:NAME:ROLE");
            }
            Role role = Role.ofId(parts[2]);
            if (!UserRoutes.PRIVILEGED.contains(role)) {
                throw ApiException.badRequest("user.grant is for administrator and security-officer; grant other roles directly");
            }
            return new Grant(parts[1], role);
        }
    }

    // ---------------------------------------------------------------- break-glass

    private Object breakGlassState(Call call) {
        return Map.of("account", Appliance.BREAK_GLASS_ACCOUNT,
                "state", app.breakGlass().state(Appliance.BREAK_GLASS_ACCOUNT).name().toLowerCase());
    }

    private Object reseal(Call call) {
        if (call.caller().kind() == Caller.Kind.BREAK_GLASS) {
            throw ApiException.forbidden("a break-glass session cannot re-seal its own credential");
        }
        call.target("break-glass:" + Appliance.BREAK_GLASS_ACCOUNT);
        String credential = app.breakGlass().state(Appliance.BREAK_GLASS_ACCOUNT) == BreakGlass.State.NONE
                ? app.breakGlass().seal(Appliance.BREAK_GLASS_ACCOUNT)
                : app.breakGlass().reseal(Appliance.BREAK_GLASS_ACCOUNT, call.caller().name());
        return Map.of("account", Appliance.BREAK_GLASS_ACCOUNT, "credential", credential);
    }
}
