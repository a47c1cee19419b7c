package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Permission;
import io.helidon.http.Method;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One row of the route table ({@link ApiRoutes#table}): what a route needs and whether it is audited. The
 * gate enforces the row before the handler runs; the RBAC matrix test and docs/security.md are generated from
 * the same rows.
 *
 * @param method     the HTTP method
 * @param path       a Helidon path template, e.g. {@code /api/v1/users/{name}/roles}
 * @param permission what the caller must hold
 * @param audit      the audit action written for every call (success, denied or failure), or null for
 *                   read-only routes that are not audited
 * @param stepUp     whether the caller must have proved MFA within the step-up window (destructive and key
 *                   operations); API tokens and client certificates can never satisfy it
 * @param body       the record the route reads from its JSON body (then {@code Content-Type:
 *                   application/json} is required and the OpenAPI schema is derived from it), or null if the
 *                   route takes no body
 * @param summary    one line for the OpenAPI document
 * @param handler    the work
 */
public record ApiRoute(Method method, String path, Permission permission, String audit, boolean stepUp,
                       Class<? extends Record> body, String summary, Handler handler) {
    private static final Pattern AUDIT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public ApiRoute {
        Objects.requireNonNull(method);
        Objects.requireNonNull(path);
        Objects.requireNonNull(permission);
        Objects.requireNonNull(summary);
        Objects.requireNonNull(handler);
        if (audit != null && !AUDIT.matcher(audit).matches()) {
            throw new IllegalArgumentException("audit action must match " + AUDIT);
        }
        if (stepUp && permission == Permission.PUBLIC) {
            throw new IllegalArgumentException("a public route cannot demand step-up");
        }
    }

    /** The work of a route. Return the response body (serialised as JSON), a {@link Reply}, or null for 204. */
    @FunctionalInterface
    public interface Handler {
        Object handle(Call call) throws Exception;
    }
}
