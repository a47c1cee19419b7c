package dev.cairn.hsm.recovery;

import java.io.Serial;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Deterministic random sources for tests: golden vectors must not depend on the machine's entropy. */
final class TestRandoms {
    private TestRandoms() {}

    /** A SHA1PRNG seeded before first use, which makes its output a pure function of the seed. */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG", "SUN");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException | java.security.NoSuchProviderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hands out the given bytes in order, then fails: pins exactly what a golden vector consumes. */
    static final class Fixed extends SecureRandom {
        @Serial
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private int position;

        Fixed(String hex) {
            this.bytes = HexFormat.of().parseHex(hex);
        }

        @Override
        public void nextBytes(byte[] out) {
            if (position + out.length > bytes.length) {
                throw new IllegalStateException("fixed random exhausted: wanted " + out.length + " more bytes at "
                        + position + " of " + bytes.length);
            }
            System.arraycopy(bytes, position, out, 0, out.length);
            position += out.length;
        }

        int consumed() {
            return position;
        }

        boolean exhausted() {
            return position == bytes.length;
        }
    }
}
