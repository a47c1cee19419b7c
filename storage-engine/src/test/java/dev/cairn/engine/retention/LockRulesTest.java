package dev.cairn.engine.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cairn.hsm.approval.ApprovalActions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lock change matrix of IMM-1 (docs/retention.md, "Lock changes"): every mode x change x state,
 * without and with approval. The expectations are written out by hand, not computed.
 */
class LockRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T06:00:00Z");
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant FUTURE = Instant.parse("2027-01-01T00:00:00Z");
    private static final Instant PAST = Instant.parse("2026-06-01T00:00:00Z");

    /** The state of the lock before the change. */
    enum State {
        /** Retention period running, no legal hold. */
        RUNNING(FUTURE, false),
        /** Period over, no legal hold: expired, protects nothing. */
        EXPIRED(PAST, false),
        /** Period running and a legal hold. */
        HELD_RUNNING(FUTURE, true),
        /** Period over but a legal hold: still active. */
        HELD_EXPIRED(PAST, true);

        final Instant until;
        final boolean hold;

        State(Instant until, boolean hold) {
            this.until = until;
            this.hold = hold;
        }

        RetentionLock lock(LockMode mode) {
            return new RetentionLock(mode, until, hold, CREATED);
        }
    }

    /** The operation the caller asks for. */
    enum Op {
        EXTEND, SHORTEN, REMOVE, SWITCH_MODE, SET_HOLD, RELEASE_HOLD;

        LockDecision apply(RetentionLock lock, boolean approved) {
            return switch (this) {
                case EXTEND -> LockRules.changeRetainUntil(lock, lock.retainUntil().plus(Duration.ofDays(30)), NOW, approved);
                case SHORTEN -> LockRules.changeRetainUntil(lock, lock.retainUntil().minus(Duration.ofDays(1)), NOW, approved);
                case REMOVE -> LockRules.remove(lock, NOW, approved);
                case SWITCH_MODE -> LockRules.changeMode(lock,
                        lock.mode() == LockMode.COMPLIANCE ? LockMode.GOVERNANCE : LockMode.COMPLIANCE, NOW, approved);
                case SET_HOLD -> {
                    if (approved) {
                        // setLegalHold takes no approval; check() with one must agree.
                        yield LockRules.check(lock, lock.withLegalHold(true), NOW, true);
                    }
                    yield LockRules.setLegalHold(lock, NOW);
                }
                case RELEASE_HOLD -> LockRules.releaseLegalHold(lock, NOW, approved);
            };
        }
    }

    /**
     * Outcomes: {@code allow} (no approval needed), {@code allow:<action>} (allowed, used that
     * approval), {@code need:<action>} (APPROVAL_REQUIRED), {@code forbidden}. Changes: the
     * classified {@link LockChange}s, {@code -} for none.
     */
    @ParameterizedTest(name = "{0} {1} {2}: without approval {3}, with approval {4}")
    @CsvSource(delimiter = '|', textBlock = """
            # mode      | op           | state        | without approval         | with approval             | changes
            COMPLIANCE  | EXTEND       | RUNNING      | allow                    | allow                     | EXTEND
            COMPLIANCE  | EXTEND       | EXPIRED      | allow                    | allow                     | EXTEND
            COMPLIANCE  | EXTEND       | HELD_RUNNING | allow                    | allow                     | EXTEND
            COMPLIANCE  | EXTEND       | HELD_EXPIRED | allow                    | allow                     | EXTEND
            COMPLIANCE  | SHORTEN      | RUNNING      | forbidden                | forbidden                 | SHORTEN
            COMPLIANCE  | SHORTEN      | EXPIRED      | allow                    | allow                     | SHORTEN
            COMPLIANCE  | SHORTEN      | HELD_RUNNING | forbidden                | forbidden                 | SHORTEN
            COMPLIANCE  | SHORTEN      | HELD_EXPIRED | forbidden                | forbidden                 | SHORTEN
            COMPLIANCE  | REMOVE       | RUNNING      | forbidden                | forbidden                 | REMOVE
            COMPLIANCE  | REMOVE       | EXPIRED      | allow                    | allow                     | REMOVE
            COMPLIANCE  | REMOVE       | HELD_RUNNING | forbidden                | forbidden                 | REMOVE
            COMPLIANCE  | REMOVE       | HELD_EXPIRED | forbidden                | forbidden                 | REMOVE
            COMPLIANCE  | SWITCH_MODE  | RUNNING      | forbidden                | forbidden                 | TO_GOVERNANCE
            COMPLIANCE  | SWITCH_MODE  | EXPIRED      | allow                    | allow                     | TO_GOVERNANCE
            COMPLIANCE  | SWITCH_MODE  | HELD_RUNNING | forbidden                | forbidden                 | TO_GOVERNANCE
            COMPLIANCE  | SWITCH_MODE  | HELD_EXPIRED | forbidden                | forbidden                 | TO_GOVERNANCE
            COMPLIANCE  | SET_HOLD     | RUNNING      | allow                    | allow                     | SET_LEGAL_HOLD
            COMPLIANCE  | SET_HOLD     | EXPIRED      | allow                    | allow                     | SET_LEGAL_HOLD
            COMPLIANCE  | SET_HOLD     | HELD_RUNNING | allow                    | allow                     | -
            COMPLIANCE  | SET_HOLD     | HELD_EXPIRED | allow                    | allow                     | -
            COMPLIANCE  | RELEASE_HOLD | RUNNING      | allow                    | allow                     | -
            COMPLIANCE  | RELEASE_HOLD | EXPIRED      | allow                    | allow                     | -
            COMPLIANCE  | RELEASE_HOLD | HELD_RUNNING | need:retention.remove    | allow:retention.remove    | RELEASE_LEGAL_HOLD
            COMPLIANCE  | RELEASE_HOLD | HELD_EXPIRED | need:retention.remove    | allow:retention.remove    | RELEASE_LEGAL_HOLD
            GOVERNANCE  | EXTEND       | RUNNING      | allow                    | allow                     | EXTEND
            GOVERNANCE  | EXTEND       | EXPIRED      | allow                    | allow                     | EXTEND
            GOVERNANCE  | EXTEND       | HELD_RUNNING | allow                    | allow                     | EXTEND
            GOVERNANCE  | EXTEND       | HELD_EXPIRED | allow                    | allow                     | EXTEND
            GOVERNANCE  | SHORTEN      | RUNNING      | need:retention.shorten   | allow:retention.shorten   | SHORTEN
            GOVERNANCE  | SHORTEN      | EXPIRED      | allow                    | allow                     | SHORTEN
            GOVERNANCE  | SHORTEN      | HELD_RUNNING | need:retention.shorten   | allow:retention.shorten   | SHORTEN
            GOVERNANCE  | SHORTEN      | HELD_EXPIRED | need:retention.shorten   | allow:retention.shorten   | SHORTEN
            GOVERNANCE  | REMOVE       | RUNNING      | need:retention.remove    | allow:retention.remove    | REMOVE
            GOVERNANCE  | REMOVE       | EXPIRED      | allow                    | allow                     | REMOVE
            GOVERNANCE  | REMOVE       | HELD_RUNNING | need:retention.remove    | allow:retention.remove    | REMOVE
            GOVERNANCE  | REMOVE       | HELD_EXPIRED | need:retention.remove    | allow:retention.remove    | REMOVE
            GOVERNANCE  | SWITCH_MODE  | RUNNING      | allow                    | allow                     | TO_COMPLIANCE
            GOVERNANCE  | SWITCH_MODE  | EXPIRED      | allow                    | allow                     | TO_COMPLIANCE
            GOVERNANCE  | SWITCH_MODE  | HELD_RUNNING | allow                    | allow                     | TO_COMPLIANCE
            GOVERNANCE  | SWITCH_MODE  | HELD_EXPIRED | allow                    | allow                     | TO_COMPLIANCE
            GOVERNANCE  | SET_HOLD     | RUNNING      | allow                    | allow                     | SET_LEGAL_HOLD
            GOVERNANCE  | SET_HOLD     | EXPIRED      | allow                    | allow                     | SET_LEGAL_HOLD
            GOVERNANCE  | SET_HOLD     | HELD_RUNNING | allow                    | allow                     | -
            GOVERNANCE  | SET_HOLD     | HELD_EXPIRED | allow                    | allow                     | -
            GOVERNANCE  | RELEASE_HOLD | RUNNING      | allow                    | allow                     | -
            GOVERNANCE  | RELEASE_HOLD | EXPIRED      | allow                    | allow                     | -
            GOVERNANCE  | RELEASE_HOLD | HELD_RUNNING | need:retention.remove    | allow:retention.remove    | RELEASE_LEGAL_HOLD
            GOVERNANCE  | RELEASE_HOLD | HELD_EXPIRED | need:retention.remove    | allow:retention.remove    | RELEASE_LEGAL_HOLD
            """)
    void matrix(LockMode mode, Op op, State state, String withoutApproval, String withApproval, String changes) {
        RetentionLock lock = state.lock(mode);
        List<LockChange> expectedChanges = changes.equals("-") ? List.of()
                : Arrays.stream(changes.split(",")).map(LockChange::valueOf).toList();

        expectOutcome(lock, op, false, withoutApproval, expectedChanges);
        expectOutcome(lock, op, true, withApproval, expectedChanges);
    }

    private static void expectOutcome(RetentionLock lock, Op op, boolean approved, String outcome, List<LockChange> changes) {
        if (outcome.equals("forbidden")) {
            LockViolation v = catchThrowableOfType(LockViolation.class, () -> op.apply(lock, approved));
            assertThat(v).as("forbidden").isNotNull();
            assertThat(v.kind()).isEqualTo(LockViolation.Kind.FORBIDDEN);
            assertThat(v.change()).isEqualTo(changes.getFirst());
            assertThat(v.approvalActions()).isEmpty();
            assertThat(v.getMessage())
                    .startsWith("cannot ")
                    .contains("the " + lock.describe())
                    .contains(": it is active, and nobody, root included, can ")
                    .contains("(IMM-1)");
        } else if (outcome.startsWith("need:")) {
            String action = outcome.substring("need:".length());
            LockViolation v = catchThrowableOfType(LockViolation.class, () -> op.apply(lock, approved));
            assertThat(v).as("approval required").isNotNull();
            assertThat(v.kind()).isEqualTo(LockViolation.Kind.APPROVAL_REQUIRED);
            assertThat(v.change()).isEqualTo(changes.getFirst());
            assertThat(v.approvalActions()).containsExactly(action);
            assertThat(v.getMessage()).contains("the " + lock.describe() + " needs a multi-party approval for " + action);
        } else {
            LockDecision d = op.apply(lock, approved);
            assertThat(d.before()).isEqualTo(lock);
            assertThat(d.changes()).isEqualTo(changes);
            if (outcome.startsWith("allow:")) {
                assertThat(d.approvals()).containsExactly(outcome.substring("allow:".length()));
            } else {
                assertThat(outcome).isEqualTo("allow");
                assertThat(d.approvals()).isEmpty();
            }
            if (op == Op.REMOVE) {
                assertThat(d.after()).isNull();
            }
        }
    }

    // ---- the messages, in full ----

    @Test
    void forbiddenMessagesSayWhyAndWhatNext() {
        RetentionLock running = State.RUNNING.lock(LockMode.COMPLIANCE);
        assertThatThrownBy(() -> LockRules.changeRetainUntil(running, PAST, NOW, true))
                .isInstanceOf(LockViolation.class)
                .hasMessage("cannot shorten the compliance lock until 2027-01-01T00:00:00Z: it is active, and nobody,"
                        + " root included, can shorten an active compliance lock (IMM-1); wait until it expires at"
                        + " 2027-01-01T00:00:00Z; until then it can only be extended");
        assertThatThrownBy(() -> LockRules.remove(State.HELD_RUNNING.lock(LockMode.COMPLIANCE), NOW, true))
                .hasMessage("cannot remove the compliance lock until 2027-01-01T00:00:00Z with legal hold: it is active,"
                        + " and nobody, root included, can remove an active compliance lock (IMM-1); this becomes possible"
                        + " once the retention period has ended (2027-01-01T00:00:00Z) and the legal hold has been released"
                        + " (which needs an approval for retention.remove)");
        assertThatThrownBy(() -> LockRules.changeMode(State.HELD_EXPIRED.lock(LockMode.COMPLIANCE), LockMode.GOVERNANCE, NOW, false))
                .hasMessage("cannot switch the compliance lock until 2026-06-01T00:00:00Z with legal hold to governance:"
                        + " it is active, and nobody, root included, can switch an active compliance lock to governance"
                        + " (IMM-1); this becomes possible once the legal hold has been released (which needs an approval"
                        + " for retention.remove)");
    }

    @Test
    void approvalMessagesNameTheAction() {
        assertThatThrownBy(() -> LockRules.changeRetainUntil(State.RUNNING.lock(LockMode.GOVERNANCE), PAST, NOW, false))
                .hasMessage("shortening the governance lock until 2027-01-01T00:00:00Z needs a multi-party approval for"
                        + " retention.shorten; get it for this snapshot and retry");
        assertThatThrownBy(() -> LockRules.releaseLegalHold(State.HELD_EXPIRED.lock(LockMode.COMPLIANCE), NOW, false))
                .hasMessage("releasing the legal hold of the compliance lock until 2026-06-01T00:00:00Z with legal hold"
                        + " needs a multi-party approval for retention.remove; get it for this snapshot and retry");
    }

    // ---- create, combined changes, boundaries ----

    @Test
    void createWhereThereIsNoLockOrOnlyAnExpiredOne() {
        RetentionLock compliance = new RetentionLock(LockMode.COMPLIANCE, FUTURE, false, NOW);

        assertThat(LockRules.create(null, compliance, NOW).changes()).containsExactly(LockChange.CREATE);
        assertThat(LockRules.create(State.EXPIRED.lock(LockMode.COMPLIANCE), compliance, NOW).changes())
                .containsExactly(LockChange.CREATE, LockChange.REMOVE);
        assertThatThrownBy(() -> LockRules.create(State.RUNNING.lock(LockMode.GOVERNANCE), compliance, NOW))
                .isInstanceOf(LockViolation.class)
                .hasMessage("the snapshot already has an active governance lock until 2027-01-01T00:00:00Z;"
                        + " extend it or set a legal hold instead of creating a new lock")
                .extracting(e -> ((LockViolation) e).kind()).isEqualTo(LockViolation.Kind.FORBIDDEN);
    }

    @Test
    void legalHoldOnASnapshotWithoutALockCreatesAHoldOnlyLock() {
        LockDecision d = LockRules.setLegalHold(null, NOW);

        assertThat(d.after()).isEqualTo(new RetentionLock(LockMode.GOVERNANCE, NOW, true, NOW));
        assertThat(d.after().activeAt(NOW.plus(Duration.ofDays(3650)))).isTrue();
        assertThat(d.changes()).containsExactly(LockChange.CREATE, LockChange.SET_LEGAL_HOLD);
        assertThat(d.neededApproval()).isFalse();
    }

    @Test
    void replacingAnActiveLockThroughANewCreatedAtIsARemoval() {
        RetentionLock before = State.RUNNING.lock(LockMode.COMPLIANCE);
        RetentionLock after = new RetentionLock(LockMode.COMPLIANCE, FUTURE, false, NOW);

        LockViolation v = catchThrowableOfType(LockViolation.class, () -> LockRules.check(before, after, NOW, true));
        assertThat(v.kind()).isEqualTo(LockViolation.Kind.FORBIDDEN);
        assertThat(v.change()).isEqualTo(LockChange.REMOVE);

        RetentionLock governance = State.RUNNING.lock(LockMode.GOVERNANCE);
        assertThat(LockRules.check(governance, after, NOW, true).approvals()).containsExactly(LockRules.APPROVAL_REMOVE);
    }

    @Test
    void combinedChangesNeedEveryApprovalAndAnyForbiddenPartForbidsAll() {
        RetentionLock governance = State.HELD_RUNNING.lock(LockMode.GOVERNANCE);
        RetentionLock weaker = governance.withLegalHold(false).withRetainUntil(PAST);

        LockViolation v = catchThrowableOfType(LockViolation.class, () -> LockRules.check(governance, weaker, NOW, false));
        assertThat(v.kind()).isEqualTo(LockViolation.Kind.APPROVAL_REQUIRED);
        assertThat(v.approvalActions()).containsExactly("retention.remove", "retention.shorten");
        assertThat(v.getMessage()).isEqualTo("changing the governance lock until 2027-01-01T00:00:00Z with legal hold"
                + " (shorten, release legal hold) needs a multi-party approval for retention.remove and retention.shorten;"
                + " get it for this snapshot and retry");
        LockDecision d = LockRules.check(governance, weaker, NOW, true);
        assertThat(d.changes()).containsExactly(LockChange.SHORTEN, LockChange.RELEASE_LEGAL_HOLD);
        assertThat(d.approvals()).containsExactly("retention.remove", "retention.shorten");

        RetentionLock compliance = State.HELD_RUNNING.lock(LockMode.COMPLIANCE);
        RetentionLock extendedButReleased = compliance.withLegalHold(false).withRetainUntil(FUTURE.plusSeconds(1));
        assertThat(LockRules.check(compliance, extendedButReleased, NOW, true).changes())
                .containsExactly(LockChange.EXTEND, LockChange.RELEASE_LEGAL_HOLD);
        RetentionLock shortenedAndReleased = compliance.withLegalHold(false).withRetainUntil(PAST);
        assertThat(catchThrowableOfType(LockViolation.class,
                () -> LockRules.check(compliance, shortenedAndReleased, NOW, true)).kind())
                .isEqualTo(LockViolation.Kind.FORBIDDEN);
    }

    @Test
    void aLockExpiresExactlyAtRetainUntil() {
        RetentionLock lock = new RetentionLock(LockMode.COMPLIANCE, NOW, false, CREATED);

        assertThat(lock.activeAt(NOW.minusNanos(1))).isTrue();
        assertThat(lock.activeAt(NOW)).isFalse();
        assertThat(LockRules.remove(lock, NOW, false).changes()).containsExactly(LockChange.REMOVE);
        assertThat(catchThrowableOfType(LockViolation.class, () -> LockRules.remove(lock, NOW.minusNanos(1), true)).kind())
                .isEqualTo(LockViolation.Kind.FORBIDDEN);
    }

    @Test
    void unchangedLockIsNoChange() {
        RetentionLock lock = State.RUNNING.lock(LockMode.COMPLIANCE);

        LockDecision d = LockRules.check(lock, lock, NOW, false);
        assertThat(d.changed()).isFalse();
        assertThat(LockRules.check(null, null, NOW, false).changed()).isFalse();
    }

    @Test
    void operationsOnAMissingLockAreProgrammingErrors() {
        assertThatThrownBy(() -> LockRules.remove(null, NOW, true)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> LockRules.releaseLegalHold(null, NOW, true)).isInstanceOf(NullPointerException.class);
    }

    // ---- names shared with the key plane ----

    @Test
    void approvalActionsAreTheKeyPlaneStrings() {
        assertThat(LockRules.APPROVAL_SHORTEN).isEqualTo("retention.shorten").isEqualTo(ApprovalActions.RETENTION_SHORTEN);
        assertThat(LockRules.APPROVAL_REMOVE).isEqualTo("retention.remove").isEqualTo(ApprovalActions.RETENTION_REMOVE);
    }

    @Test
    void approvalTargetIsTheSnapshot() {
        assertThat(LockRules.approvalTarget("5f2c9a1e")).isEqualTo("snapshot:5f2c9a1e");
        assertThatThrownBy(() -> LockRules.approvalTarget("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockRules.approvalTarget("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockRules.approvalTarget("x".repeat(120))).isInstanceOf(IllegalArgumentException.class);
        assertThat(LockRules.approvalTarget("x".repeat(119))).hasSize(128);
    }
}
