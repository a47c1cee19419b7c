package dev.cairn.engine.pack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.crypto.TenantKeys;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors for the primitives the pack format stands on (docs/formats/repository.md 3.2, 3.3):
 * published vectors for AES-256-GCM and HKDF-SHA-256, and one Cairn blob sealed end to end, whose
 * expected bytes were computed independently with Python's {@code cryptography} package.
 */
class CryptoVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] gcm(byte[] key, byte[] nonce, byte[] aad, byte[] plain) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(plain);
    }

    @Test
    void aes256GcmMatchesTheGcmSpecificationTestCase16() throws Exception {
        // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, 96-bit IV, AAD)
        byte[] out = gcm(HEX.parseHex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"),
                HEX.parseHex("cafebabefacedbaddecaf888"), HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
                HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"));
        assertThat(HEX.formatHex(out)).isEqualTo("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662" + "76fc6ece0f4e1768cddf8853bb2d551b");
    }

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        SecretKey k = TenantKeys.hkdf(HEX.parseHex("0b".repeat(22)), HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"));
        // the first 32 of the RFC's 42 output bytes (expand is a prefix-stable stream)
        assertThat(HEX.formatHex(k.getEncoded())).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
    }

    @Test
    void noncesAndAadAreLaidOutAsTheFormatSays() {
        assertThat(HEX.formatHex(PackFormat.blobNonce(7))).isEqualTo("00000000" + "0000000000000007");
        assertThat(HEX.formatHex(PackFormat.footerNonce(3))).isEqualTo("ffffffff" + "0000000000000003");
        byte[] aad = PackFormat.blobAad(filled(32, 0x33), BlobType.DATA, filled(32, 0x44), Compression.NONE, 5);
        assertThat(HEX.formatHex(aad)).isEqualTo("33".repeat(32) + "01" + "44".repeat(32) + "00" + "00000005");
    }

    @Test
    void aCairnBlobSealsToTheIndependentlyComputedBytes() throws Exception {
        SecretKey packKey = TenantKeys.hkdf(filled(32, 0x11), filled(32, 0x22), PackFormat.KEY_INFO.getBytes());
        assertThat(HEX.formatHex(packKey.getEncoded())).isEqualTo("b61504ae1dc21a95f3501ddabe07f8a96785d2836d7c068cd77816e2f0e13084");
        byte[] sealed = gcm(packKey.getEncoded(), PackFormat.blobNonce(7),
                PackFormat.blobAad(filled(32, 0x33), BlobType.DATA, filled(32, 0x44), Compression.NONE, 5), "hello".getBytes());
        assertThat(HEX.formatHex(sealed)).isEqualTo("3a9883230d" + "32343de34fa11372db2a0c236c541799");
    }

    private static byte[] filled(int n, int b) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }
}
