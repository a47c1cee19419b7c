package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.auth.LockoutState;
import dev.cairn.mgmt.auth.PasswordPolicy;

class UserStoreTest {
    @TempDir
    Path tmp;

    @Test
    void createFindUpdateDeleteSurviveReopen() {
        Fixture f = new Fixture(tmp);
        UserStore s = f.store();
        assertThat(s.isEmpty()).isTrue();
        User alice = s.create("alice", Fixture.GOOD, Set.of(Role.ADMINISTRATOR));
        s.create("bob.smith@clinic", Fixture.GOOD, Set.of(Role.AUDITOR, Role.COURIER));
        assertThat(alice.webauthnUserHandle()).hasSize(16);
        assertThat(alice.createdAt()).isEqualTo(f.clock.instant());
        assertThat(alice.mfaEnrolled()).isFalse();
        assertThat(alice.mfaEnrolledAt()).isNull();

        f.clock.advance(Duration.ofMinutes(1));
        s.update("alice", u -> u.withDisabled(true).withTotp(Optional.of(new TotpState(new byte[20], false, -1))));

        UserStore again = f.store();
        assertThat(again.isEmpty()).isFalse();
        assertThat(again.list()).extracting(User::username).containsExactly("alice", "bob.smith@clinic");
        User a = again.find("alice").orElseThrow();
        assertThat(a.disabled()).isTrue();
        assertThat(a.totp()).isPresent();
        assertThat(a.passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(a.webauthnUserHandle()).isEqualTo(alice.webauthnUserHandle());
        assertThat(again.find("bob.smith@clinic").orElseThrow().roles()).containsExactlyInAnyOrder(Role.AUDITOR,
                Role.COURIER);
        assertThat(again.find("carol")).isEmpty();

        again.delete("bob.smith@clinic");
        assertThat(f.store().list()).extracting(User::username).containsExactly("alice");
        assertThatThrownBy(() -> again.delete("bob.smith@clinic")).isInstanceOf(NoSuchUserException.class)
                .hasMessageContaining("bob.smith@clinic");
        assertThatThrownBy(() -> again.update("nobody", u -> u)).isInstanceOf(NoSuchUserException.class);
    }

    @Test
    void duplicateNameBadNameAndWeakPasswordAreRefused() {
        UserStore s = new Fixture(tmp).store();
        s.create("alice", Fixture.GOOD, Set.of());
        assertThatThrownBy(() -> s.create("alice", Fixture.GOOD, Set.of())).isInstanceOf(UserExistsException.class)
                .hasMessageContaining("alice");
        for (String bad : List.of("Alice", "-alice", "", "a b", "a".repeat(65), "al/ice")) {
            assertThatThrownBy(() -> s.create(bad, Fixture.GOOD, Set.of())).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> s.create("bob", "short pass".toCharArray(), Set.of()))
                .isInstanceOfSatisfying(WeakPasswordException.class,
                        e -> assertThat(e.result()).isEqualTo(PasswordPolicy.Result.TOO_SHORT))
                .hasMessageNotContaining("short pass");
        assertThat(s.find("bob")).isEmpty();
        assertThat(s.create("a".repeat(64), Fixture.GOOD, Set.of()).username()).hasSize(64);
    }

    @Test
    void sealedFileHoldsNoNameHashOrSecretInClear() throws Exception {
        Fixture f = new Fixture(tmp);
        UserStore s = f.store();
        User u = s.create("zebediah", Fixture.GOOD, Set.of(Role.SECURITY_OFFICER));
        byte[] secret = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef01234567");
        s.update("zebediah", x -> x.withTotp(Optional.of(new TotpState(secret, true, 5))));

        byte[] file = Files.readAllBytes(f.dir.resolve(UserStore.FILE));
        assertThat(new String(file, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("cairn-users v1\n");
        String latin = new String(file, StandardCharsets.ISO_8859_1);
        for (String clear : List.of("zebediah", u.passwordHash(), "argon2id", "security-officer", "username",
                Base64.getEncoder().encodeToString(secret), new String(secret, StandardCharsets.ISO_8859_1),
                Base64.getEncoder().encodeToString(u.webauthnUserHandle()))) {
            assertThat(latin).doesNotContain(clear);
        }
        assertThat(Files.getPosixFilePermissions(f.dir.resolve(UserStore.FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(f.dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (var l = Files.list(f.dir)) {
            assertThat(l.map(p -> p.getFileName().toString())).containsExactly(UserStore.FILE);
        }
    }

    @Test
    void everyFlippedByteFailsClosed() throws Exception {
        Fixture f = new Fixture(tmp);
        f.store().create("alice", Fixture.GOOD, Set.of(Role.ADMINISTRATOR));
        Path file = f.dir.resolve(UserStore.FILE);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(file, bad);
            assertThatThrownBy(f::store).as("byte %d", i).isInstanceOfAny(SealException.class,
                    IllegalStateException.class).hasMessageContaining("restore it from backup");
        }
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(f::store).isInstanceOf(SealException.class)
                .hasMessage("user store cannot be opened: wrong key or damaged file; restore it from backup");
        Files.write(file, good);
        assertThat(f.store().find("alice")).isPresent();
    }

    @Test
    void wrongKeyFailsClosed() {
        Fixture f = new Fixture(tmp);
        f.store().create("alice", Fixture.GOOD, Set.of());
        Sealer other = Sealer.aesGcm(Fixture.aesKey(), f.random);
        assertThatThrownBy(() -> UserStore.open(f.dir, other, f.clock, f.random, f.hasher))
                .isInstanceOf(SealException.class)
                .hasMessage("user store cannot be opened: wrong key or damaged file; restore it from backup");
    }

    @Test
    void sealerBindsTheAadAndUsesAFreshNonce() {
        Fixture f = new Fixture(tmp);
        byte[] p = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] a = f.sealer.seal(p, "A".getBytes(StandardCharsets.US_ASCII));
        byte[] b = f.sealer.seal(p, "A".getBytes(StandardCharsets.US_ASCII));
        assertThat(a).isNotEqualTo(b);
        assertThat(a).hasSize(12 + 5 + 16);
        assertThat(f.sealer.open(a, "A".getBytes(StandardCharsets.US_ASCII))).isEqualTo(p);
        assertThatThrownBy(() -> f.sealer.open(a, "B".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SealException.class);
        assertThatThrownBy(() -> f.sealer.open(new byte[10], new byte[0])).isInstanceOf(SealException.class);
    }

    @Test
    void leftoverTemporaryFileIsRemovedAndTheOldVersionKept() throws Exception {
        Fixture f = new Fixture(tmp);
        f.store().create("alice", Fixture.GOOD, Set.of());
        Path stray = f.dir.resolve(".tmp-users.sealed-deadbeef");
        Files.write(stray, new byte[] {1, 2, 3});
        assertThat(f.store().find("alice")).isPresent();
        assertThat(stray).doesNotExist();
    }

    @Test
    void setPasswordChecksPolicyAndClearsLockout() throws Exception {
        Fixture f = new Fixture(tmp);
        UserStore s = f.store();
        User u = s.create("alice", Fixture.GOOD, Set.of());
        s.update("alice", x -> x.withLockout(new LockoutState(4, f.clock.instant(), false)));
        assertThatThrownBy(() -> s.setPassword("alice", "tiny".toCharArray())).isInstanceOf(WeakPasswordException.class);
        User after = s.setPassword("alice", "another long passphrase".toCharArray());
        assertThat(after.passwordHash()).isNotEqualTo(u.passwordHash());
        assertThat(after.lockout()).isEqualTo(LockoutState.CLEAR);
        assertThat(f.hasher.verify("another long passphrase", f.store().find("alice").orElseThrow().passwordHash()))
                .isTrue();
    }

    @Test
    void toStringHidesHashesAndSecrets() {
        Fixture f = new Fixture(tmp);
        UserStore s = f.store();
        byte[] secret = new byte[20];
        java.util.Arrays.fill(secret, (byte) 0x41);
        User u = s.update(s.create("alice", Fixture.GOOD, Set.of(Role.ADMINISTRATOR)).username(),
                x -> x.withTotp(Optional.of(new TotpState(secret, true, 1))));
        String t = u.toString();
        assertThat(t).contains("alice").doesNotContain(u.passwordHash()).doesNotContain("argon2")
                .doesNotContain("AAAA").doesNotContain("QUFB");
        assertThat(u.totp().orElseThrow().toString()).doesNotContain("AAAA").doesNotContain("65");
    }
}
