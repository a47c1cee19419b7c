package dev.cairn.engine.crypto;

import dev.cairn.hsm.DataKey;
import dev.cairn.hsm.KeyPurpose;
import dev.cairn.hsm.KeyVault;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One tenant's keys while the repository uses them: the current data key (for writing), older data
 * key versions as readers need them, and the dedupe key that names chunks. Keys come from the key plane
 * and are zeroed on {@link #close()}. Thread safe.
 */
public final class TenantKeys implements AutoCloseable {
    private final String tenant;
    private final KeyVault vault;
    private final DataKey currentData;
    private final DataKey dedupe;
    private final Map<Integer, DataKey> dataVersions = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> macs;

    public TenantKeys(String tenant, KeyVault vault) {
        this.tenant = tenant;
        this.vault = vault;
        this.currentData = vault.dataKey(tenant, KeyPurpose.DATA);
        this.dedupe = vault.dataKey(tenant, KeyPurpose.DEDUPE);
        dataVersions.put(currentData.version(), currentData);
        byte[] dk = dedupe.bytes();
        SecretKeySpec hmacKey = new SecretKeySpec(dk, "HmacSHA256");
        Arrays.fill(dk, (byte) 0);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(hmacKey);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        });
    }

    public String tenant() {
        return tenant;
    }

    /** The data key version new packs and snapshots are written with. */
    public int currentVersion() {
        return currentData.version();
    }

    /** Blob id: HMAC-SHA-256 under the dedupe key of the plaintext (docs/formats/repository.md 3.3). */
    public byte[] blobId(byte[] buf, int off, int len) {
        Mac m = macs.get();
        m.update(buf, off, len);
        return m.doFinal();
    }

    /** HKDF-SHA-256 of the data key {@code version} with {@code salt} and {@code info}: an AES-256 key. */
    public SecretKey derive(int version, byte[] salt, String info) {
        DataKey k = dataVersions.computeIfAbsent(version, v -> vault.dataKey(tenant, KeyPurpose.DATA, v));
        byte[] ikm = k.bytes();
        try {
            return hkdf(ikm, salt, info.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /** HKDF-SHA-256 (RFC 5869), extract then expand to 32 bytes, as an AES key. */
    public static SecretKey hkdf(byte[] ikm, byte[] salt, byte[] info) {
        try {
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveKey("AES", HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt).thenExpand(info, 32));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable", e);
        }
    }

    @Override
    public void close() {
        dataVersions.values().forEach(DataKey::close);
        dedupe.close();
    }
}
