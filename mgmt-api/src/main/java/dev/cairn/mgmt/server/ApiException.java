package dev.cairn.mgmt.server;

import java.time.Duration;

/**
 * A refusal or failure the client is told about, as {@code application/problem+json} (RFC 9457). The detail
 * says what is wrong and what to do; it never holds secrets or PHI.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final Duration retryAfter;
    private final String type;

    /** The problem type of every refusal by the gate (authentication, permission, CSRF, step-up). */
    public static final String ACCESS_DENIED = "urn:cairn:problem:access-denied";

    public ApiException(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public ApiException(int status, String title, String detail, Duration retryAfter) {
        this(status, title, detail, retryAfter, "about:blank");
    }

    private ApiException(int status, String title, String detail, Duration retryAfter, String type) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfter = retryAfter;
        this.type = type;
    }

    /** The same problem with another problem type (RFC 9457 {@code type}). */
    public ApiException withType(String problemType) {
        return new ApiException(status, title, getMessage(), retryAfter, problemType);
    }

    /** The RFC 9457 problem type: {@code about:blank}, or {@link #ACCESS_DENIED} for the gate's refusals. */
    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** For 429 and 503: when to try again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad request", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "Unauthorized", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "Conflict", detail);
    }
}
