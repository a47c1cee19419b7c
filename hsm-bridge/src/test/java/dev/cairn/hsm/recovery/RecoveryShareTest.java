package dev.cairn.hsm.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class RecoveryShareTest {
    private static final HexFormat HEX = HexFormat.of();

    // ---- Golden share (docs/formats/recovery-share.md, "Worked example: share token"). Changing any of these
    // ---- literals means the printed format changed: that is a new version (CRS2), never an edit.
    static final String GOLDEN_KIT_ID = "0123456789abcdef";
    static final String GOLDEN_Y = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String GOLDEN_PAYLOAD = "01" + GOLDEN_KIT_ID + "030502" + GOLDEN_Y + "748af5e1";
    static final String GOLDEN_TOKEN =
            "CRS1-AEAS-GRLH-RGV4-33YD-AUBA-AAIC-AMCA-KBQH-BAEQ-UCYM-BUHA-6EAR-CIJR-IFIW-C4MB-SGQ3-DQOR-4H3U-RL26-C";
    static final String GOLDEN_SHEET = """
            Cairn recovery share 2 of 5 (any 3 rebuild the recovery key)
            kit 0123456789abcdef
            CRS1-AEAS-GRLH-RGV4-33YD-AUBA-AAIC-AMCA-KBQH-BAEQ-UCYM-BUHA-6EAR-CIJR-IFIW-C4MB-SGQ3-DQOR-4H3U-RL26-C
            Keep this sheet sealed. Anyone holding 3 shares can read every backup.
            """;

    static RecoveryShare golden() {
        return new RecoveryShare(HEX.parseHex(GOLDEN_KIT_ID), 3, 5, 2, HEX.parseHex(GOLDEN_Y));
    }

    @Test
    void goldenToken() {
        assertThat(golden().token()).isEqualTo(GOLDEN_TOKEN);
        assertThat(RecoveryShare.base32(HEX.parseHex(GOLDEN_PAYLOAD))).isEqualTo(GOLDEN_TOKEN.substring(5).replace("-", ""));
    }

    @Test
    void goldenSheet() {
        assertThat(golden().toPrintable()).isEqualTo(GOLDEN_SHEET);
    }

    @Test
    void frozenIdentifiers() {
        assertThat(RecoveryShare.PREFIX).isEqualTo("CRS1-");
        assertThat(RecoveryShare.VERSION).isEqualTo(0x01);
        assertThat(RecoveryShare.ALPHABET).isEqualTo("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        assertThat(RecoveryShare.PAYLOAD_LENGTH).isEqualTo(48);
        assertThat(RecoveryShare.TOKEN_SYMBOLS).isEqualTo(77);
    }

    @Test
    void base32MatchesRfc4648Vectors() {
        // RFC 4648 §10, without padding
        assertThat(RecoveryShare.base32("".getBytes())).isEmpty();
        assertThat(RecoveryShare.base32("f".getBytes())).isEqualTo("MY");
        assertThat(RecoveryShare.base32("fo".getBytes())).isEqualTo("MZXQ");
        assertThat(RecoveryShare.base32("foo".getBytes())).isEqualTo("MZXW6");
        assertThat(RecoveryShare.base32("foob".getBytes())).isEqualTo("MZXW6YQ");
        assertThat(RecoveryShare.base32("fooba".getBytes())).isEqualTo("MZXW6YTB");
        assertThat(RecoveryShare.base32("foobar".getBytes())).isEqualTo("MZXW6YTBOI");
    }

    @Test
    void parseRoundTrip() {
        assertThat(RecoveryShare.parse(GOLDEN_TOKEN)).isEqualTo(golden());
        assertThat(RecoveryShare.parse(GOLDEN_SHEET)).isEqualTo(golden());
        RecoveryShare parsed = RecoveryShare.parse(GOLDEN_SHEET);
        assertThat(parsed.kitId()).isEqualTo(HEX.parseHex(GOLDEN_KIT_ID));
        assertThat(parsed.threshold()).isEqualTo(3);
        assertThat(parsed.shareCount()).isEqualTo(5);
        assertThat(parsed.x()).isEqualTo(2);
        assertThat(parsed.y()).isEqualTo(HEX.parseHex(GOLDEN_Y));
    }

    @Test
    void roundTripOfRandomShares() {
        var random = TestRandoms.seeded(21);
        for (int i = 0; i < 200; i++) {
            byte[] kit = new byte[8];
            byte[] y = new byte[32];
            random.nextBytes(kit);
            random.nextBytes(y);
            int threshold = 2 + random.nextInt(254);
            int count = threshold + random.nextInt(256 - threshold);
            int x = 1 + random.nextInt(count);
            RecoveryShare share = new RecoveryShare(kit, threshold, count, x, y);
            assertThat(RecoveryShare.parse(share.toPrintable())).isEqualTo(share);
            assertThat(share.token()).startsWith("CRS1-").hasSize(5 + 77 + 19);
        }
    }

    @Test
    void typingVariationsAreAccepted() {
        RecoveryShare expected = golden();
        assertThat(RecoveryShare.parse(GOLDEN_TOKEN.toLowerCase())).isEqualTo(expected);
        assertThat(RecoveryShare.parse("  " + GOLDEN_TOKEN.replace("-", " - ") + "  \n")).isEqualTo(expected);
        assertThat(RecoveryShare.parse(GOLDEN_TOKEN.replace("-", "--"))).isEqualTo(expected);
        String bare = GOLDEN_TOKEN.substring(5).replace("-", "");
        assertThat(RecoveryShare.parse("crs1-" + bare)).isEqualTo(expected);
        assertThat(RecoveryShare.parse("CRS1 -\t" + bare)).isEqualTo(expected);
        // the code continued on following lines, Windows line ends, and text around it
        String split = GOLDEN_TOKEN.substring(0, 40) + "\r\n" + GOLDEN_TOKEN.substring(40, 70) + "\r\n"
                + GOLDEN_TOKEN.substring(70) + "\r\nKeep this sheet sealed.\r\n";
        assertThat(RecoveryShare.parse("share from Dr. Ng:\r\n" + split)).isEqualTo(expected);
        assertThat(RecoveryShare.parse(GOLDEN_SHEET.replace("\n", "\r\n"))).isEqualTo(expected);
    }

    @Test
    void everySingleCharacterSubstitutionIsDetected() {
        char[] symbols = GOLDEN_TOKEN.substring(5).replace("-", "").toCharArray();
        int tried = 0;
        for (int position = 0; position < symbols.length; position++) {
            for (char replacement : RecoveryShare.ALPHABET.toCharArray()) {
                if (replacement == symbols[position]) {
                    continue;
                }
                char[] typo = symbols.clone();
                typo[position] = replacement;
                String typed = "CRS1-" + new String(typo);
                int p = position;
                assertThatThrownBy(() -> RecoveryShare.parse(typed))
                        .as("position %d -> %s", p, replacement)
                        .isInstanceOf(RecoveryShareException.class)
                        .hasMessageContaining("re-type the share")
                        .hasMessageMatching("(checksum|final character) check failed.*");
                tried++;
            }
        }
        assertThat(tried).isEqualTo(77 * 31);
    }

    @Test
    void adjacentTranspositionsAreDetected() {
        char[] symbols = GOLDEN_TOKEN.substring(5).replace("-", "").toCharArray();
        for (int i = 0; i + 1 < symbols.length; i++) {
            if (symbols[i] == symbols[i + 1]) {
                continue;
            }
            char[] typo = symbols.clone();
            typo[i] = symbols[i + 1];
            typo[i + 1] = symbols[i];
            String typed = "CRS1-" + new String(typo);
            assertThatThrownBy(() -> RecoveryShare.parse(typed)).isInstanceOf(RecoveryShareException.class);
        }
    }

    @Test
    void malformedCodesSayWhichCheckFailedWithoutEchoingTheShare() {
        String bare = GOLDEN_TOKEN.substring(5).replace("-", "");
        assertParseFails("no code at all", "no share code found");
        assertParseFails(GOLDEN_TOKEN + "\n" + GOLDEN_TOKEN, "more than one share code");
        assertParseFails("CRS1-" + bare.substring(1), "length check failed").hasMessageContaining("got 76");
        assertParseFails("CRS1-" + bare + "A", "length check failed").hasMessageContaining("got more");
        assertParseFails("CRS1-" + bare.substring(0, 40), "length check failed");
        for (char bad : "0189".toCharArray()) {
            assertParseFails("CRS1-" + bare.substring(0, 10) + bad + bare.substring(11), "alphabet check failed")
                    .hasMessageContaining("character 11 of the share code (group 3)");
        }
        assertParseFails(GOLDEN_TOKEN + ".", "alphabet check failed");
    }

    @Test
    void versionAndRangesAreCheckedAfterTheChecksum() {
        assertParseFails(tokenOf(2, 3, 5, 2), "version check failed").hasMessageContaining("version 2");
        assertParseFails(tokenOf(1, 1, 5, 1), "range check failed").hasMessageContaining("threshold");
        assertParseFails(tokenOf(1, 3, 2, 1), "range check failed").hasMessageContaining("share count");
        assertParseFails(tokenOf(1, 3, 5, 0), "range check failed").hasMessageContaining("share number");
        assertParseFails(tokenOf(1, 3, 5, 6), "range check failed").hasMessageContaining("share number");
        assertThat(RecoveryShare.parse(tokenOf(1, 3, 5, 2))).isEqualTo(golden());
    }

    @Test
    void constructorValidates() {
        byte[] kit = new byte[8];
        byte[] y = new byte[32];
        assertThatThrownBy(() -> new RecoveryShare(new byte[7], 3, 5, 1, y)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecoveryShare(kit, 3, 5, 1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecoveryShare(kit, 1, 5, 1, y)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecoveryShare(kit, 6, 5, 1, y)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecoveryShare(kit, 3, 256, 1, y)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecoveryShare(kit, 3, 5, 0, y)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecoveryShare(kit, 3, 5, 6, y)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RecoveryShare(kit, 255, 255, 255, y).x()).isEqualTo(255);
    }

    @Test
    void valueSemanticsWithoutLeakingY() {
        RecoveryShare share = golden();
        share.y()[0] = 9;
        share.kitId()[0] = 9;
        assertThat(share).isEqualTo(golden()).hasSameHashCodeAs(golden());
        assertThat(share).isNotEqualTo(new RecoveryShare(HEX.parseHex(GOLDEN_KIT_ID), 3, 5, 2, new byte[32]));
        assertThat(share.toString()).isEqualTo("RecoveryShare[kit=0123456789abcdef, x=2 of 5, threshold=3]")
                .doesNotContain("AEAS").doesNotContain("000102");
        assertThat(share.asShamirShare()).isEqualTo(new Shamir.Share(2, HEX.parseHex(GOLDEN_Y)));
    }

    // ---- helpers

    /** A well-formed CRS1 code (valid checksum) around arbitrary version and header bytes. */
    private static String tokenOf(int version, int threshold, int count, int x) {
        byte[] payload = HEX.parseHex(GOLDEN_PAYLOAD);
        payload[0] = (byte) version;
        payload[9] = (byte) threshold;
        payload[10] = (byte) count;
        payload[11] = (byte) x;
        byte[] digest = RecoveryKeyPair.sha256(Arrays.copyOf(payload, 44));
        System.arraycopy(digest, 0, payload, 44, 4);
        return "CRS1-" + RecoveryShare.base32(payload);
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertParseFails(
            String text, String check) {
        var assertion = assertThatThrownBy(() -> RecoveryShare.parse(text))
                .isInstanceOf(RecoveryShareException.class)
                .hasMessageContaining(check);
        String bare = GOLDEN_TOKEN.substring(5).replace("-", "");
        assertion.satisfies(e -> {
            for (int i = 0; i + 8 <= bare.length(); i += 4) {
                assertThat(e.getMessage()).doesNotContain(bare.substring(i, i + 8));
            }
            assertThat(e.getMessage()).doesNotContain(GOLDEN_Y.substring(0, 8));
        });
        return assertion;
    }
}
