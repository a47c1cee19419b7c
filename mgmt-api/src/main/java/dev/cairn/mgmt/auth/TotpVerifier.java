package dev.cairn.mgmt.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TOTP verification (RFC 6238; docs/auth.md, section 4) with replay protection: {@link #verify} returns the time step
 * that matched, the caller stores it, and a code at or before that step is refused afterwards. Immutable and thread
 * safe. {@link #enrolled(Clock)} gives the enrolled parameters: HMAC-SHA1, 6 digits, 30 s, one step either side.
 */
public final class TotpVerifier {
    /** The {@code lastUsedStep} of an account that has not used a code yet. */
    public static final long NO_STEP_USED = -1;

    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private final TotpAlgorithm algorithm;
    private final int digits;
    private final long periodSeconds;
    private final int window;
    private final Clock clock;

    /**
     * A verifier with explicit parameters (the RFC 6238 vectors use 8 digits; enrollment uses {@link #enrolled}).
     *
     * @param algorithm the HMAC
     * @param digits    6 or 8
     * @param period    the step, whole seconds, at least 1 s
     * @param window    steps accepted either side of the current one, 0..2
     * @param clock     the time source
     */
    public TotpVerifier(TotpAlgorithm algorithm, int digits, Duration period, int window, Clock clock) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (digits != 6 && digits != 8) {
            throw new IllegalArgumentException("digits must be 6 or 8");
        }
        if (period.getSeconds() < 1 || period.getNano() != 0) {
            throw new IllegalArgumentException("period must be whole seconds, at least 1");
        }
        if (window < 0 || window > 2) {
            throw new IllegalArgumentException("window must be 0..2");
        }
        this.digits = digits;
        this.periodSeconds = period.getSeconds();
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The enrolled parameters: SHA1, 6 digits, 30 s, +-1 step. */
    public static TotpVerifier enrolled(Clock clock) {
        return new TotpVerifier(TotpAlgorithm.SHA1, 6, Duration.ofSeconds(30), 1, clock);
    }

    /**
     * Checks a code against the current step and {@code window} steps either side, refusing every step at or before
     * {@code lastUsedStep}. All candidates are computed and compared in constant time before the result is chosen.
     *
     * @return the matched step (store it as the new last used step), or empty when refused
     */
    public OptionalLong verify(TotpSecret secret, String code, long lastUsedStep) {
        Objects.requireNonNull(secret, "secret");
        if (code == null || code.length() != digits || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long epochSecond = clock.instant().getEpochSecond();
        if (epochSecond < 0) {
            return OptionalLong.empty(); // a clock before 1970 is broken: fail closed
        }
        long now = epochSecond / periodSeconds;
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long accepted = -1;
        for (long step = now - window; step <= now + window; step++) {
            if (step < 0) {
                continue;
            }
            boolean match = MessageDigest.isEqual(given, code(secret, step).getBytes(StandardCharsets.US_ASCII));
            if (match && step > lastUsedStep && step > accepted) {
                accepted = step;
            }
        }
        return accepted < 0 ? OptionalLong.empty() : OptionalLong.of(accepted);
    }

    /** The code of a step (RFC 4226 section 5.3, dynamic truncation), zero-padded to {@code digits}. */
    String code(TotpSecret secret, long step) {
        byte[] h;
        try {
            Mac mac = Mac.getInstance(algorithm.jcaName());
            mac.init(new SecretKeySpec(secret.keyForMac(), algorithm.jcaName()));
            byte[] counter = new byte[8];
            for (int i = 7; i >= 0; i--) {
                counter[i] = (byte) (step >>> (8 * (7 - i)));
            }
            h = mac.doFinal(counter);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm.jcaName(), e);
        }
        int offset = h[h.length - 1] & 0x0f;
        int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                | (h[offset + 3] & 0xff);
        String s = Integer.toString(binary % POW10[digits]);
        return "0".repeat(digits - s.length()) + s;
    }
}
