package dev.cairn.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.hsm.testing.SoftHsmExtension;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pins wrapped key record version 1 (docs/formats/wrapped-key.md, "Worked example"). The expected bytes
 * were computed independently (Python, the `cryptography` package); if this test fails, the format
 * changed: bump the version instead of editing the constant.
 */
class WrappedKeyGoldenTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    static final String GOLDEN_SCHEME1 = "434149524e2d574b00010101000000010000000000000001000000006b36ec80"
            + "50f8033c5726afe25db8049ea558be1808636c696e69632d61"
            + "c0c1c2c3c4c5c6c7c8c9cacb"
            + "4c6139f03ac5e482e64f99c7fd691aaae0dd11165016789e6e416ea7f66411ff30451e86452574e9ff3ca62d956148fe";
    static final byte[] DATA_KEY = range(0x00, 32);
    static final byte[] KEK = range(0xa0, 32);
    static final byte[] NONCE = range(0xc0, 12);
    static final Instant CREATED = Instant.parse("2027-01-01T00:00:00Z");

    @Test
    void theRecordLayoutAndSoftwareGcmMatchTheGoldenBytes() throws Exception {
        byte[] header = WrappedKey.header(WrappedKey.Scheme.KEK_AES256_GCM, KeyPurpose.DATA, 1, 1, CREATED,
                KeyFingerprint.of(DATA_KEY), "clinic-a");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEK, "AES"), new GCMParameterSpec(128, NONCE));
        c.updateAAD(header);
        byte[] body = concat(NONCE, c.doFinal(DATA_KEY));
        WrappedKey k = new WrappedKey(WrappedKey.Scheme.KEK_AES256_GCM, KeyPurpose.DATA, 1, 1, CREATED,
                KeyFingerprint.of(DATA_KEY), "clinic-a", body);
        assertThat(HexFormat.of().formatHex(k.encode())).isEqualTo(GOLDEN_SCHEME1);
        assertThat(k.fileName()).isEqualTo("data-v1.g1.cwk");
    }

    @Test
    void theGoldenRecordDecodesToItsFields() {
        WrappedKey k = WrappedKey.decode(HexFormat.of().parseHex(GOLDEN_SCHEME1));
        assertThat(k.scheme()).isEqualTo(WrappedKey.Scheme.KEK_AES256_GCM);
        assertThat(k.purpose()).isEqualTo(KeyPurpose.DATA);
        assertThat(k.keyVersion()).isEqualTo(1);
        assertThat(k.wrappingKeyId()).isEqualTo(1);
        assertThat(k.created()).isEqualTo(CREATED);
        assertThat(k.tenant()).isEqualTo("clinic-a");
        assertThat(KeyFingerprint.hex(k.fingerprint())).isEqualTo("50f8033c5726afe25db8049ea558be18");
        assertThat(HexFormat.of().formatHex(k.encode())).isEqualTo(GOLDEN_SCHEME1);
    }

    /** The token computes exactly the golden bytes when that KEK is inside it (imported through BYOK). */
    @Test
    void theTokenComputesTheSameBytesAsTheSpec() throws Exception {
        try (Pkcs11KeyVault vault = HSM.token().open()) {
            TransportKey transport = vault.transportKey();
            vault.importKek("clinic-a", Pkcs11KeyVault.oaepEncrypt(transport.publicKey(), transport.oaepHash(), KEK));
            String label = Pkcs11KeyVault.kekLabel("clinic-a", 1);
            SecretKey inToken = vault.pkcs11().secretKey(label);
            byte[] header = WrappedKey.header(WrappedKey.Scheme.KEK_AES256_GCM, KeyPurpose.DATA, 1, 1, CREATED,
                    KeyFingerprint.of(DATA_KEY), "clinic-a");
            byte[] sealed = vault.pkcs11().gcmEncrypt(inToken, label, NONCE, header, DATA_KEY);
            assertThat(HexFormat.of().formatHex(concat(header, concat(NONCE, sealed)))).isEqualTo(GOLDEN_SCHEME1);
            assertThat(vault.pkcs11().gcmDecrypt(inToken, label, NONCE, header, sealed)).isEqualTo(DATA_KEY);
        }
    }

    static byte[] range(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
