package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.LockoutState;

/**
 * docs/formats/user-store.md is enough to write the file: this test writes users.sealed from the document alone
 * (its own AES-GCM, its own JSON text), and the store must read it; and it reads what the store wrote the same way.
 */
class SpecReaderTest {
    @TempDir
    Path tmp;

    static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] HEADER = HexFormat.of().parseHex("636169726e2d757365727320763 10a".replace(" ", ""));

    @Test
    void aFileWrittenFromTheSpecOpens() throws Exception {
        Fixture f = new Fixture(tmp);
        String phc = f.hasher.hash("correct horse battery staple");
        String json = "{\"format\":\"cairn-users\",\"version\":1,\"users\":[{\"username\":\"alice\","
                + "\"roles\":[\"administrator\",\"auditor\"],\"passwordHash\":\"" + phc + "\","
                + "\"lockout\":{\"failures\":2,\"lastFailure\":\"2026-03-01T09:59:00Z\",\"locked\":false},"
                + "\"disabled\":false,\"totp\":{\"secret\":\"3q2+7wEjRWeJq83vASNFZ4mrze8=\",\"confirmed\":true,"
                + "\"lastUsedStep\":59078645},\"recoveryCodeHashes\":[\"" + phc + "\"],\"usedRecoveryCodes\":[0],"
                + "\"passkeys\":[{\"credentialId\":\"AQID\",\"credential\":\"CQk=\",\"signCount\":7,\"label\":\"key\","
                + "\"createdAt\":\"2026-03-01T10:00:00.250Z\"}],\"webauthnUserHandle\":\"q83vASNFZ4mrze8BI0VniQ==\","
                + "\"createdAt\":\"2026-03-01T10:00:00Z\",\"mfaEnrolledAt\":\"2026-03-01T10:02:31Z\"}]}";
        byte[] nonce = HexFormat.of().parseHex("0f0e0d0c0b0a090807060504");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(HEADER);
        byte[] ct = c.doFinal(json.getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(HEADER);
        out.write(nonce);
        out.write(ct);
        Files.createDirectories(f.dir);
        Files.write(f.dir.resolve("users.sealed"), out.toByteArray());

        Sealer sealer = Sealer.aesGcm(new SecretKeySpec(KEY, "AES"), f.random);
        User u = UserStore.open(f.dir, sealer, f.clock, f.random, f.hasher).find("alice").orElseThrow();
        assertThat(u.roles()).containsExactlyInAnyOrder(Role.ADMINISTRATOR, Role.AUDITOR);
        assertThat(u.lockout()).isEqualTo(new LockoutState(2, java.time.Instant.parse("2026-03-01T09:59:00Z"), false));
        assertThat(u.totp().orElseThrow().lastUsedStep()).isEqualTo(59078645);
        assertThat(u.totp().orElseThrow().secret()).hasSize(20);
        assertThat(u.usedRecoveryCodes()).containsExactly(0);
        assertThat(u.passkeys().get(0).signCount()).isEqualTo(7);
        assertThat(u.passkeys().get(0).credentialId()).containsExactly(1, 2, 3);
        assertThat(u.webauthnUserHandle()).hasSize(16);
        assertThat(u.mfaEnrolled()).isTrue();
    }

    @Test
    void whatTheStoreWritesDecryptsByTheSpec() throws Exception {
        Fixture f = new Fixture(tmp);
        Sealer sealer = Sealer.aesGcm(new SecretKeySpec(KEY, "AES"), f.random);
        UserStore.open(f.dir, sealer, f.clock, f.random, f.hasher).create("bob", Fixture.GOOD, Set.of(Role.COURIER));
        byte[] file = Files.readAllBytes(f.dir.resolve("users.sealed"));
        assertThat(java.util.Arrays.copyOf(file, 15)).isEqualTo(HEADER);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, file, 15, 12));
        c.updateAAD(HEADER);
        String json = new String(c.doFinal(file, 27, file.length - 27), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"format\":\"cairn-users\",\"version\":1,\"users\":[{\"username\":\"bob\","
                + "\"roles\":[\"courier\"],\"passwordHash\":\"$argon2id$v=19$m=64,t=1,p=1$");
        assertThat(json).contains("\"lockout\":{\"failures\":0,\"lastFailure\":null,\"locked\":false}",
                "\"disabled\":false", "\"totp\":null", "\"recoveryCodeHashes\":[]", "\"usedRecoveryCodes\":[]",
                "\"passkeys\":[]", "\"createdAt\":\"2026-03-01T10:00:00Z\"", "\"mfaEnrolledAt\":null");
    }
}
