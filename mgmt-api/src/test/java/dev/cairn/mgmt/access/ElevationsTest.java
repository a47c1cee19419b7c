package dev.cairn.mgmt.access;

import dev.cairn.hsm.testing.TestClock;

import dev.cairn.mgmt.access.ApprovalRefusedException.Kind;
import dev.cairn.mgmt.access.ElevationRequest.Status;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ElevationsTest {
    static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");

    @TempDir
    Path tmp;
    Path dir;
    TestClock clock;
    Elevations elevations;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("access");
        clock = new TestClock(T0);
        elevations = open();
    }

    Elevations open() {
        return Elevations.open(dir, Elevations.DEFAULT_MAX_DURATION, Elevations.DEFAULT_REQUEST_EXPIRY, clock,
                new SecureRandom());
    }

    Kind refusal(Runnable r) {
        try {
            r.run();
        } catch (ApprovalRefusedException e) {
            return e.kind();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void anApprovedRoleIsActiveUntilActiveUntilThenGone() {
        ElevationRequest r = elevations.request("dave", Role.SECURITY_OFFICER, Duration.ofMinutes(30), "rotate keys");
        assertThat(r.status()).isEqualTo(Status.PENDING);
        assertThat(elevations.activeRoles("dave")).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        ElevationRequest a = elevations.approve(r.id(), "erin");
        assertThat(a.status()).isEqualTo(Status.ACTIVE);
        assertThat(a.decidedBy()).isEqualTo("erin");
        assertThat(a.activeUntil()).isEqualTo(T0.plus(Duration.ofMinutes(32)));
        assertThat(elevations.activeRoles("dave")).containsExactly(Role.SECURITY_OFFICER);
        assertThat(elevations.activeRoles("erin")).isEmpty();

        clock.advance(Duration.ofMinutes(30).minusNanos(1));
        assertThat(elevations.activeRoles("dave")).containsExactly(Role.SECURITY_OFFICER);
        clock.advance(Duration.ofNanos(1));
        assertThat(elevations.activeRoles("dave")).isEmpty();
        assertThat(elevations.list()).extracting(ElevationRequest::status).containsExactly(Status.EXPIRED);
        assertThat(refusal(() -> elevations.revoke(r.id(), "erin"))).isEqualTo(Kind.NOT_PENDING);
    }

    @Test
    void finishedRequestsOlderThanNinetyDaysLeaveTheFile() {
        ElevationRequest old = elevations.request("dave", Role.ADMINISTRATOR, Duration.ofMinutes(10), "old");
        elevations.deny(old.id(), "erin");
        ElevationRequest pending = elevations.request("dave", Role.AUDITOR, Duration.ofMinutes(10), "still open");
        clock.advance(Elevations.KEEP_FINISHED.plusDays(1));
        elevations.request("dave", Role.AUDITOR, Duration.ofMinutes(10), "new");
        assertThat(elevations.find(old.id())).as("denied 91 days ago: pruned").isEmpty();
        assertThat(elevations.find(pending.id())).as("expired 91 days ago: pruned too").isEmpty();
        assertThat(elevations.list()).hasSize(1);
    }

    @Test
    void selfApprovalIsRefused() {
        ElevationRequest r = elevations.request("dave", Role.ADMINISTRATOR, Duration.ofMinutes(10), "add a user");
        assertThat(refusal(() -> elevations.approve(r.id(), "dave"))).isEqualTo(Kind.SELF_APPROVAL);
        assertThat(refusal(() -> elevations.deny(r.id(), "dave"))).isEqualTo(Kind.SELF_APPROVAL);
        assertThat(elevations.activeRoles("dave")).isEmpty();
        assertThat(elevations.list().getFirst().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void durationMustBeBetweenOneMinuteAndTheMaximum() {
        assertThatThrownBy(() -> elevations.request("dave", Role.ADMINISTRATOR, Duration.ofMinutes(61), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("60 minutes");
        assertThatThrownBy(() -> elevations.request("dave", Role.ADMINISTRATOR, Duration.ofSeconds(59), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> elevations.request("dave", Role.ADMINISTRATOR, Duration.ofMinutes(5), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> elevations.request("Dave!", Role.ADMINISTRATOR, Duration.ofMinutes(5), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(elevations.request("dave", Role.ADMINISTRATOR, Duration.ofMinutes(60), "x").duration())
                .isEqualTo(Duration.ofMinutes(60));
        assertThat(elevations.list()).hasSize(1);
    }

    @Test
    void revokeEndsTheGrantEarly() {
        ElevationRequest r = elevations.request("dave", Role.AUDITOR, Duration.ofMinutes(60), "annual audit");
        elevations.approve(r.id(), "erin");
        clock.advance(Duration.ofMinutes(10));
        ElevationRequest v = elevations.revoke(r.id(), "frank");
        assertThat(v.status()).isEqualTo(Status.REVOKED);
        assertThat(v.activeUntil()).isEqualTo(clock.instant());
        assertThat(elevations.activeRoles("dave")).isEmpty();
        assertThat(refusal(() -> elevations.revoke(r.id(), "frank"))).isEqualTo(Kind.NOT_PENDING);
        assertThat(open().activeRoles("dave")).isEmpty();
    }

    @Test
    void anUndecidedRequestExpires() {
        ElevationRequest r = elevations.request("dave", Role.ADMINISTRATOR, Duration.ofMinutes(10), "x");
        clock.advance(Duration.ofMinutes(30));
        assertThat(refusal(() -> elevations.approve(r.id(), "erin"))).isEqualTo(Kind.EXPIRED);
        assertThat(elevations.list().getFirst().status()).isEqualTo(Status.EXPIRED);
        assertThat(elevations.activeRoles("dave")).isEmpty();
    }

    @Test
    void denyAndUnknownIds() {
        ElevationRequest r = elevations.request("dave", Role.ADMINISTRATOR, Duration.ofMinutes(10), "x");
        ElevationRequest d = elevations.deny(r.id(), "erin");
        assertThat(d.status()).isEqualTo(Status.DENIED);
        assertThat(d.activeUntil()).isNull();
        assertThat(refusal(() -> elevations.approve(r.id(), "frank"))).isEqualTo(Kind.NOT_PENDING);
        assertThat(refusal(() -> elevations.approve("no-such-id", "frank"))).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void stateSurvivesReopen() throws Exception {
        ElevationRequest a = elevations.request("dave", Role.SECURITY_OFFICER, Duration.ofMinutes(20), "keys");
        elevations.approve(a.id(), "erin");
        clock.advance(Duration.ofSeconds(1));
        ElevationRequest b = elevations.request("gina", Role.ADMINISTRATOR, Duration.ofMinutes(5), "users");
        List<ElevationRequest> before = elevations.list();

        Elevations reopened = open();
        assertThat(reopened.list()).isEqualTo(before);
        assertThat(before).extracting(ElevationRequest::id).containsExactly(b.id(), a.id());
        assertThat(reopened.activeRoles("dave")).containsExactly(Role.SECURITY_OFFICER);
        assertThat(reopened.approve(b.id(), "erin").status()).isEqualTo(Status.ACTIVE);
        clock.advance(Duration.ofMinutes(20));
        assertThat(open().activeRoles("dave")).isEmpty();
        StateFiles.assertModes(dir);
    }

    @Test
    void aCorruptStateFileFailsClosed() {
        ElevationRequest r = elevations.request("dave", Role.SECURITY_OFFICER, Duration.ofMinutes(20), "keys");
        elevations.approve(r.id(), "erin");
        Path file = dir.resolve("elevations.json");
        String good = StateFiles.read(file);
        StateFiles.write(file, good.replace("\"security-officer\"", "\"superuser\""));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class)
                .hasMessageContaining("elevations.json").hasMessageContaining("role");
        StateFiles.write(file, good.replace("\"decidedBy\" : \"erin\"", "\"decidedBy\" : \"dave\""));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class).hasMessageContaining("decidedBy");
    }
}
