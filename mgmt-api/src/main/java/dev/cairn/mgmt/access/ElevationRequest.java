package dev.cairn.mgmt.access;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One just-in-time elevation (docs/access.md section 3) as {@link Elevations} reports it, with the status as of the
 * moment it was read. Stored form: docs/formats/access-state.md, "elevations.json". {@link #toString()} leaves out
 * the reason.
 *
 * @param id          lowercase random UUID
 * @param user        who asked for the role
 * @param role        the role asked for
 * @param duration    how long the grant lasts once approved (1 minute to the maximum)
 * @param reason      why (printable ASCII, 1..200)
 * @param requestedAt when it was asked
 * @param status      the status now
 * @param decidedBy   who approved or denied it; null while pending or if it expired undecided
 * @param activeUntil when the grant ends (for a revoked grant: when it was revoked); null unless it was approved
 */
public record ElevationRequest(String id, String user, Role role, Duration duration, String reason,
        Instant requestedAt, Status status, String decidedBy, Instant activeUntil) {

    /** Where an elevation stands. */
    public enum Status {
        /** Waiting for someone else to approve. */
        PENDING,
        /** Approved; the role is granted until {@code activeUntil}. */
        ACTIVE,
        /** Not decided in time, or the grant ran out. */
        EXPIRED,
        /** Refused. */
        DENIED,
        /** Ended early. */
        REVOKED
    }

    /** Null checks. */
    public ElevationRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(requestedAt, "requestedAt");
        Objects.requireNonNull(status, "status");
    }

    ElevationRequest withStatus(Status s) {
        return new ElevationRequest(id, user, role, duration, reason, requestedAt, s, decidedBy, activeUntil);
    }

    @Override
    public String toString() {
        return "ElevationRequest[id=" + id + ", user=" + user + ", role=" + role.id() + ", duration=" + duration
                + ", status=" + status + (decidedBy == null ? "" : ", decidedBy=" + decidedBy)
                + (activeUntil == null ? "" : ", activeUntil=" + activeUntil) + "]";
    }
}
