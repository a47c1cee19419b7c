package dev.cairn.engine.backup;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JDK's AES-GCM and HMAC-SHA-256 code JIT-compiled before a backup or restore needs it. The
 * JDK reaches its AES/GHASH/SHA intrinsics (AES-NI, VAES, CLMUL, SHA-NI) only from C2-compiled callers,
 * and C2 compiles a method after some thousands of calls: a short-lived process that makes one call per
 * blob ran GCM at about 220 MB/s for its first thousands of blobs instead of several GB/s (measured:
 * 75 MiB in 64 KiB blobs took 358 ms to encrypt and 376 ms to decrypt cold, 19 ms and 50 ms after a
 * warm-up like this one, which costs about 0.2 s of one core, on a background thread). Uses a random
 * throwaway key and zeros; touches no tenant key. Idempotent per process.
 */
public final class CryptoWarmup {
    /** Calls per operation: above HotSpot's tier-4 invocation threshold (5000 with tiered compilation) for the callers. */
    static final int ROUNDS = 6000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private CryptoWarmup() {
    }

    /** What the process is about to do, which decides the paths warmed up. */
    public enum Use {
        /** Encrypting blobs of up to 128 KiB per call (PackWriter's slices), decrypting trees, HMAC of any chunk. */
        BACKUP,
        /** Also decrypting whole blobs of megabytes in one call (Repository.readBlob). */
        RESTORE
    }

    /** Starts the warm-up on a daemon thread, once per process; returns at once. */
    public static void start(Use use) {
        if (STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().name("crypto-warmup").daemon().start(() -> run(use));
        }
    }

    /**
     * Rounds that also decrypt a 1.5 MiB blob in one call (restore only): so that the branch for blobs
     * above GCM's 1 MiB split is seen taken while compiling. A branch never taken in warm-up becomes a
     * trap that sends the first big blob back to the interpreter. The other rounds use 512 bytes, GCM's
     * smallest parallel block, which is enough to compile every call on the way: warm-up is about calls,
     * not bytes, and bytes before compilation are slow (about 0.2 s of CPU here for the whole warm-up).
     */
    static boolean big(int i) {
        return i % 500 == 0;
    }

    static void run(Use use) {
        try {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            SecretKeySpec aes = new SecretKeySpec(k, "AES");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] plain = new byte[use == Use.RESTORE ? 3 << 19 : 1024];
            byte[] sealed = new byte[plain.length + 16];
            byte[] aad = new byte[70];
            byte[] nonce = new byte[12];
            byte[] hmacInput = new byte[128 << 10];
            for (int i = 0; i < ROUNDS; i++) {
                setCounter(nonce, 2L * i);
                c.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
                c.updateAAD(aad);
                int n = c.update(plain, 0, 512, sealed, 0); // PackWriter's path: update slices, then doFinal
                n += c.doFinal(plain, 512, 512, sealed, n);
                c.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
                c.updateAAD(aad);
                c.doFinal(sealed, 0, n, plain, 0); // Repository.readBlob's path: one doFinal
                if (use == Use.RESTORE && big(i)) {
                    setCounter(nonce, 2L * i + 1);
                    c.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
                    n = c.doFinal(plain, 0, plain.length, sealed, 0);
                    c.init(Cipher.DECRYPT_MODE, aes, new GCMParameterSpec(128, nonce));
                    c.doFinal(sealed, 0, n, plain, 0);
                }
                mac.update(plain, 0, 1024);
                if (i % 100 == 0) {
                    mac.update(hmacInput, 0, hmacInput.length); // chunk-sized input now and then, for the same reason as big()
                }
                mac.doFinal();
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            // only a warm-up: the real operations report their own errors
        }
    }

    /** Nonces never repeat under the throwaway key: a counter in the last 8 bytes. */
    private static void setCounter(byte[] nonce, long counter) {
        for (int b = 0; b < 8; b++) {
            nonce[11 - b] = (byte) (counter >>> (8 * b));
        }
    }
}
