package dev.cairn.hsm.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShamirTest {
    private static final int SUBSET_LIMIT = 40_000;
    private static final int SAMPLED_SUBSETS = 2_000;

    @ParameterizedTest(name = "{0} shares, threshold {1}")
    @CsvSource({"2,2", "3,2", "5,3", "7,7", "255,2", "255,128"})
    void everyThresholdSubsetRebuildsTheSecret(int n, int m) {
        SecureRandom random = TestRandoms.seeded(1000L * n + m);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        List<Shamir.Share> shares = Shamir.split(secret, n, m, random);
        assertThat(shares).extracting(Shamir.Share::x).containsExactlyElementsOf(range(1, n));

        int[] checked = {0};
        forSubsets(n, m, random, subset -> {
            assertThat(Shamir.combine(pick(shares, subset))).as("subset %s", subset).isEqualTo(secret);
            checked[0]++;
        });
        assertThat(checked[0]).isPositive();
        assertThat(Shamir.combine(shares)).as("all shares").isEqualTo(secret);
    }

    @ParameterizedTest(name = "{0} shares, threshold {1}")
    @CsvSource({"3,3", "5,3", "7,7", "255,2", "255,128"})
    void oneShareTooFewNeverRebuildsTheSecret(int n, int m) {
        SecureRandom random = TestRandoms.seeded(7L * n + m);
        for (int trial = 0; trial < 50; trial++) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            List<Shamir.Share> shares = Shamir.split(secret, n, m, random);
            List<Integer> xs = new ArrayList<>(range(1, n));
            Collections.shuffle(xs, random);
            List<Integer> subset = xs.subList(0, m - 1);
            if (m - 1 < 2) {
                assertThatThrownBy(() -> Shamir.combine(pick(shares, subset)))
                        .isInstanceOf(IllegalArgumentException.class);
            } else {
                assertThat(Shamir.combine(pick(shares, subset))).as("trial %d, subset %s", trial, subset)
                        .isNotEqualTo(secret);
            }
        }
    }

    @Test
    void thresholdTwoWithOneShareIsRejectedNotGuessed() {
        List<Shamir.Share> shares = Shamir.split(new byte[] {42}, 2, 2, TestRandoms.seeded(1));
        assertThatThrownBy(() -> Shamir.combine(shares.subList(0, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 shares");
    }

    /** Golden: p(x) = 0x01 + 0x02·x, so p(1) = 0x03, p(2) = 0x01 + 0x04 = 0x05, p(3) = 0x01 + 0x06 = 0x07. */
    @Test
    void goldenSplitOfOneByte() {
        TestRandoms.Fixed random = new TestRandoms.Fixed("02");
        List<Shamir.Share> shares = Shamir.split(new byte[] {0x01}, 3, 2, random);
        assertThat(random.exhausted()).isTrue();
        assertThat(shares).containsExactly(
                new Shamir.Share(1, new byte[] {0x03}),
                new Shamir.Share(2, new byte[] {0x05}),
                new Shamir.Share(3, new byte[] {0x07}));
    }

    /** Golden: threshold 3, secret bytes 0x53 0xCA, coefficients (0x11, 0x22) then (0x33, 0x44); x = 1..4. */
    @Test
    void goldenSplitOfTwoBytesThresholdThree() {
        TestRandoms.Fixed random = new TestRandoms.Fixed("11223344");
        List<Shamir.Share> shares = Shamir.split(new byte[] {0x53, (byte) 0xCA}, 4, 3, random);
        assertThat(random.exhausted()).isTrue();
        // p0(x) = 53 + 11x + 22x^2, p1(x) = CA + 33x + 44x^2, evaluated with mul() checked against FIPS-197 below.
        for (Shamir.Share s : shares) {
            int x = s.x();
            int x2 = Shamir.mul(x, x);
            int p0 = 0x53 ^ Shamir.mul(0x11, x) ^ Shamir.mul(0x22, x2);
            int p1 = 0xCA ^ Shamir.mul(0x33, x) ^ Shamir.mul(0x44, x2);
            assertThat(s.y()).as("x=%d", x).containsExactly((byte) p0, (byte) p1);
        }
        assertThat(shares).extracting(s -> HexFormat.of().formatHex(s.y()))
                .containsExactly("60bd", "f9a7", "cad0", "012a");
        assertThat(Shamir.combine(List.of(shares.get(3), shares.get(0), shares.get(2))))
                .containsExactly(0x53, 0xCA);
    }

    @Test
    void gfMultiplyMatchesFips197() {
        assertThat(Shamir.mul(0x57, 0x83)).isEqualTo(0xC1);
        assertThat(Shamir.mul(0x57, 0x13)).isEqualTo(0xFE);
        assertThat(Shamir.mul(0x57, 0x02)).isEqualTo(0xAE);
        assertThat(Shamir.mul(0x57, 0x04)).isEqualTo(0x47);
        assertThat(Shamir.mul(0x57, 0x08)).isEqualTo(0x8E);
        assertThat(Shamir.mul(0x57, 0x10)).isEqualTo(0x07);
        assertThat(Shamir.mul(0x53, 0xCA)).as("FIPS-197 §4.2: {53} and {CA} are inverses").isEqualTo(0x01);
    }

    @Test
    void gfFieldLaws() {
        for (int a = 0; a < 256; a++) {
            assertThat(Shamir.mul(a, 0)).isZero();
            assertThat(Shamir.mul(a, 1)).isEqualTo(a);
            for (int b = 0; b < 256; b++) {
                int ab = Shamir.mul(a, b);
                assertThat(ab).isBetween(0, 255).isEqualTo(Shamir.mul(b, a));
                // distributive over XOR with a fixed third element
                assertThat(Shamir.mul(a, b ^ 0x1B)).isEqualTo(ab ^ Shamir.mul(a, 0x1B));
            }
        }
    }

    @Test
    void everyNonzeroElementHasAnInverse() {
        assertThat(Shamir.inverse(1)).isEqualTo(1);
        for (int a = 1; a < 256; a++) {
            int inv = Shamir.inverse(a);
            assertThat(Shamir.mul(a, inv)).as("a=%02x", a).isEqualTo(1);
            assertThat(Shamir.inverse(inv)).isEqualTo(a);
        }
    }

    @Test
    void splitRejectsInvalidArguments() {
        SecureRandom random = TestRandoms.seeded(3);
        byte[] secret = {1, 2, 3};
        assertThatThrownBy(() -> Shamir.split(new byte[0], 3, 2, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Shamir.split(secret, 3, 1, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold must be at least 2");
        assertThatThrownBy(() -> Shamir.split(secret, 2, 3, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least the threshold");
        assertThatThrownBy(() -> Shamir.split(secret, 256, 2, random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 255");
        assertThatThrownBy(() -> Shamir.split(null, 3, 2, random)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Shamir.split(secret, 3, 2, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void combineRejectsInvalidShares() {
        byte[] y = {1, 2};
        assertThatThrownBy(() -> Shamir.combine(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Shamir.combine(List.of(new Shamir.Share(1, y))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Shamir.combine(List.of(new Shamir.Share(4, y), new Shamir.Share(4, y))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x=4 appears more than once");
        assertThatThrownBy(() -> Shamir.combine(List.of(new Shamir.Share(1, y), new Shamir.Share(2, new byte[3]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("differ in length");
        assertThatThrownBy(() -> new Shamir.Share(0, y))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..255");
        assertThatThrownBy(() -> new Shamir.Share(256, y))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..255");
        assertThatThrownBy(() -> new Shamir.Share(1, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void shareIsImmutableAndDoesNotPrintItsBytes() {
        byte[] y = {(byte) 0xAB, (byte) 0xCD};
        Shamir.Share share = new Shamir.Share(9, y);
        y[0] = 0;
        share.y()[1] = 0;
        assertThat(share.y()).containsExactly(0xAB, 0xCD);
        assertThat(share).isEqualTo(new Shamir.Share(9, new byte[] {(byte) 0xAB, (byte) 0xCD}))
                .hasSameHashCodeAs(new Shamir.Share(9, new byte[] {(byte) 0xAB, (byte) 0xCD}));
        assertThat(share.toString()).isEqualTo("Share[x=9, 2 bytes]").doesNotContainIgnoringCase("ab");
    }

    // ---- helpers

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<Shamir.Share> pick(List<Shamir.Share> shares, List<Integer> xs) {
        List<Shamir.Share> out = new ArrayList<>();
        for (int x : xs) {
            out.add(shares.get(x - 1));
        }
        return out;
    }

    /** Every m-subset of 1..n when there are at most SUBSET_LIMIT, else SAMPLED_SUBSETS seeded random ones. */
    private static void forSubsets(int n, int m, SecureRandom random, Consumer<List<Integer>> action) {
        if (binomial(n, m) <= SUBSET_LIMIT) {
            combinations(1, n, m, new ArrayList<>(), action);
        } else {
            List<Integer> xs = range(1, n);
            for (int i = 0; i < SAMPLED_SUBSETS; i++) {
                Collections.shuffle(xs, random);
                action.accept(List.copyOf(xs.subList(0, m)));
            }
        }
    }

    private static void combinations(int next, int n, int m, List<Integer> prefix, Consumer<List<Integer>> action) {
        if (prefix.size() == m) {
            action.accept(List.copyOf(prefix));
            return;
        }
        for (int x = next; x <= n - (m - prefix.size()) + 1; x++) {
            prefix.add(x);
            combinations(x + 1, n, m, prefix, action);
            prefix.removeLast();
        }
    }

    private static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
