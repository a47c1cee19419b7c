package dev.cairn.hsm.approval;

import java.time.Instant;

/**
 * Permission to perform one destructive action (see {@link ApprovalActions}) on one target, checked
 * by the component that performs it (key plane, storage engine) immediately before acting. The
 * performing component does not trust its caller: it asks the authorization, and acts only if
 * {@link #authorize} returns normally.
 *
 * <p>Implementations must be <b>side-effect free</b> (calling {@code authorize} twice, or calling it
 * and then not acting, changes nothing; in particular it does not consume the approval, see
 * {@code docs/formats/approval-record.md}, "Replay") and must <b>fail closed</b>: any doubt, any
 * unexpected exception, any unknown state is a refusal. They must be immutable and safe to call
 * from several threads.
 *
 * <p>The caller passes {@code now} from its injected {@link java.time.Clock}; implementations never
 * read the system clock themselves.
 */
public interface Authorization {

    /**
     * Returns normally if this authorization permits {@code action} on {@code target} at
     * {@code now}; throws otherwise.
     *
     * @param action one of the {@link ApprovalActions} strings
     * @param target what the action touches, for example {@code tenant:clinic-a} ({@link ApprovalActions#tenantTarget})
     * @param now    the current time from the caller's clock
     * @throws AuthorizationException when the action is not permitted; the message says which rule failed
     */
    void authorize(String action, String target, Instant now);

    /** An authorization that refuses everything with the message {@code no approval was given}. */
    static Authorization denyAll() {
        return (action, target, now) -> {
            throw new AuthorizationException("no approval was given");
        };
    }
}
