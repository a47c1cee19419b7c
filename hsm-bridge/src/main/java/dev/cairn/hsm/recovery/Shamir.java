package dev.cairn.hsm.recovery;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Shamir's secret sharing, byte-wise over GF(2^8). Spec: {@code docs/formats/recovery-share.md} §3
 * "Secret sharing over GF(2^8)".
 *
 * <p><b>Field.</b> GF(2^8) as polynomials over GF(2) modulo the AES polynomial
 * x^8 + x^4 + x^3 + x + 1 (0x11B). Addition is XOR; multiplication is carry-less multiplication reduced by
 * 0x11B (so {57}·{83} = {C1}, as in FIPS-197 §4.2); the inverse of a nonzero a is a^254. Both are computed
 * without tables or secret-dependent branches.
 *
 * <p><b>Split.</b> For each secret byte j an independent polynomial
 * p_j(x) = s_j + c_{j,1}·x + ... + c_{j,t-1}·x^(t-1) with uniformly random coefficients (the top coefficient
 * may be zero); share i (x = 1..n) holds y[j] = p_j(i). <b>Combine.</b> Lagrange interpolation at x = 0:
 * s_j = Σ_i y_i[j] · Π_{k≠i} x_k / (x_k + x_i). Combine cannot know the threshold: fewer than t shares give
 * a wrong value, not an error, so callers must verify the result (the recovery kit checks its kit id).
 *
 * <p>Stateless and thread safe. Secret intermediates (coefficients, copies of y) are zeroed after use.
 */
public final class Shamir {
    /** The AES reduction polynomial x^8 + x^4 + x^3 + x + 1. Part of the frozen share format. */
    static final int REDUCTION_POLYNOMIAL = 0x11B;
    /** The largest number of shares: x is one nonzero byte. */
    public static final int MAX_SHARES = 255;

    private Shamir() {}

    /**
     * One share: the evaluation point {@code x} (1..255) and one byte of p_j(x) per secret byte. The array is
     * copied in and out, so a share is immutable; {@link #toString()} never shows {@code y}.
     */
    public record Share(int x, byte[] y) {
        public Share {
            if (x < 1 || x > MAX_SHARES) {
                throw new IllegalArgumentException("share x must be 1..255, got " + x);
            }
            Objects.requireNonNull(y, "y");
            if (y.length == 0) {
                throw new IllegalArgumentException("share y must not be empty");
            }
            y = y.clone();
        }

        /** A copy of the share's bytes; the caller may zero it. */
        @Override
        public byte[] y() {
            return y.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Share s && s.x == x && MessageDigest.isEqual(s.y, y);
        }

        @Override
        public int hashCode() {
            return 31 * x + Arrays.hashCode(y);
        }

        @Override
        public String toString() {
            return "Share[x=" + x + ", " + y.length + " bytes]";
        }
    }

    /**
     * Splits {@code secret} into {@code shares} shares, any {@code threshold} of which rebuild it.
     *
     * @param random source of the polynomial coefficients; read as, for each secret byte in order,
     *               {@code threshold - 1} bytes c_1..c_{t-1}
     * @return shares with x = 1..shares, in that order
     * @throws IllegalArgumentException if the secret is empty or not 2 <= threshold <= shares <= 255
     */
    public static List<Share> split(byte[] secret, int shares, int threshold, SecureRandom random) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(random, "random");
        if (secret.length == 0) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if (threshold < 2) {
            throw new IllegalArgumentException("threshold must be at least 2, got " + threshold);
        }
        if (shares < threshold) {
            throw new IllegalArgumentException(
                    "share count must be at least the threshold: " + shares + " shares, threshold " + threshold);
        }
        if (shares > MAX_SHARES) {
            throw new IllegalArgumentException("share count must be at most 255, got " + shares);
        }

        byte[][] ys = new byte[shares][secret.length];
        byte[] coefficients = new byte[threshold]; // coefficients[0] = secret byte, [1..t-1] random
        byte[] random1 = new byte[threshold - 1];
        try {
            for (int j = 0; j < secret.length; j++) {
                random.nextBytes(random1);
                coefficients[0] = secret[j];
                System.arraycopy(random1, 0, coefficients, 1, threshold - 1);
                for (int i = 0; i < shares; i++) {
                    ys[i][j] = (byte) evaluate(coefficients, i + 1);
                }
            }
            List<Share> out = new ArrayList<>(shares);
            for (int i = 0; i < shares; i++) {
                out.add(new Share(i + 1, ys[i]));
            }
            return List.copyOf(out);
        } finally {
            Arrays.fill(coefficients, (byte) 0);
            Arrays.fill(random1, (byte) 0);
            for (byte[] y : ys) {
                Arrays.fill(y, (byte) 0);
            }
        }
    }

    /**
     * Rebuilds the secret from shares by interpolation at x = 0. With fewer shares than the threshold used at
     * split time the result is a wrong value, not an error: verify it.
     *
     * @throws IllegalArgumentException with fewer than 2 shares, a repeated or zero x, or shares of differing
     *                                  lengths
     */
    public static byte[] combine(List<Share> shares) {
        Objects.requireNonNull(shares, "shares");
        if (shares.size() < 2) {
            throw new IllegalArgumentException("need at least 2 shares to combine, got " + shares.size());
        }
        int k = shares.size();
        int[] xs = new int[k];
        Set<Integer> seen = new HashSet<>();
        int length = -1;
        byte[][] ys = new byte[k][];
        byte[] secret = null;
        try {
            for (int i = 0; i < k; i++) {
                Share s = Objects.requireNonNull(shares.get(i), "share");
                if (s.x() == 0) {
                    throw new IllegalArgumentException("share x must not be 0");
                }
                if (!seen.add(s.x())) {
                    throw new IllegalArgumentException("share x=" + s.x() + " appears more than once");
                }
                xs[i] = s.x();
                ys[i] = s.y();
                if (length == -1) {
                    length = ys[i].length;
                } else if (ys[i].length != length) {
                    throw new IllegalArgumentException("shares differ in length: " + length + " and " + ys[i].length);
                }
            }
            secret = new byte[length];
            for (int i = 0; i < k; i++) {
                // Lagrange basis polynomial of point i evaluated at 0: Π_{m≠i} x_m / (x_m - x_i); minus is XOR.
                int numerator = 1;
                int denominator = 1;
                for (int m = 0; m < k; m++) {
                    if (m != i) {
                        numerator = mul(numerator, xs[m]);
                        denominator = mul(denominator, xs[m] ^ xs[i]);
                    }
                }
                int basis = mul(numerator, inverse(denominator));
                for (int j = 0; j < length; j++) {
                    secret[j] ^= (byte) mul(ys[i][j] & 0xFF, basis);
                }
            }
            byte[] result = secret;
            secret = null;
            return result;
        } finally {
            for (byte[] y : ys) {
                if (y != null) {
                    Arrays.fill(y, (byte) 0);
                }
            }
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    /** Horner evaluation of Σ coefficients[i]·x^i in GF(2^8). */
    private static int evaluate(byte[] coefficients, int x) {
        int acc = 0;
        for (int i = coefficients.length - 1; i >= 0; i--) {
            acc = mul(acc, x) ^ (coefficients[i] & 0xFF);
        }
        return acc;
    }

    /** Product in GF(2^8) mod 0x11B; a and b are 0..255. No tables, no branches on the operands. */
    static int mul(int a, int b) {
        int product = 0;
        for (int bit = 0; bit < 8; bit++) {
            product ^= a & -(b & 1);
            b >>>= 1;
            a = (a << 1) ^ (REDUCTION_POLYNOMIAL & -((a >>> 7) & 1));
        }
        return product & 0xFF;
    }

    /** Multiplicative inverse in GF(2^8): a^254 (so 0 maps to 0, which callers never pass). */
    static int inverse(int a) {
        // a^254 = a^(2+4+8+16+32+64+128)
        int square = mul(a, a);
        int result = 1;
        for (int bit = 1; bit < 8; bit++) {
            result = mul(result, square);
            square = mul(square, square);
        }
        return result;
    }
}
