package dev.cairn.mgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/auth.md, section 2. Never asserts time. */
class PasswordHasherTest {
    /** Tiny parameters so the tests stay fast; the format is the same. */
    static final Argon2Params FAST = new Argon2Params(64, 1, 1, 16, 32);
    static final String PASSWORD = "correct horse battery staple";

    final PasswordHasher hasher = new PasswordHasher(FAST, new SecureRandom());

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void rfc9106Section53Argon2idVector() {
        byte[] tag = PasswordHasher.derive(filled(32, 1), filled(16, 2), filled(8, 3), filled(12, 4),
                new Argon2Params(32, 3, 4, 16, 32));
        assertThat(HexFormat.of().formatHex(tag))
                .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void referenceImplementationPhcStringVerifiesThroughThePublicPath() throws Exception {
        // from the Argon2 reference implementation's test.c (Argon2id, v=0x13, m=2^16, t=2, p=1)
        String phc = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        assertThat(hasher.verify("password", phc)).isTrue();
        assertThat(PasswordHash.parse(phc).format()).isEqualTo(phc); // our encoder writes the same bytes
        assertThat(hasher.verify("passwore", phc)).isFalse();
    }

    @Test
    void roundTripAndWrongPasswords() throws Exception {
        String phc = hasher.hash(PASSWORD);
        assertThat(phc).startsWith("$argon2id$v=19$m=64,t=1,p=1$").doesNotContain(PASSWORD);
        assertThat(hasher.verify(PASSWORD, phc)).isTrue();
        assertThat(hasher.verify(PASSWORD + " ", phc)).isFalse();
        assertThat(hasher.verify(PASSWORD.toUpperCase(), phc)).isFalse();
        assertThat(hasher.verify("", phc)).isFalse();
        // a fresh salt each time
        assertThat(hasher.hash(PASSWORD)).isNotEqualTo(phc);
        assertThat(PasswordHash.parse(phc).format()).isEqualTo(phc);
    }

    @Test
    void nfcAndNfdSpellingsAreTheSamePassword() throws Exception {
        String nfc = "caf\u00e9 au lait please";
        String nfd = "cafe\u0301 au lait please";
        assertThat(hasher.verify(nfd, hasher.hash(nfc))).isTrue();
        assertThat(hasher.verify(nfc, hasher.hash(nfd))).isTrue();
    }

    @Test
    void needsRehashWhenParametersChange() throws Exception {
        String phc = hasher.hash(PASSWORD);
        assertThat(hasher.needsRehash(phc)).isFalse();
        PasswordHasher stronger = new PasswordHasher(new Argon2Params(128, 1, 1, 16, 32), new SecureRandom());
        assertThat(stronger.needsRehash(phc)).isTrue();
        assertThat(stronger.verify(PASSWORD, phc)).isTrue(); // old records keep verifying
        assertThat(new PasswordHasher(new Argon2Params(64, 2, 1, 16, 32), new SecureRandom()).needsRehash(phc)).isTrue();
        assertThat(new PasswordHasher(new Argon2Params(64, 1, 1, 16, 64), new SecureRandom()).needsRehash(phc)).isTrue();
    }

    @Test
    void malformedRecordsAreATypedErrorWithoutTheRecord() {
        String good = hasher.hash(PASSWORD);
        String salt = good.split("\\$")[4];
        String hash = good.split("\\$")[5];
        List<String> bad = List.of(
                "",
                good.replace("$argon2id$", "$argon2i$"),
                good.replace("v=19", "v=16"),
                good.replace("m=64,t=1,p=1", "t=1,m=64,p=1"),
                good.replace("m=64", "m=4"),          // below 8p
                good.replace("m=64", "m=1048577"),    // above 1 GiB
                good.replace("t=1", "t=0"),
                good.replace("p=1", "p=0"),
                good.replace("p=1", "p=17"),
                good.replace("$" + hash, ""),
                good.replace("$" + hash, "$" + hash + "="),     // padding
                good.replace("$" + hash, "$" + hash.substring(0, 20)), // short hash
                good.replace("$" + salt + "$", "$c2FsdA$"),    // 4-byte salt
                good.replace("$" + salt + "$", "$" + salt + "!$"),
                good + "$extra",
                " " + good);
        for (String record : bad) {
            assertThatThrownBy(() -> hasher.verify(PASSWORD, record))
                    .as(record)
                    .isInstanceOf(MalformedCredentialException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(hash).doesNotContain(salt)
                            .doesNotContain(PASSWORD));
        }
        assertThatThrownBy(() -> hasher.verify(PASSWORD, null)).isInstanceOf(MalformedCredentialException.class);
        assertThatThrownBy(() -> hasher.needsRehash("nonsense")).isInstanceOf(MalformedCredentialException.class);
    }

    @Test
    void toStringHidesSaltAndHash() throws Exception {
        String phc = hasher.hash(PASSWORD);
        PasswordHash parsed = PasswordHash.parse(phc);
        assertThat(parsed.toString()).contains("m=64").doesNotContain(phc.split("\\$")[4])
                .doesNotContain(phc.split("\\$")[5]);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(Argon2Params.DEFAULT).isEqualTo(new Argon2Params(32768, 2, 1, 16, 32));
        assertThat(PasswordHasher.withDefaults().params()).isEqualTo(Argon2Params.DEFAULT);
    }
}
