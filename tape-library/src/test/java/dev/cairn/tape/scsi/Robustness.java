package dev.cairn.tape.scsi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The robustness contract every decoder in this package passes: for truncated input (every prefix of
 * a real-looking sample), for null, and for a seeded random fuzz of {@value #FUZZ_INPUTS} inputs, the
 * decoder either returns a value or throws {@link ScsiDecodeException}; nothing else ever escapes.
 */
final class Robustness {
    static final int FUZZ_INPUTS = 10_000;

    private Robustness() {
    }

    /** Truncation at every length, null, and the fuzz; {@code consistent} compares a decoded prefix with the full decode. */
    static <T> void check(String name, Function<byte[], T> parser, List<byte[]> samples, long seed, BiConsumer<T, T> consistent) {
        assertThatThrownBy(() -> parser.apply(null)).as(name + " of null").isInstanceOf(ScsiDecodeException.class);
        for (byte[] sample : samples) {
            T full = parser.apply(sample);
            for (int length = 0; length < sample.length; length++) {
                byte[] prefix = Arrays.copyOf(sample, length);
                T partial = decode(name + " truncated to " + length + " of " + sample.length, parser, prefix);
                if (partial != null && consistent != null) {
                    consistent.accept(full, partial);
                }
            }
        }
        int decoded = fuzz(name, parser, samples, seed);
        // the mutations must reach past the first header checks, or the fuzz proves little
        assertThat(decoded).as(name + ": fuzz inputs that decoded").isPositive();
    }

    static <T> void check(String name, Function<byte[], T> parser, List<byte[]> samples, long seed) {
        check(name, parser, samples, seed, null);
    }

    /** Seeded fuzz: one third random bytes, two thirds mutated samples. Returns how many decoded. */
    static <T> int fuzz(String name, Function<byte[], T> parser, List<byte[]> samples, long seed) {
        Random random = new Random(seed);
        int decoded = 0;
        for (int i = 0; i < FUZZ_INPUTS; i++) {
            byte[] input;
            if (i % 3 == 0) {
                input = new byte[random.nextInt(300)];
                random.nextBytes(input);
            } else {
                input = mutate(samples.get(random.nextInt(samples.size())), random);
            }
            if (decode(name + " fuzz input " + i + " (seed " + seed + ")", parser, input) != null) {
                decoded++;
            }
        }
        return decoded;
    }

    private static byte[] mutate(byte[] sample, Random random) {
        byte[] b = sample.clone();
        switch (random.nextInt(4)) {
            case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));                // truncate
            case 1 -> {                                                                   // extend with noise
                int old = b.length;
                b = Arrays.copyOf(b, old + 1 + random.nextInt(64));
                for (int j = old; j < b.length; j++) {
                    b[j] = (byte) random.nextInt(256);
                }
            }
            default -> { }
        }
        int flips = b.length == 0 ? 0 : 1 + random.nextInt(4);                           // flip a few bytes
        for (int j = 0; j < flips; j++) {
            int at = random.nextInt(b.length);
            b[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (b[at] ^ (1 << random.nextInt(8)));
        }
        return b;
    }

    private static <T> T decode(String what, Function<byte[], T> parser, byte[] input) {
        try {
            T value = parser.apply(input);
            if (value == null) {
                fail(what + ": decoded to null");
            }
            return value;
        } catch (ScsiDecodeException expected) {
            assertThat(expected.getMessage()).as(what + ": message names the structure").startsWith(expected.structure());
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e + " escaped instead of ScsiDecodeException for "
                    + java.util.HexFormat.of().formatHex(input), e);
        }
    }
}
