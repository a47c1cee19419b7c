package dev.cairn.hsm.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class RecoveryKitTest {

    @Test
    void anyThreeOfFiveRebuildTheKeyPair() {
        RecoveryKit.Created kit = RecoveryKit.create(5, 3, TestRandoms.seeded(31));
        assertThat(kit.shares()).hasSize(5);
        assertThat(kit.kitId()).isEqualTo(RecoveryKeyPair.kitIdOf(kit.publicKey()));
        for (RecoveryShare s : kit.shares()) {
            assertThat(s.kitId()).isEqualTo(kit.kitId());
            assertThat(s.threshold()).isEqualTo(3);
            assertThat(s.shareCount()).isEqualTo(5);
        }
        assertThat(kit.shares()).extracting(RecoveryShare::x).containsExactly(1, 2, 3, 4, 5);

        int subsets = 0;
        for (int mask = 0; mask < 32; mask++) {
            if (Integer.bitCount(mask) < 3) {
                continue;
            }
            List<RecoveryShare> chosen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                if ((mask & (1 << i)) != 0) {
                    chosen.add(kit.shares().get(i));
                }
            }
            try (RecoveryKeyPair pair = RecoveryKit.recover(chosen)) {
                assertThat(pair.publicKey()).as("shares %s", chosen).isEqualTo(kit.publicKey());
            }
            subsets++;
        }
        assertThat(subsets).isEqualTo(10 + 5 + 1);
    }

    @Test
    void twoOfThreeNeededAreNotEnough() {
        RecoveryKit.Created kit = RecoveryKit.create(5, 3, TestRandoms.seeded(32));
        for (int i = 0; i < 5; i++) {
            for (int j = i + 1; j < 5; j++) {
                List<RecoveryShare> two = List.of(kit.shares().get(i), kit.shares().get(j));
                assertThatThrownBy(() -> RecoveryKit.recover(two))
                        .isInstanceOf(RecoveryShareException.class)
                        .hasMessageStartingWith("need 3 shares, got 2");
            }
        }
        assertThatThrownBy(() -> RecoveryKit.recover(List.of()))
                .isInstanceOf(RecoveryShareException.class).hasMessageContaining("got none");
    }

    @Test
    void aDuplicatedShareDoesNotCountTwice() {
        RecoveryKit.Created kit = RecoveryKit.create(5, 3, TestRandoms.seeded(33));
        RecoveryShare one = kit.shares().get(0);
        RecoveryShare retyped = RecoveryShare.parse(one.toPrintable());
        assertThatThrownBy(() -> RecoveryKit.recover(List.of(one, retyped, kit.shares().get(1))))
                .isInstanceOf(RecoveryShareException.class)
                .hasMessageStartingWith("need 3 shares, got 2")
                .hasMessageContaining("a share given twice counts once");
        try (RecoveryKeyPair pair = RecoveryKit.recover(
                List.of(one, retyped, kit.shares().get(1), kit.shares().get(4)))) {
            assertThat(pair.publicKey()).isEqualTo(kit.publicKey());
        }
    }

    @Test
    void sharesOfDifferentKitsAreRejected() {
        RecoveryKit.Created a = RecoveryKit.create(5, 3, TestRandoms.seeded(34));
        RecoveryKit.Created b = RecoveryKit.create(5, 3, TestRandoms.seeded(35));
        List<RecoveryShare> mixed = List.of(a.shares().get(0), a.shares().get(1), b.shares().get(2));
        assertThatThrownBy(() -> RecoveryKit.recover(mixed))
                .isInstanceOf(RecoveryShareException.class)
                .hasMessageContaining("different kits")
                .hasMessageContaining(HexFormat.of().formatHex(a.kitId()))
                .hasMessageContaining(HexFormat.of().formatHex(b.kitId()));
    }

    @Test
    void aForeignShareUnderTheRightKitIdIsCaughtByTheKitCheck() {
        // As if a share of kit b had been mistyped into kit a's id and slipped past the 32-bit checksum.
        RecoveryKit.Created a = RecoveryKit.create(5, 3, TestRandoms.seeded(36));
        RecoveryKit.Created b = RecoveryKit.create(5, 3, TestRandoms.seeded(37));
        RecoveryShare foreign = b.shares().get(2);
        RecoveryShare relabelled = new RecoveryShare(a.kitId(), 3, 5, foreign.x(), foreign.y());
        assertThatThrownBy(() -> RecoveryKit.recover(List.of(a.shares().get(0), a.shares().get(1), relabelled)))
                .isInstanceOf(RecoveryShareException.class)
                .hasMessage("the shares do not rebuild kit " + HexFormat.of().formatHex(a.kitId())
                        + ": at least one share is from another kit or mistyped");
    }

    @Test
    void conflictingSharesAreRejected() {
        RecoveryKit.Created a = RecoveryKit.create(5, 3, TestRandoms.seeded(38));
        RecoveryShare s1 = a.shares().get(0);
        RecoveryShare otherY = new RecoveryShare(a.kitId(), 3, 5, 1, new byte[32]);
        assertThatThrownBy(() -> RecoveryKit.recover(List.of(s1, otherY, a.shares().get(1), a.shares().get(2))))
                .isInstanceOf(RecoveryShareException.class)
                .hasMessageContaining("two different shares claim to be share 1");
        RecoveryShare otherShape = new RecoveryShare(a.kitId(), 2, 5, 4, a.shares().get(3).y());
        assertThatThrownBy(() -> RecoveryKit.recover(List.of(s1, a.shares().get(1), otherShape)))
                .isInstanceOf(RecoveryShareException.class)
                .hasMessageContaining("disagree on how many were made");
    }

    @Test
    void setUpThenDisasterRecoveryFromPaper() {
        SecureRandom random = TestRandoms.seeded(39);
        RecoveryKit.Created kit = RecoveryKit.create(4, 2, random);
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        byte[] header = "tenant clinic-a, key 7".getBytes(StandardCharsets.US_ASCII);
        byte[] body = RecoverySeal.seal(kit.publicKey(), header, dataKey, random);

        List<String> sheets = kit.shares().stream().map(RecoveryShare::toPrintable).toList();
        List<RecoveryShare> typedBack = List.of(
                RecoveryShare.parse(sheets.get(3).toLowerCase()), RecoveryShare.parse(sheets.get(1)));
        try (RecoveryKeyPair pair = RecoveryKit.recover(typedBack)) {
            assertThat(RecoverySeal.open(pair, header, body)).isEqualTo(dataKey);
        }
    }

    @Test
    void createIsDeterministicUnderASeededRandomAndValidates() {
        RecoveryKit.Created a = RecoveryKit.create(3, 2, TestRandoms.seeded(40));
        RecoveryKit.Created b = RecoveryKit.create(3, 2, TestRandoms.seeded(40));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).isEqualTo("Created[kit=" + HexFormat.of().formatHex(a.kitId()) + ", 3 shares]");
        assertThatThrownBy(() -> RecoveryKit.create(3, 1, TestRandoms.seeded(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecoveryKit.create(2, 3, TestRandoms.seeded(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecoveryKit.create(256, 3, TestRandoms.seeded(1))).isInstanceOf(IllegalArgumentException.class);
        RecoveryKit.Created big = RecoveryKit.create(255, 255, TestRandoms.seeded(41));
        try (RecoveryKeyPair pair = RecoveryKit.recover(big.shares())) {
            assertThat(pair.publicKey()).isEqualTo(big.publicKey());
        }
    }
}
