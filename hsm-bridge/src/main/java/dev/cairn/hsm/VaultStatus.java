package dev.cairn.hsm;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the key plane: every key the token holds for Cairn, with the attributes the token
 * reports for it, and each tenant's rotation state and data keys. The JSON form of this record
 * ({@code cairn keys status --json}) is documented in docs/keys.md.
 *
 * @param token     which token, as "token 'label' (module) slot N"
 * @param healthy   false once the token was lost; then {@code failure} says why
 * @param failure   null when healthy
 * @param checkedAt when this was read (the vault's Clock)
 * @param keys      every Cairn key in the token
 * @param tenants   per tenant: rotation and data keys
 * @param recoveryKit the recovery kit, or null when none was created
 */
public record VaultStatus(String token, boolean healthy, String failure, Instant checkedAt, List<TokenKey> keys,
                          List<Tenant> tenants, RecoveryKit recoveryKit) {

    /**
     * One key object in the token, as the token describes it (C_GetAttributeValue).
     *
     * @param label            CKA_LABEL (or the key pair's alias)
     * @param kind             "kek", "transport", "audit", "ca" or "approval"
     * @param tenant           for KEKs, the tenant; else null
     * @param generation       for KEKs, the generation; else 1
     * @param state            for KEKs, the state the token enforces; else null
     * @param origin           "generated" (inside the token) or "imported" (BYOK)
     * @param sensitive        CKA_SENSITIVE
     * @param extractable      CKA_EXTRACTABLE
     * @param alwaysSensitive  CKA_ALWAYS_SENSITIVE
     * @param neverExtractable CKA_NEVER_EXTRACTABLE
     * @param local            CKA_LOCAL (generated inside the token)
     */
    public record TokenKey(String label, String kind, String tenant, int generation, KekState state, String origin,
                           boolean sensitive, boolean extractable, boolean alwaysSensitive, boolean neverExtractable,
                           boolean local) {
    }

    /**
     * @param rotationPeriod how often the KEK should rotate
     * @param lastRotation   when the active KEK generation was created
     * @param rotationDue    lastRotation + rotationPeriod
     * @param rotationOverdue true when checkedAt is past rotationDue
     * @param destroyed      true when the tenant's KEKs were destroyed (crypto-shredded)
     */
    public record Tenant(String tenant, Duration rotationPeriod, Instant lastRotation, Instant rotationDue,
                         boolean rotationOverdue, boolean destroyed, List<DataKeyInfo> dataKeys) {
    }

    /**
     * @param fingerprint      the keyed fingerprint, hex
     * @param kekGenerations   the KEK generations holding a record of this key
     * @param sealedForRecovery true when a record sealed to the current recovery kit exists
     * @param current          true for the version new writes use
     */
    public record DataKeyInfo(KeyPurpose purpose, int version, String fingerprint, List<Integer> kekGenerations,
                              boolean sealedForRecovery, boolean current) {
    }

    public record RecoveryKit(String kitId, int threshold, int shares, Instant created) {
    }

    /** ISO-8601 text of a period, in days when it is whole days ("P365D" rather than "PT8760H"). */
    public static String period(Duration d) {
        return d.toSeconds() % 86_400 == 0 ? "P" + d.toDays() + "D" : d.toString();
    }
}
