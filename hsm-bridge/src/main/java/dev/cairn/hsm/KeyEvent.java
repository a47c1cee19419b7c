package dev.cairn.hsm;

import java.time.Instant;

/**
 * One key plane operation, for the audit trail (ENC-7). Carries names and numbers only: never key
 * material, PINs or PHI.
 *
 * @param time       from the vault's injected Clock
 * @param operation  what was attempted
 * @param tenant     the tenant, or null for token-wide operations (transport key, audit, CA and approval keys, recovery kit)
 * @param keyLabel   the token label or record involved, or null
 * @param generation the KEK generation or data key version involved, or 0
 * @param outcome    how it ended
 * @param detail     a short reason or summary (for example the error class), or empty
 */
public record KeyEvent(Instant time, Operation operation, String tenant, String keyLabel, int generation,
                       Outcome outcome, String detail) {

    public enum Operation {
        CREATE_KEK, CREATE_DATA_KEY, UNWRAP_DATA_KEY, ROLL_FORWARD, ROTATE, RETIRE_KEK, IMPORT_KEK,
        DISABLE_KEK, ENABLE_KEK, DESTROY_KEK, CREATE_TRANSPORT_KEY, CREATE_RECOVERY_KIT, SEAL_FOR_RECOVERY,
        RESTORE_TENANT, CREATE_AUDIT_KEY, SIGN, SET_ROTATION_PERIOD, TOKEN_LOST, CREATE_CA_KEY, CREATE_APPROVAL_KEY
    }

    public enum Outcome {
        SUCCESS,
        /** Refused before anything changed (no authorization, wrong state). */
        DENIED,
        /** Attempted and failed. */
        FAILURE
    }
}
