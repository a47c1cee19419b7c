package dev.cairn.mgmt.identity;

import dev.cairn.hsm.testing.TestClock;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.cairn.mgmt.auth.Argon2Params;
import dev.cairn.mgmt.auth.PasswordHasher;

/** Shared test set-up: a mutable clock, a random AES key, cheap Argon2id parameters. */
final class Fixture {
    static final char[] GOOD = "correct horse battery staple".toCharArray();
    static final Argon2Params CHEAP = new Argon2Params(64, 1, 1, 16, 32);

    final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    final SecureRandom random = new SecureRandom();
    final SecretKey key = aesKey();
    final Sealer sealer = Sealer.aesGcm(key, random);
    final PasswordHasher hasher = new PasswordHasher(CHEAP, random);
    final Path dir;

    Fixture(Path tmp) {
        this.dir = tmp.resolve("identity");
    }

    UserStore store() {
        return UserStore.open(dir, sealer, clock, random, hasher);
    }

    static SecretKey aesKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256);
            return g.generateKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 6238 code (SHA1, 6 digits, 30 s) computed here, independently of TotpVerifier. */
    static String totp(byte[] secret, Instant at) {
        try {
            long step = at.getEpochSecond() / 30;
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] h = mac.doFinal(java.nio.ByteBuffer.allocate(8).putLong(step).array());
            int o = h[h.length - 1] & 0xf;
            int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", bin % 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
