package dev.cairn.engine.lock;

import static dev.cairn.engine.lock.RetentionRepo.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.retention.LockChange;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.LockRules;
import dev.cairn.engine.retention.LockViolation;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Lock changes on a real repository: the matrix, approvals through the real SignedApprovalAuthorization, the lock file. */
class LocksTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    static final Instant T0 = Instant.parse("2026-11-01T02:00:00Z");
    static final Instant YEAR_LATER = Instant.parse("2027-11-01T00:00:00Z");

    @TempDir
    Path tmp;
    RetentionRepo rr;
    Locks locks;
    Snapshot snap;

    @BeforeEach
    void setUp() throws Exception {
        rr = new RetentionRepo(HSM.token(), tmp, T0);
        snap = rr.backupAt(rr.source("srv", 1), T0);
        rr.setTime(T0.plus(Duration.ofHours(1)));
        locks = new Locks(rr.repo());
    }

    @AfterEach
    void tearDown() throws Exception {
        rr.close();
    }

    String target() {
        return "snapshot:" + snap.id();
    }

    @Test
    void backupTakesTheSnapshotTimeFromTheRepositoryClock() {
        assertThat(snap.time()).isEqualTo(T0);
        assertThat(rr.repo().snapshots().read(TENANT, snap.id(), rr.repo().keys(TENANT)).time()).isEqualTo(T0);
    }

    @Test
    void aComplianceLockCannotBeShortenedRemovedOrWeakenedWithOrWithoutApproval() {
        LockResult created = locks.set(TENANT, snap.id(), LockMode.COMPLIANCE, YEAR_LATER, List.of());
        assertThat(created.decision().changes()).containsExactly(LockChange.CREATE);
        assertThat(created.record().lock().createdAt()).isEqualTo(rr.clock.instant());

        List<Approval> everything = List.of(
                rr.approval(LockRules.APPROVAL_SHORTEN, target()),
                rr.approval(LockRules.APPROVAL_REMOVE, target()));
        for (List<Approval> approvals : List.of(List.<Approval>of(), everything)) {
            LockViolation shorten = catchThrowableOfType(LockViolation.class,
                    () -> locks.retainUntil(TENANT, snap.id(), YEAR_LATER.minus(Duration.ofDays(1)), approvals));
            assertThat(shorten.kind()).isEqualTo(LockViolation.Kind.FORBIDDEN);
            assertThat(shorten).hasMessageContaining("nobody, root included");
            LockViolation remove = catchThrowableOfType(LockViolation.class, () -> locks.remove(TENANT, snap.id(), approvals));
            assertThat(remove.kind()).isEqualTo(LockViolation.Kind.FORBIDDEN);
            LockViolation weaken = catchThrowableOfType(LockViolation.class,
                    () -> locks.change(TENANT, snap.id(), new Locks.Request(LockMode.GOVERNANCE, null, null), approvals));
            assertThat(weaken.kind()).isEqualTo(LockViolation.Kind.FORBIDDEN);
        }
        // nothing changed on disk
        LockRecord now = locks.lock(TENANT, snap.id()).orElseThrow();
        assertThat(now).isEqualTo(created.record());

        // extending and a legal hold are free
        Instant later = YEAR_LATER.plus(Duration.ofDays(365));
        assertThat(locks.retainUntil(TENANT, snap.id(), later, List.of()).decision().changes()).containsExactly(LockChange.EXTEND);
        assertThat(locks.legalHold(TENANT, snap.id(), true, List.of()).record().lock().legalHold()).isTrue();
        LockRecord r = locks.lock(TENANT, snap.id()).orElseThrow();
        assertThat(r.lock().retainUntil()).isEqualTo(later);
        assertThat(r.history()).extracting(LockRecord.Change::change)
                .containsExactly(LockChange.CREATE, LockChange.EXTEND, LockChange.SET_LEGAL_HOLD);
    }

    @Test
    void governanceChangesNeedAValidApprovalAndAreRefusedWithoutOne() throws Exception {
        locks.set(TENANT, snap.id(), LockMode.GOVERNANCE, YEAR_LATER, List.of());
        Instant shorter = T0.plus(Duration.ofDays(30));

        LockRefusedException none = catchThrowableOfType(LockRefusedException.class,
                () -> locks.retainUntil(TENANT, snap.id(), shorter, List.of()));
        assertThat(none.violation().kind()).isEqualTo(LockViolation.Kind.APPROVAL_REQUIRED);
        assertThat(none).hasMessageContaining("retention.shorten").hasMessageContaining("no approval was given");

        // each way an approval can be wrong is refused by the real verifier, and nothing changes
        Snapshot other = rr.backupAt(rr.source("other", 2), rr.clock.instant());
        rr.setTime(rr.clock.instant().plusSeconds(1));
        List<Approval> wrong = List.of(
                rr.approval(LockRules.APPROVAL_REMOVE, target()),                          // another action
                rr.approval(LockRules.APPROVAL_SHORTEN, "snapshot:" + other.id()),        // another snapshot
                rr.approval(LockRules.APPROVAL_SHORTEN, target(), List.of("bob")),        // one approver only
                rr.approval(LockRules.APPROVAL_SHORTEN, target(), List.of("alice", "bob")), // the requester does not count
                RetentionRepo.foreignApproval(LockRules.APPROVAL_SHORTEN, target(), rr.clock.instant())); // another authority
        LockRefusedException refused = catchThrowableOfType(LockRefusedException.class,
                () -> locks.retainUntil(TENANT, snap.id(), shorter, wrong));
        assertThat(refused.refusals()).hasSize(5);
        assertThat(String.join("\n", refused.refusals()))
                .contains("action rule").contains("target rule").contains("approvers rule").contains("signature rule");
        Approval expired = rr.approval(LockRules.APPROVAL_SHORTEN, target());
        rr.setTime(rr.clock.instant().plus(Duration.ofHours(2)));
        assertThat(catchThrowableOfType(LockRefusedException.class,
                () -> locks.retainUntil(TENANT, snap.id(), shorter, List.of(expired)))).hasMessageContaining("time rule");
        assertThat(locks.lock(TENANT, snap.id()).orElseThrow().lock().retainUntil()).isEqualTo(YEAR_LATER);

        // a valid one is used, and its id is in the history
        Approval valid = rr.approval(LockRules.APPROVAL_SHORTEN, target());
        LockResult r = locks.retainUntil(TENANT, snap.id(), shorter, List.of(wrong.getFirst(), valid));
        assertThat(r.decision().changes()).containsExactly(LockChange.SHORTEN);
        assertThat(r.approvals()).containsEntry("retention.shorten", valid.reference());
        LockRecord.Change last = locks.lock(TENANT, snap.id()).orElseThrow().history().getLast();
        assertThat(last.change()).isEqualTo(LockChange.SHORTEN);
        assertThat(last.approval()).isEqualTo(valid.reference());
        assertThat(last.retainUntil()).isEqualTo(shorter);

        // removal needs retention.remove
        assertThatThrownBy(() -> locks.remove(TENANT, snap.id(), List.of(valid))).isInstanceOf(LockRefusedException.class);
        LockResult removed = locks.remove(TENANT, snap.id(), List.of(rr.approval(LockRules.APPROVAL_REMOVE, target())));
        assertThat(removed.record()).isNull();
        assertThat(locks.lock(TENANT, snap.id())).isEmpty();
        assertThat(Files.exists(rr.lockFile(snap.id()))).isFalse();
    }

    @Test
    void theApprovalActionsAreTheKeyPlanesStrings() {
        assertThat(LockRules.APPROVAL_SHORTEN).isEqualTo(ApprovalActions.RETENTION_SHORTEN);
        assertThat(LockRules.APPROVAL_REMOVE).isEqualTo(ApprovalActions.RETENTION_REMOVE);
    }

    @Test
    void releasingALegalHoldNeedsApprovalInEitherMode() {
        LockResult held = locks.legalHold(TENANT, snap.id(), true, List.of());
        assertThat(held.record().lock().mode()).isEqualTo(LockMode.GOVERNANCE);
        assertThat(held.record().lock().retainUntil()).isEqualTo(rr.clock.instant());
        assertThatThrownBy(() -> locks.legalHold(TENANT, snap.id(), false, List.of()))
                .isInstanceOf(LockRefusedException.class).hasMessageContaining("retention.remove");
        Approval a = rr.approval(LockRules.APPROVAL_REMOVE, target());
        LockResult released = locks.legalHold(TENANT, snap.id(), false, List.of(a));
        assertThat(released.record().lock().legalHold()).isFalse();
        assertThat(released.record().history().getLast().approval()).isEqualTo(a.reference());
        assertThat(released.record().lock().activeAt(rr.clock.instant())).isFalse();
    }

    @Test
    void anExpiredLockIsFreeToChangeAndALockMustProtectSomething() {
        assertThatThrownBy(() -> locks.set(TENANT, snap.id(), LockMode.COMPLIANCE, rr.clock.instant().minusSeconds(1), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protect nothing");
        assertThatThrownBy(() -> locks.retainUntil(TENANT, snap.id(), YEAR_LATER, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs both a mode and a retain-until");
        locks.set(TENANT, snap.id(), LockMode.COMPLIANCE, T0.plus(Duration.ofDays(2)), List.of());
        rr.setTime(T0.plus(Duration.ofDays(2)));
        LockResult r = locks.set(TENANT, snap.id(), LockMode.GOVERNANCE, T0.plus(Duration.ofDays(1)), List.of());
        assertThat(r.decision().changes()).contains(LockChange.SHORTEN, LockChange.TO_GOVERNANCE);
        assertThat(r.approvals()).isEmpty();
        assertThat(locks.remove(TENANT, snap.id(), List.of()).record()).isNull();
    }

    @Test
    void theSnapshotMustExist() {
        String missing = "0".repeat(64);
        assertThatThrownBy(() -> locks.set(TENANT, missing, LockMode.COMPLIANCE, YEAR_LATER, List.of()))
                .isInstanceOf(RepoException.class).hasMessageContaining("does not exist");
        assertThat(Files.exists(rr.lockFile(missing))).isFalse();
        assertThatThrownBy(() -> locks.set("clinic-z", snap.id(), LockMode.COMPLIANCE, YEAR_LATER, List.of()))
                .isInstanceOf(RepoException.class).hasMessageContaining("clinic-z");
    }

    @Test
    void aCorruptLockFileRefusesEveryChange() throws Exception {
        locks.set(TENANT, snap.id(), LockMode.GOVERNANCE, YEAR_LATER, List.of());
        Path f = rr.lockFile(snap.id());
        RetentionRepo.run("chattr", "-i", f.toString());
        Files.writeString(f, "{\"version\":1,\"snapshot\":");
        List<Approval> all = List.of(rr.approval(LockRules.APPROVAL_REMOVE, target()));
        assertThatThrownBy(() -> locks.remove(TENANT, snap.id(), all))
                .isInstanceOf(LockFileException.class).hasMessageContaining(snap.id()).hasMessageContaining("locked forever");
        assertThatThrownBy(() -> locks.retainUntil(TENANT, snap.id(), YEAR_LATER.plusSeconds(1), List.of()))
                .isInstanceOf(LockFileException.class);
        assertThat(Files.readString(f)).isEqualTo("{\"version\":1,\"snapshot\":");
    }

    @Test
    void resolveFindsAUniquePrefixInAnyTenant() {
        assertThat(locks.resolve(null, snap.id().substring(0, 8))).isEqualTo(new Locks.Target(TENANT, snap.id()));
        assertThat(locks.resolve(TENANT, snap.id())).isEqualTo(new Locks.Target(TENANT, snap.id()));
        assertThatThrownBy(() -> locks.resolve(null, "abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> locks.resolve(null, snap.id().startsWith("f") ? "00000000" : "ffffffff"))
                .isInstanceOf(RepoException.class).hasMessageContaining("no snapshot");
    }
}
