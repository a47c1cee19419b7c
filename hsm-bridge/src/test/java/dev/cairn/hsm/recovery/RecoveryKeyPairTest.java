package dev.cairn.hsm.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class RecoveryKeyPairTest {
    /** RFC 7748 §6.1 test vectors. */
    static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    /** First 8 bytes of SHA-256(BOB_PUBLIC). */
    static final String BOB_KIT_ID = "f35e5616160a30bf";

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void publicKeyAndAgreementMatchRfc7748() {
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
            assertThat(HEX.formatHex(bob.publicKey())).isEqualTo(BOB_PUBLIC);
            byte[] shared = new byte[32];
            assertThat(bob.agree(HEX.parseHex(ALICE_PUBLIC), shared)).isTrue();
            assertThat(HEX.formatHex(shared)).isEqualTo(SHARED);
        }
        try (RecoveryKeyPair alice = RecoveryKeyPair.fromPrivate(HEX.parseHex(ALICE_PRIVATE))) {
            assertThat(HEX.formatHex(alice.publicKey())).isEqualTo(ALICE_PUBLIC);
        }
    }

    @Test
    void kitIdIsTheFirstEightBytesOfSha256OfThePublicKey() {
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
            assertThat(HEX.formatHex(bob.kitId())).isEqualTo(BOB_KIT_ID);
            assertThat(RecoveryKeyPair.kitIdOf(HEX.parseHex(BOB_PUBLIC))).isEqualTo(bob.kitId());
        }
        assertThatThrownBy(() -> RecoveryKeyPair.kitIdOf(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatedPairsAreDeterministicUnderASeededRandomAndClamped() {
        try (RecoveryKeyPair a = RecoveryKeyPair.generate(TestRandoms.seeded(5));
                RecoveryKeyPair b = RecoveryKeyPair.generate(TestRandoms.seeded(5));
                RecoveryKeyPair c = RecoveryKeyPair.generate(TestRandoms.seeded(6))) {
            assertThat(a.publicKey()).isEqualTo(b.publicKey()).isNotEqualTo(c.publicKey());
            byte[] scalar = a.privateKeyForSplitting();
            assertThat(scalar[0] & 0x07).isZero();
            assertThat(scalar[31] & 0xC0).isEqualTo(0x40);
            try (RecoveryKeyPair again = RecoveryKeyPair.fromPrivate(scalar)) {
                assertThat(again.publicKey()).isEqualTo(a.publicKey());
            }
        }
    }

    @Test
    void copiesInAndOut() {
        byte[] scalar = HEX.parseHex(BOB_PRIVATE);
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(scalar)) {
            scalar[5] ^= 1;
            bob.publicKey()[0] ^= 1;
            bob.kitId()[0] ^= 1;
            bob.privateKeyForSplitting()[0] ^= 1;
            assertThat(HEX.formatHex(bob.publicKey())).isEqualTo(BOB_PUBLIC);
            assertThat(HEX.formatHex(bob.kitId())).isEqualTo(BOB_KIT_ID);
            assertThat(HEX.formatHex(bob.privateKeyForSplitting())).isEqualTo(BOB_PRIVATE);
        }
        assertThatThrownBy(() -> RecoveryKeyPair.fromPrivate(new byte[31]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void closeZeroesAndEveryUseAfterwardsFails() {
        RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE));
        bob.close();
        bob.close(); // idempotent
        assertThatThrownBy(bob::publicKey).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(bob::kitId).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(bob::privateKeyForSplitting).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> bob.agree(HEX.parseHex(ALICE_PUBLIC), new byte[32]))
                .isInstanceOf(IllegalStateException.class);
        assertThat(bob).hasToString("RecoveryKeyPair[closed]");
    }

    @Test
    void toStringShowsOnlyTheKitId() {
        try (RecoveryKeyPair bob = RecoveryKeyPair.fromPrivate(HEX.parseHex(BOB_PRIVATE))) {
            assertThat(bob.toString()).isEqualTo("RecoveryKeyPair[kit=" + BOB_KIT_ID + "]")
                    .doesNotContain(BOB_PRIVATE.substring(0, 8)).doesNotContain(BOB_PUBLIC.substring(0, 8));
        }
    }
}
