package dev.cairn.mgmt.access;

import dev.cairn.hsm.testing.TestClock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.approval.AuthorizationException;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.hsm.approval.SignedApprovalAuthorization;
import dev.cairn.mgmt.access.ApprovalRefusedException.Kind;
import dev.cairn.mgmt.access.ApprovalRequest.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApprovalsTest {
    static final Instant T0 = Instant.parse("2026-11-28T14:00:00.250Z");
    static final String TENANT = ApprovalActions.tenantTarget("clinic-a");
    static final String SNAPSHOT = "snapshot:" + "5e1f0c8a".repeat(8);

    @TempDir
    Path tmp;
    Path dir;
    TestClock clock;
    ApprovalSigner signer;
    Approvals approvals;

    @BeforeEach
    void setUp() throws Exception {
        dir = tmp.resolve("access");
        clock = new TestClock(T0);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        signer = ApprovalSigner.of(kp.getPrivate(), null, kp.getPublic());
        approvals = open();
    }

    Approvals open() {
        return Approvals.open(dir, Approvals.Policy.defaults(), signer, clock, new SecureRandom());
    }

    ApprovalRequest destroyRequest() {
        return approvals.request("alice", ApprovalActions.KEY_DESTROY, TENANT, "Offboarding clinic-a");
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
    void twoDistinctApproversApproveAndTheSignedRecordAuthorizesThatActionOnly() {
        ApprovalRequest r = destroyRequest();
        assertThat(r.status()).isEqualTo(Status.PENDING);
        assertThat(r.id()).matches(Checks.ID.pattern());
        assertThat(r.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));

        clock.advance(Duration.ofMinutes(10));
        ApprovalRequest one = approvals.approve(r.id(), "bob", clock.instant().minusSeconds(60));
        assertThat(one.status()).isEqualTo(Status.PENDING);
        assertThat(one.signedRecord()).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        Instant approvedAt = clock.instant();
        ApprovalRequest two = approvals.approve(r.id(), "carol", approvedAt);
        assertThat(two.status()).isEqualTo(Status.APPROVED);
        assertThat(two.approvals()).extracting(ApprovalRequest.Approval::approver).containsExactly("bob", "carol");

        SignedApproval signed = SignedApproval.parse(two.signedRecord().orElseThrow());
        assertThat(signed.record().approvers()).containsExactly("bob", "carol");
        assertThat(signed.record().requester()).isEqualTo("alice");
        assertThat(signed.record().approvedAt()).isEqualTo(Instant.parse("2026-11-28T14:11:00Z"));
        assertThat(signed.record().expiresAt()).isEqualTo(Instant.parse("2026-11-28T15:11:00Z"));

        SignedApproval taken = approvals.takeForExecution(r.id(), "alice");
        assertThat(taken).isEqualTo(signed);
        var auth = new SignedApprovalAuthorization(taken, signer.publicKey(), 2);
        auth.authorize(ApprovalActions.KEY_DESTROY, TENANT, clock.instant()); // does not throw
        assertThatThrownBy(() -> auth.authorize(ApprovalActions.KEY_DISABLE, TENANT, clock.instant()))
                .isInstanceOf(AuthorizationException.class).hasMessageContaining("action rule");
        assertThatThrownBy(() -> new SignedApprovalAuthorization(taken, signer.publicKey(), 3)
                .authorize(ApprovalActions.KEY_DESTROY, TENANT, clock.instant()))
                .isInstanceOf(AuthorizationException.class).hasMessageContaining("approvers rule");
        assertThat(approvals.find(r.id()).orElseThrow().status()).isEqualTo(Status.EXECUTED);
    }

    @Test
    void theSamePersonTwiceIsRefused() {
        ApprovalRequest r = destroyRequest();
        approvals.approve(r.id(), "bob", clock.instant());
        assertThat(refusal(() -> approvals.approve(r.id(), "bob", clock.instant()))).isEqualTo(Kind.DUPLICATE_APPROVER);
        ApprovalRequest now = approvals.find(r.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(Status.PENDING);
        assertThat(now.approvals()).hasSize(1);
    }

    @Test
    void theRequesterCannotApproveOrDenyTheirOwnRequest() {
        ApprovalRequest r = destroyRequest();
        assertThat(refusal(() -> approvals.approve(r.id(), "alice", clock.instant()))).isEqualTo(Kind.SELF_APPROVAL);
        assertThat(refusal(() -> approvals.deny(r.id(), "alice", "changed my mind"))).isEqualTo(Kind.SELF_APPROVAL);
        assertThat(approvals.find(r.id()).orElseThrow().approvals()).isEmpty();
    }

    @Test
    void anExpiredRequestCannotBeApprovedAndListsAsExpired() {
        ApprovalRequest r = destroyRequest();
        approvals.approve(r.id(), "bob", clock.instant());
        clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertThat(approvals.find(r.id()).orElseThrow().status()).isEqualTo(Status.PENDING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(refusal(() -> approvals.approve(r.id(), "carol", clock.instant()))).isEqualTo(Kind.EXPIRED);
        assertThat(approvals.find(r.id()).orElseThrow().status()).isEqualTo(Status.EXPIRED);
        assertThat(approvals.list(Optional.of(Status.EXPIRED))).extracting(ApprovalRequest::id).containsExactly(r.id());
        assertThat(approvals.list(Optional.of(Status.PENDING))).isEmpty();
        assertThat(refusal(() -> approvals.takeForExecution(r.id(), "alice"))).isEqualTo(Kind.NOT_PENDING);
    }

    @Test
    void mfaMustBeFreshAndPresent() {
        ApprovalRequest r = destroyRequest();
        Instant now = clock.instant();
        assertThat(refusal(() -> approvals.approve(r.id(), "bob", null))).isEqualTo(Kind.MFA_NOT_FRESH);
        assertThat(refusal(() -> approvals.approve(r.id(), "bob", now.minus(Duration.ofMinutes(5)).minusSeconds(1))))
                .isEqualTo(Kind.MFA_NOT_FRESH);
        assertThat(refusal(() -> approvals.approve(r.id(), "bob", now.plusSeconds(1)))).isEqualTo(Kind.MFA_NOT_FRESH);
        assertThat(approvals.find(r.id()).orElseThrow().approvals()).isEmpty();
        // exactly five minutes old is still fresh
        assertThat(approvals.approve(r.id(), "bob", now.minus(Duration.ofMinutes(5))).approvals()).hasSize(1);
    }

    @Test
    void denyEndsTheRequest() {
        ApprovalRequest r = destroyRequest();
        approvals.approve(r.id(), "bob", clock.instant());
        ApprovalRequest d = approvals.deny(r.id(), "carol", "not during opening hours");
        assertThat(d.status()).isEqualTo(Status.DENIED);
        assertThat(d.decidedBy()).isEqualTo("carol");
        assertThat(d.decisionReason()).isEqualTo("not during opening hours");
        assertThat(refusal(() -> approvals.approve(r.id(), "dave", clock.instant()))).isEqualTo(Kind.NOT_PENDING);
        assertThat(refusal(() -> approvals.deny(r.id(), "dave", ""))).isEqualTo(Kind.NOT_PENDING);
        ApprovalRequest other = destroyRequest();
        assertThat(refusal(() -> approvals.deny(other.id(), "carol", ""))).isEqualTo(Kind.INVALID);
    }

    @Test
    void onlyTheRequesterCancels() {
        ApprovalRequest r = destroyRequest();
        assertThat(refusal(() -> approvals.cancel(r.id(), "bob"))).isEqualTo(Kind.NOT_REQUESTER);
        ApprovalRequest c = approvals.cancel(r.id(), "alice");
        assertThat(c.status()).isEqualTo(Status.CANCELLED);
        assertThat(c.decidedBy()).isEqualTo("alice");
        assertThat(refusal(() -> approvals.cancel(r.id(), "alice"))).isEqualTo(Kind.NOT_PENDING);
        assertThat(refusal(() -> approvals.approve(r.id(), "bob", clock.instant()))).isEqualTo(Kind.NOT_PENDING);
    }

    @Test
    void anApprovedRequestCancelledBeforeExecutionNeverHandsOutItsRecord() {
        ApprovalRequest r = approved();
        approvals.cancel(r.id(), "alice");
        assertThat(refusal(() -> approvals.takeForExecution(r.id(), "alice"))).isEqualTo(Kind.NOT_PENDING);
    }

    @Test
    void theRecordIsTakenForExecutionOnlyOnce() {
        ApprovalRequest r = approved();
        approvals.takeForExecution(r.id(), "alice");
        assertThat(refusal(() -> approvals.takeForExecution(r.id(), "alice"))).isEqualTo(Kind.NOT_PENDING);
        // not even after a restart
        assertThat(refusal(() -> open().takeForExecution(r.id(), "alice"))).isEqualTo(Kind.NOT_PENDING);
    }

    @Test
    void aFailedExecutionGivesTheApprovalBackToItsExecutorOnly() {
        ApprovalRequest r = approved();
        approvals.takeForExecution(r.id(), "alice");
        assertThat(refusal(() -> approvals.executionFailed(r.id(), "dave"))).isEqualTo(Kind.NOT_PENDING);
        assertThat(approvals.executionFailed(r.id(), "alice").status()).isEqualTo(ApprovalRequest.Status.APPROVED);
        assertThat(open().find(r.id()).orElseThrow().status()).as("durable").isEqualTo(ApprovalRequest.Status.APPROVED);
        approvals.takeForExecution(r.id(), "alice");
        assertThat(refusal(() -> approvals.takeForExecution(r.id(), "alice"))).isEqualTo(Kind.NOT_PENDING);
        assertThat(refusal(() -> approvals.executionFailed(approved().id(), "alice")))
                .as("an approved request that was never taken cannot be given back").isEqualTo(Kind.NOT_PENDING);
    }

    @Test
    void finishedRequestsOlderThanNinetyDaysLeaveTheFileButOpenOnesStay() {
        ApprovalRequest denied = destroyRequest();
        approvals.deny(denied.id(), "bob", "no");
        ApprovalRequest executed = approved();
        approvals.takeForExecution(executed.id(), "alice");
        clock.advance(Approvals.KEEP_FINISHED.plusDays(1));
        ApprovalRequest fresh = destroyRequest();
        assertThat(approvals.find(denied.id())).isEmpty();
        assertThat(approvals.find(executed.id())).isEmpty();
        assertThat(open().find(fresh.id())).as("the new one, durable").isPresent();
        assertThat(open().list(java.util.Optional.empty())).hasSize(1);
    }

    @Test
    void aPendingRequestIsNotExecutable() {
        ApprovalRequest r = destroyRequest();
        approvals.approve(r.id(), "bob", clock.instant());
        assertThat(refusal(() -> approvals.takeForExecution(r.id(), "alice"))).isEqualTo(Kind.NOT_PENDING);
        assertThat(refusal(() -> approvals.takeForExecution("00000000-0000-4000-8000-000000000000", "alice")))
                .isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void theRecordExpiresAfterItsWindow() {
        ApprovalRequest r = approved();
        Instant recordExpires = SignedApproval.parse(r.signedRecord().orElseThrow()).record().expiresAt();
        clock.advance(Duration.between(clock.instant(), recordExpires));
        assertThat(refusal(() -> approvals.takeForExecution(r.id(), "alice"))).isEqualTo(Kind.EXPIRED);
        assertThat(approvals.find(r.id()).orElseThrow().status()).isEqualTo(Status.EXPIRED);
    }

    @Test
    void stateSurvivesReopen() throws Exception {
        ApprovalRequest pending = approvals.request("alice", ApprovalActions.SNAPSHOT_DELETE, SNAPSHOT, "wrong data");
        approvals.approve(pending.id(), "bob", clock.instant());
        clock.advance(Duration.ofSeconds(5));
        ApprovalRequest done = approved();
        clock.advance(Duration.ofSeconds(5));
        ApprovalRequest denied = destroyRequest();
        approvals.deny(denied.id(), "carol", "no");
        List<ApprovalRequest> before = approvals.list(Optional.empty());

        Approvals reopened = open();
        assertThat(reopened.list(Optional.empty())).isEqualTo(before);
        assertThat(before).extracting(ApprovalRequest::id).containsExactly(denied.id(), done.id(), pending.id());
        // the pending one keeps its approval: one more makes it APPROVED
        assertThat(reopened.approve(pending.id(), "carol", clock.instant()).status()).isEqualTo(Status.APPROVED);
        assertThat(reopened.takeForExecution(done.id(), "alice")).isEqualTo(
                SignedApproval.parse(done.signedRecord().orElseThrow()));
        StateFiles.assertModes(dir);
        assertThat(new ObjectMapper().readTree(Files.readAllBytes(dir.resolve("approvals.json"))).get("format").asText())
                .isEqualTo("cairn-approvals v1");
    }

    @Test
    void aCorruptStateFileFailsClosedWithAClearMessage() {
        destroyRequest();
        Path file = dir.resolve("approvals.json");
        String good = StateFiles.read(file);

        StateFiles.write(file, good.substring(0, good.length() / 2));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class)
                .hasMessageContaining("approvals.json").hasMessageContaining("not valid JSON")
                .hasMessageContaining("Restore the file from a backup");

        StateFiles.write(file, good.replace("\"status\" : \"pending\"", "\"status\" : \"approved\""));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class)
                .hasMessageContaining("signedRecord");

        StateFiles.write(file, good.replace("cairn-approvals v1", "cairn-approvals v2"));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class).hasMessageContaining("format");

        StateFiles.write(file, good.replace("\"reason\" :", "\"extra\" : 1, \"reason\" :"));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class).hasMessageContaining("unknown field");
    }

    @Test
    void aLeftoverTempFileFromACrashIsIgnored() {
        ApprovalRequest r = destroyRequest();
        StateFiles.write(dir.resolve("approvals.json.tmp"), "{\"format\":\"cairn-approvals v1\",\"requ");
        Approvals reopened = open();
        assertThat(reopened.find(r.id())).isPresent();
        assertThat(Files.exists(dir.resolve("approvals.json.tmp"))).isFalse();
    }

    @Test
    void aSignerFailureRecordsNothing() {
        ApprovalSigner broken = new ApprovalSigner() {
            @Override
            public SignedApproval sign(dev.cairn.hsm.approval.ApprovalRecord record) {
                throw new IllegalStateException("token removed");
            }

            @Override
            public java.security.PublicKey publicKey() {
                return signer.publicKey();
            }
        };
        Approvals a = Approvals.open(dir, Approvals.Policy.defaults(), broken, clock, new SecureRandom());
        ApprovalRequest r = a.request("alice", ApprovalActions.KEY_DISABLE, TENANT, "lost laptop");
        a.approve(r.id(), "bob", clock.instant());
        assertThatThrownBy(() -> a.approve(r.id(), "carol", clock.instant())).isInstanceOf(IllegalStateException.class);
        assertThat(a.find(r.id()).orElseThrow().approvals()).hasSize(1);
        assertThat(open().find(r.id()).orElseThrow().approvals()).hasSize(1);
        // with a working authority carol's approval goes through
        assertThat(open().approve(r.id(), "carol", clock.instant()).status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void inputsAreChecked() {
        assertThat(refusal(() -> approvals.request("alice", "key.obliterate", TENANT, "x"))).isEqualTo(Kind.INVALID);
        assertThat(refusal(() -> approvals.request("alice", ApprovalActions.KEY_DESTROY, SNAPSHOT, "x"))).isEqualTo(Kind.INVALID);
        assertThat(refusal(() -> approvals.request("alice", ApprovalActions.SNAPSHOT_DELETE, TENANT, "x"))).isEqualTo(Kind.INVALID);
        assertThat(refusal(() -> approvals.request("alice", ApprovalActions.SNAPSHOT_DELETE, "snapshot:5e1f", "x")))
                .isEqualTo(Kind.INVALID);
        assertThat(refusal(() -> approvals.request("Alice", ApprovalActions.KEY_DESTROY, TENANT, "x"))).isEqualTo(Kind.INVALID);
        assertThat(refusal(() -> approvals.request("alice", ApprovalActions.KEY_DESTROY, TENANT, ""))).isEqualTo(Kind.INVALID);
        assertThat(refusal(() -> approvals.request("alice", ApprovalActions.KEY_DESTROY, TENANT, "line\nbreak")))
                .isEqualTo(Kind.INVALID);
        assertThat(refusal(() -> approvals.request("alice", ApprovalActions.KEY_DESTROY, TENANT, "x".repeat(201))))
                .isEqualTo(Kind.INVALID);
        assertThat(approvals.request("alice", ApprovalActions.SCHEDULE_REDUCE, "schedule:nightly", "x".repeat(200)).status())
                .isEqualTo(Status.PENDING);
        assertThat(refusal(() -> approvals.approve("nope", "bob", clock.instant()))).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void toStringShowsNoReason() {
        ApprovalRequest r = approvals.request("alice", ApprovalActions.KEY_DESTROY, TENANT, "patient Jane Doe asked");
        assertThat(r.toString()).doesNotContain("Jane");
    }

    @Test
    void concurrentApprovalsCollectExactlyTheRequiredNumber() throws Exception {
        ApprovalRequest r = destroyRequest();
        int n = 8;
        var pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        var start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Kind>> results = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String approver = "approver" + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    approvals.approve(r.id(), approver, clock.instant());
                    return null;
                } catch (ApprovalRefusedException e) {
                    return e.kind();
                }
            }));
        }
        start.countDown();
        int ok = 0;
        for (var f : results) {
            Kind k = f.get();
            if (k == null) {
                ok++;
            } else {
                assertThat(k).isEqualTo(Kind.NOT_PENDING);
            }
        }
        pool.shutdown();
        assertThat(ok).isEqualTo(2);
        ApprovalRequest done = open().find(r.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(Status.APPROVED);
        assertThat(SignedApproval.parse(done.signedRecord().orElseThrow()).record().approvers())
                .containsExactlyElementsOf(done.approvals().stream().map(ApprovalRequest.Approval::approver).toList())
                .hasSize(2);
    }

    /** A request approved by bob and carol. */
    private ApprovalRequest approved() {
        ApprovalRequest r = destroyRequest();
        approvals.approve(r.id(), "bob", clock.instant());
        return approvals.approve(r.id(), "carol", clock.instant());
    }
}
