package dev.cairn.mgmt.server;

import io.helidon.http.SetCookie;
import io.helidon.webserver.http.ServerRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One request as a handler sees it: the authenticated caller, the parsed body, path and query parameters,
 * and what the handler adds to the response (cookies) and to the audit entry (targets, reason).
 */
public final class Call {
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final ServerRequest request;
    private final byte[] body;
    private final Instant now;
    private Caller caller;
    private final List<String> auditTargets = new ArrayList<>();
    private String auditReason = "";
    private final List<SetCookie> cookies = new ArrayList<>();
    private String auditActor;

    Call(ServerRequest request, Caller caller, byte[] body, Instant now) {
        this.request = request;
        this.caller = caller;
        this.body = body;
        this.now = now;
    }

    public Caller caller() {
        return caller;
    }

    /** The instant the gate took for this request (the appliance clock). */
    public Instant now() {
        return now;
    }

    /** The JSON body as {@code type} (a record); 400 on anything malformed. */
    public <T> T body(Class<T> type) {
        return Json.read(body, type);
    }

    /** A path parameter, checked against a plain ID pattern (no slashes, no dots-only, no controls). */
    public String path(String name) {
        String v = request.path().pathParameters().first(name).orElseThrow(
                () -> ApiException.badRequest("path parameter " + name + " is missing"));
        if (!PARAM.matcher(v).matches() || v.equals(".") || v.equals("..")) {
            throw ApiException.badRequest("path parameter " + name + " is not a valid ID");
        }
        return v;
    }

    /** A query parameter, if present. */
    public Optional<String> query(String name) {
        return request.query().first(name).asOptional();
    }

    /** Records an ID the operation touched, for the audit entry (e.g. {@code user:alice}). */
    public void target(String id) {
        auditTargets.add(id);
    }

    /** A short reason for the audit entry (never secrets or PHI). */
    public void reason(String reason) {
        this.auditReason = reason == null ? "" : reason;
    }

    /** Adds a Set-Cookie to the response. */
    public void cookie(SetCookie cookie) {
        cookies.add(cookie);
    }

    /**
     * The caller changed during the request (a login completed, a session rotated): later audit lines and
     * the response use the new one.
     */
    public void become(Caller next) {
        this.caller = next;
    }

    /** For login routes: the account name the attempt was for, audited even when the attempt fails. */
    public void auditActor(String name) {
        this.auditActor = name;
    }

    ServerRequest request() {
        return request;
    }

    List<String> auditTargets() {
        return auditTargets;
    }

    String auditReason() {
        return auditReason;
    }

    List<SetCookie> cookies() {
        return cookies;
    }

    String auditActorOrCaller() {
        return auditActor != null ? auditActor : caller.name();
    }
}
