package dev.cairn.hsm.recovery;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The recovery key pair: an X25519 (RFC 7748) key pair whose private half exists only at set-up (to be split
 * into shares) and during recovery (rebuilt from shares). Spec: {@code docs/formats/recovery-share.md}
 * §2 "Recovery key pair and kit id" and §7 "Sealed data key".
 *
 * <p>Close it as soon as the sealed keys are opened: {@link #close()} zeroes the private scalar, after which
 * every method except {@code close} and {@code toString} throws {@link IllegalStateException}. Methods are
 * synchronized, so a close never races an agreement in progress. {@link #toString()} shows only the kit id.
 */
public final class RecoveryKeyPair implements AutoCloseable {
    /** X25519 scalar and point length (RFC 7748). */
    public static final int KEY_LENGTH = 32;
    /** Kit id = the first 8 bytes of SHA-256(public key). Frozen: printed on every share sheet. */
    public static final int KIT_ID_LENGTH = 8;

    private final byte[] privateScalar;
    private final byte[] publicKey;
    private boolean closed;

    private RecoveryKeyPair(byte[] privateScalar) {
        this.privateScalar = privateScalar;
        this.publicKey = new byte[KEY_LENGTH];
        X25519.generatePublicKey(privateScalar, 0, publicKey, 0);
    }

    /** A fresh key pair; the 32 private bytes are read from {@code random} in one call (then clamped). */
    public static RecoveryKeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] scalar = new byte[KEY_LENGTH];
        X25519.generatePrivateKey(random, scalar);
        return new RecoveryKeyPair(scalar);
    }

    /** The key pair of a 32-byte X25519 private scalar; the array is copied, the caller still owns (and zeroes) it. */
    public static RecoveryKeyPair fromPrivate(byte[] scalar32) {
        Objects.requireNonNull(scalar32, "scalar32");
        if (scalar32.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 private key is 32 bytes, got " + scalar32.length);
        }
        return new RecoveryKeyPair(scalar32.clone());
    }

    /** The 32-byte public key in RFC 7748 encoding (a copy). */
    public synchronized byte[] publicKey() {
        ensureOpen();
        return publicKey.clone();
    }

    /** The 8-byte kit id of this key pair (a copy). */
    public synchronized byte[] kitId() {
        ensureOpen();
        return kitIdOf(publicKey);
    }

    /** The kit id of a recovery public key: the first 8 bytes of SHA-256(publicKey). */
    public static byte[] kitIdOf(byte[] publicKey) {
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("an X25519 public key is 32 bytes, got " + publicKey.length);
        }
        return Arrays.copyOf(sha256(publicKey), KIT_ID_LENGTH);
    }

    /** A copy of the private scalar, for splitting into shares only. The caller must zero it. */
    public synchronized byte[] privateKeyForSplitting() {
        ensureOpen();
        return privateScalar.clone();
    }

    /**
     * X25519(private, peerPublic) into {@code out} (32 bytes).
     *
     * @return false if the result is all zero (the peer key is a low-order point); {@code out} is then zero
     */
    synchronized boolean agree(byte[] peerPublic, byte[] out) {
        ensureOpen();
        return X25519.calculateAgreement(privateScalar, 0, peerPublic, 0, out, 0);
    }

    /** Zeroes the private scalar. Idempotent. */
    @Override
    public synchronized void close() {
        Arrays.fill(privateScalar, (byte) 0);
        closed = true;
    }

    @Override
    public synchronized String toString() {
        return closed ? "RecoveryKeyPair[closed]"
                : "RecoveryKeyPair[kit=" + HexFormat.of().formatHex(kitIdOf(publicKey)) + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("recovery key pair is closed");
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
