package dev.cairn.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decoding rejects every malformed record with a WrappedKeyException and nothing else. */
class WrappedKeyTest {
    static final byte[] GOLDEN = HexFormat.of().parseHex(WrappedKeyGoldenTest.GOLDEN_SCHEME1);

    @Test
    void malformedRecordsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> WrappedKey.decode(Arrays.copyOf(GOLDEN, 20))).isInstanceOf(WrappedKeyException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> WrappedKey.decode(Arrays.copyOf(GOLDEN, GOLDEN.length - 1)))
                .isInstanceOf(WrappedKeyException.class).hasMessageContaining("116 bytes");
        assertThatThrownBy(() -> WrappedKey.decode(Arrays.copyOf(GOLDEN, GOLDEN.length + 1)))
                .isInstanceOf(WrappedKeyException.class);
        assertThatThrownBy(() -> WrappedKey.decode(with(0, (byte) 'X'))).hasMessageContaining("magic");
        assertThatThrownBy(() -> WrappedKey.decode(with(9, (byte) 2))).hasMessageContaining("format version 2");
        assertThatThrownBy(() -> WrappedKey.decode(with(10, (byte) 9))).hasMessageContaining("scheme 9");
        assertThatThrownBy(() -> WrappedKey.decode(with(11, (byte) 7))).hasMessageContaining("purpose");
        assertThatThrownBy(() -> WrappedKey.decode(with(15, (byte) 0))).hasMessageContaining("key version 0");
        assertThatThrownBy(() -> WrappedKey.decode(with(48, (byte) 0))).hasMessageContaining("tenant length");
        assertThatThrownBy(() -> WrappedKey.decode(with(49, (byte) 'A'))).hasMessageContaining("tenant");
    }

    @Test
    void randomDamageNeverEscapesAsAnotherException() {
        Random r = new Random(20261128);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = r.nextInt(4) == 0 ? Arrays.copyOf(GOLDEN, r.nextInt(GOLDEN.length + 8)) : GOLDEN.clone();
            for (int flips = 1 + r.nextInt(3); flips > 0 && b.length > 0; flips--) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                WrappedKey k = WrappedKey.decode(b);
                assertThat(k.encode()).isEqualTo(b); // whatever decodes re-encodes to the same bytes
            } catch (WrappedKeyException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void recoveryRecordsAreNamedByKit() {
        WrappedKey k = new WrappedKey(WrappedKey.Scheme.RECOVERY_SEAL, KeyPurpose.DEDUPE, 3, 0x0123456789abcdefL,
                WrappedKeyGoldenTest.CREATED, new byte[16], "clinic-a", new byte[92]);
        assertThat(k.fileName()).isEqualTo("dedupe-v3.recovery-0123456789abcdef.cwk");
        assertThat(WrappedKey.decode(k.encode())).isEqualTo(k);
        assertThat(k.toString()).doesNotContain("0000000000000000000000000000000000");
    }

    private static byte[] with(int offset, byte value) {
        byte[] b = GOLDEN.clone();
        b[offset] = value;
        return b;
    }
}
