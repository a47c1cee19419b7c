package dev.cairn.hsm;

import dev.cairn.hsm.approval.Authorization;
import dev.cairn.hsm.recovery.RecoveryShare;
import java.time.Duration;
import java.util.List;

/**
 * The key plane (docs/keys.md). Per tenant a KEK generated inside the HSM token wraps that tenant's data
 * keys; the token enforces KEK states; every operation emits a {@link KeyEvent}; the vault fails
 * closed when the token is missing or lost.
 *
 * <p>Implementations are thread safe. Reads (unwrapping data keys) run in parallel; changes are
 * serialised in the process and across processes sharing the state directory.
 */
public interface KeyVault extends AutoCloseable {
    Duration DEFAULT_ROTATION_PERIOD = Duration.ofDays(365);

    /** Which token this vault uses, for messages. */
    String token();

    /** True until the token is lost; a lost token never comes back in this process. */
    boolean healthy();

    void addListener(KeyEventListener listener);

    /** Tenants known to the token or the state directory, sorted. */
    List<String> tenants();

    /**
     * Creates KEK generation 1 for a new tenant and its first data keys (data and dedupe, version 1),
     * sealed to the recovery kit when there is one. Resumes an earlier attempt that crashed halfway.
     *
     * @throws KeyStateException when the tenant already has a KEK, or has records but no KEK in this token
     */
    void createKek(String tenant, Duration rotationPeriod);

    /** The current data key of {@code purpose} (the version new writes use). Close it when done. */
    DataKey dataKey(String tenant, KeyPurpose purpose);

    /** A given version of a data key, for reading data written with it. Close it when done. */
    DataKey dataKey(String tenant, KeyPurpose purpose, int version);

    /** Data-key roll-forward: a new version for new writes; old versions stay readable. Returns it. */
    int rollForward(String tenant, KeyPurpose purpose);

    /**
     * KEK rotation (ENC-4): creates generation n+1 in the token, re-wraps every data key of the tenant,
     * proves each unwraps to the same key, then retires generation n (decrypt only). Resumes a rotation
     * that crashed halfway.
     */
    RotationReport rotate(String tenant);

    void setRotationPeriod(String tenant, Duration period);

    /** The BYOK transport key (ENC-5), created in the token on first use. */
    TransportKey transportKey();

    /**
     * Imports a customer's AES-256 KEK wrapped to the transport key (raw RSA-OAEP ciphertext) as the
     * tenant's next KEK generation, inside the token; then re-wraps the tenant's data keys under it, or
     * creates them for a new tenant.
     */
    RotationReport importKek(String tenant, byte[] wrapped);

    /**
     * As {@link #importKek(String, byte[])}, and refuses (leaving nothing behind) when the imported key's
     * check value (hex of the first 8 bytes of AES-256-ECB(key, zero block)) is not
     * {@code expectedCheckValue}. This is also how a key of the wrong length is caught on tokens that do not
     * report CKA_VALUE_LEN for unwrapped keys (SoftHSM 2.6).
     */
    RotationReport importKek(String tenant, byte[] wrapped, String expectedCheckValue);

    /** ENC-6: stops every use of the tenant's KEKs until {@link #enableKek}; needs approval. */
    void disableKek(String tenant, Authorization authorization);

    /** Undoes {@link #disableKek}; needs approval. */
    void enableKek(String tenant, Authorization authorization);

    /**
     * ENC-6 crypto-shredding: destroys every KEK generation of the tenant in the token and deletes its
     * records, including those sealed to the recovery kit; the tenant's data can no longer be decrypted
     * here. Other tenants are untouched. Needs approval.
     */
    void destroyKek(String tenant, Authorization authorization);

    /**
     * ENC-9: creates a recovery key pair, seals every data key to its public key, and returns the M-of-N
     * shares of the private key, which is not kept anywhere. Replaces an earlier kit.
     */
    List<RecoveryShare> createRecoveryKit(int shares, int threshold);

    /** The records of {@code tenant} sealed to the current recovery kit, to keep beside its backups. */
    List<WrappedKey> recoveryRecords(String tenant);

    /**
     * On a new appliance after {@link dev.cairn.hsm.recovery.RecoveryKit#recover}: creates a KEK for
     * {@code tenant} in this token and wraps the recovered keys under it, keeping their versions.
     */
    void restoreTenant(String tenant, List<DataKey> keys, Duration rotationPeriod);

    /** The audit-signing key (EC P-256 in the token), created on first use. */
    AuditSigner auditSigner();

    /**
     * The appliance CA's signing key {@code cairn/ca/1} (EC P-256 in the token, sign only), created on
     * first use; it signs the CA certificate, the certificates it issues and its CRLs.
     */
    TokenSigner caSigner();

    /**
     * The approval authority's signing key {@code cairn/approval/1} (EC P-256 in the token, sign only),
     * created on first use; it signs approval records ({@link dev.cairn.hsm.approval.SignedApproval}).
     */
    TokenSigner approvalSigner();

    VaultStatus status();

    /** Logs out of the token and releases it. */
    @Override
    void close();
}
