package dev.cairn.hsm;

import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A tenant's plaintext data key, held only in memory. Close it when done: {@link #close()} zeroes the
 * bytes. It never prints its bytes; {@link #toString()} shows the tenant, purpose, version and
 * fingerprint. Not thread safe after close; safe to read from several threads before.
 *
 * <p>{@link #secretKey()} hands the JCE a {@link SecretKeySpec}, which keeps its own copy; JCE ciphers
 * also expand the key internally. Callers keep such objects short-lived.
 */
public final class DataKey implements AutoCloseable {
    public static final int LENGTH = 32;

    private final String tenant;
    private final KeyPurpose purpose;
    private final int version;
    private final byte[] key;
    private final byte[] fingerprint;
    private volatile boolean closed;

    /** Takes ownership of {@code key} (it is zeroed on close). */
    public DataKey(String tenant, KeyPurpose purpose, int version, byte[] key) {
        if (key.length != LENGTH) {
            throw new IllegalArgumentException("a data key has " + LENGTH + " bytes");
        }
        this.tenant = TenantId.check(tenant);
        this.purpose = purpose;
        this.version = version;
        this.key = key;
        this.fingerprint = KeyFingerprint.of(key);
    }

    public String tenant() {
        return tenant;
    }

    public KeyPurpose purpose() {
        return purpose;
    }

    public int version() {
        return version;
    }

    /** The keyed fingerprint (safe to show and log). */
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    /** A copy of the key bytes; the caller zeroes it. */
    public byte[] bytes() {
        ensureOpen();
        return key.clone();
    }

    /** The key for JCE use: AES for {@link KeyPurpose#DATA}, HmacSHA256 for {@link KeyPurpose#DEDUPE}. */
    public SecretKey secretKey() {
        ensureOpen();
        return new SecretKeySpec(key, purpose == KeyPurpose.DATA ? "AES" : "HmacSHA256");
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(key, (byte) 0);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("data key " + this + " was closed");
        }
    }

    @Override
    public String toString() {
        return tenant + "/" + purpose.fileName() + "/v" + version + " (fingerprint "
                + KeyFingerprint.hex(fingerprint) + ")";
    }
}
