package dev.cairn.hsm.recovery;

import static dev.cairn.hsm.recovery.RecoveryKeyPairTest.ALICE_PRIVATE;
import static dev.cairn.hsm.recovery.RecoveryKeyPairTest.ALICE_PUBLIC;
import static dev.cairn.hsm.recovery.RecoveryKeyPairTest.BOB_PRIVATE;
import static dev.cairn.hsm.recovery.RecoveryKeyPairTest.BOB_PUBLIC;
import static dev.cairn.hsm.recovery.RecoveryKeyPairTest.SHARED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class RecoverySealTest {
    private static final HexFormat HEX = HexFormat.of();

    // ---- Golden vector (docs/formats/recovery-share.md, "Worked example: sealed key"). Recipient: RFC 7748 Bob;
    // ---- ephemeral private key: RFC 7748 Alice; so the shared secret is RFC 7748's. Cross-checked once against
    // ---- an independent implementation (Python cryptography 48: X25519, HKDF, AESGCM).
    static final String GOLDEN_NONCE = "000102030405060708090a0b";
    static final byte[] GOLDEN_HEADER = "golden-header".getBytes(StandardCharsets.US_ASCII);
    static final String GOLDEN_PLAINTEXT = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String GOLDEN_WRAPPING_KEY = "54c3c6c72694e07f6f3fb952c117a58624ad4594a0a84694236fb33fad6983e1";
    static final String GOLDEN_BODY = ALICE_PUBLIC + GOLDEN_NONCE
            + "7d062bd1585801ad1c668945711f63e139a698107db4d922b45c04ee07e70926" // ciphertext
            + "a24309e4700ebf057af8d40e076b33a4"; // tag

    @Test
    void goldenBody() {
        TestRandoms.Fixed random = new TestRandoms.Fixed(ALICE_PRIVATE + GOLDEN_NONCE);
        byte[] body = RecoverySeal.seal(HEX.parseHex(BOB_PUBLIC), GOLDEN_HEADER, HEX.parseHex(GOLDEN_PLAINTEXT), random);
        assertThat(random.exhausted()).as("seal reads exactly 32 + 12 random bytes").isTrue();
        assertThat(HEX.formatHex(body)).isEqualTo(GOLDEN_BODY);
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
            assertThat(HEX.formatHex(RecoverySeal.open(bob, GOLDEN_HEADER, body))).isEqualTo(GOLDEN_PLAINTEXT);
        }
    }

    @Test
    void goldenWrappingKey() throws Exception {
        byte[] key = RecoverySeal.deriveWrappingKey(HEX.parseHex(SHARED), HEX.parseHex(ALICE_PUBLIC), HEX.parseHex(BOB_PUBLIC));
        assertThat(HEX.formatHex(key)).isEqualTo(GOLDEN_WRAPPING_KEY);
    }

    @Test
    void frozenIdentifiers() {
        assertThat(RecoverySeal.KDF_INFO).isEqualTo("cairn/recovery-seal/v1");
        assertThat(RecoverySeal.BODY_LENGTH).isEqualTo(92);
    }

    @Test
    void roundTrip() {
        SecureRandom random = TestRandoms.seeded(11);
        try (RecoveryKeyPair kit = RecoveryKeyPair.generate(random)) {
            for (int i = 0; i < 20; i++) {
                byte[] dataKey = new byte[32];
                random.nextBytes(dataKey);
                byte[] header = ("record " + i).getBytes(StandardCharsets.US_ASCII);
                byte[] body = RecoverySeal.seal(kit.publicKey(), header, dataKey, random);
                assertThat(body).hasSize(RecoverySeal.BODY_LENGTH);
                assertThat(RecoverySeal.open(kit, header, body)).isEqualTo(dataKey);
            }
            byte[] body = RecoverySeal.seal(kit.publicKey(), new byte[0], new byte[32], random);
            assertThat(RecoverySeal.open(kit, new byte[0], body)).isEqualTo(new byte[32]);
        }
    }

    @Test
    void everyFlippedBitInBodyOrHeaderIsDetected() {
        byte[] body = HEX.parseHex(GOLDEN_BODY);
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
            for (int bit = 0; bit < body.length * 8; bit++) {
                byte[] damaged = body.clone();
                damaged[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThatThrownBy(() -> RecoverySeal.open(bob, GOLDEN_HEADER, damaged))
                        .as("body bit %d", bit)
                        .isInstanceOf(RecoverySealException.class)
                        .hasMessage(RecoverySeal.AUTH_FAILURE);
            }
            for (int bit = 0; bit < GOLDEN_HEADER.length * 8; bit++) {
                byte[] header = GOLDEN_HEADER.clone();
                header[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThatThrownBy(() -> RecoverySeal.open(bob, header, body))
                        .as("header bit %d", bit).isInstanceOf(RecoverySealException.class);
            }
            byte[] longer = Arrays.copyOf(GOLDEN_HEADER, GOLDEN_HEADER.length + 1);
            assertThatThrownBy(() -> RecoverySeal.open(bob, longer, body)).isInstanceOf(RecoverySealException.class);
        }
    }

    @Test
    void wrongRecoveryKeyFails() {
        byte[] body = HEX.parseHex(GOLDEN_BODY);
        try (RecoveryKeyPair other = RecoveryKeyPair.generate(TestRandoms.seeded(12))) {
            assertThatThrownBy(() -> RecoverySeal.open(other, GOLDEN_HEADER, body))
                    .isInstanceOf(RecoverySealException.class)
                    .hasMessageContaining("wrong kit, wrong shares, or a damaged record");
        }
    }

    @Test
    void wrongLengthBodiesAreRejected() {
        byte[] body = HEX.parseHex(GOLDEN_BODY);
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
            for (int length : new int[] {0, 44, 91, 93, 200}) {
                assertThatThrownBy(() -> RecoverySeal.open(bob, GOLDEN_HEADER, Arrays.copyOf(body, length)))
                        .isInstanceOf(RecoverySealException.class)
                        .hasMessageContaining("92 bytes, got " + length);
            }
        }
    }

    @Test
    void lowOrderPointsAreRejected() {
        byte[] zero = new byte[32];
        byte[] one = new byte[32];
        one[0] = 1;
        for (byte[] lowOrder : new byte[][] {zero, one}) {
            assertThatThrownBy(() -> RecoverySeal.seal(lowOrder, new byte[0], new byte[32], TestRandoms.seeded(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low-order");
            byte[] body = HEX.parseHex(GOLDEN_BODY);
            System.arraycopy(lowOrder, 0, body, 0, 32);
            try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
                assertThatThrownBy(() -> RecoverySeal.open(bob, GOLDEN_HEADER, body))
                        .isInstanceOf(RecoverySealException.class).hasMessage(RecoverySeal.AUTH_FAILURE);
            }
        }
    }

    @Test
    void sealRejectsBadArguments() {
        SecureRandom random = TestRandoms.seeded(2);
        byte[] pub = HEX.parseHex(BOB_PUBLIC);
        assertThatThrownBy(() -> RecoverySeal.seal(new byte[31], new byte[0], new byte[32], random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> RecoverySeal.seal(pub, new byte[0], new byte[16], random))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-byte data key");
        assertThatThrownBy(() -> RecoverySeal.seal(pub, null, new byte[32], random))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void openWithAClosedKeyFails() {
        RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE));
        bob.close();
        assertThatThrownBy(() -> RecoverySeal.open(bob, GOLDEN_HEADER, HEX.parseHex(GOLDEN_BODY)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failureMessagesCarryNoKeyMaterial() {
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
            byte[] body = HEX.parseHex(GOLDEN_BODY);
            body[50] ^= 1;
            assertThatThrownBy(() -> RecoverySeal.open(bob, GOLDEN_HEADER, body))
                    .satisfies(e -> assertThat(e.getMessage())
                            .doesNotContain(BOB_PRIVATE.substring(0, 8))
                            .doesNotContain(GOLDEN_PLAINTEXT.substring(0, 8))
                            .doesNotContain(GOLDEN_WRAPPING_KEY.substring(0, 8)));
        }
    }
}
