package dev.cairn.mgmt.server;

import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsm;
import dev.cairn.hsm.testing.TestClock;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.audit.ClockSync;
import dev.cairn.mgmt.auth.Argon2Params;
import dev.cairn.mgmt.auth.PasswordHasher;
import dev.cairn.mgmt.identity.Session;
import dev.cairn.mgmt.identity.Sessions;
import dev.cairn.mgmt.identity.User;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A whole control plane for tests: a fresh SoftHSM token, a temp state directory, a clock the test moves, and
 * cheap Argon2 parameters (the production ones cost 100 ms per hash). Users are created with a confirmed
 * TOTP secret so tests can log in through the real API.
 */
final class ApplianceFixture implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    static final Argon2Params CHEAP = new Argon2Params(64, 1, 1, 16, 32);

    final Path root;
    final SoftHsm token;
    final Pkcs11KeyVault vault;
    final TestClock clock;
    final Appliance app;

    private ApplianceFixture(Path root, UnaryOperator<ApplianceConfig> configure) {
        this.root = root;
        this.token = SoftHsm.create(root.resolve("hsm"));
        this.clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
        this.vault = token.open(clock);
        // tests log in far more often than people do: the fixture lifts the per-address limit unless a test sets it
        ApplianceConfig config = configure.apply(ApplianceConfig.defaults(root.resolve("state"), 0, 0)
                .withOrigins(Set.of("https://localhost:8443")).withPublicAttemptsPerMinute(1_000_000));
        this.app = Appliance.open(config, vault, clock, new SecureRandom(), () -> ClockSync.UNKNOWN,
                new PasswordHasher(CHEAP, new SecureRandom()));
    }

    static ApplianceFixture create() {
        return create(c -> c);
    }

    static ApplianceFixture create(UnaryOperator<ApplianceConfig> configure) {
        try {
            return new ApplianceFixture(Files.createTempDirectory("cairn-appliance-"), configure);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user with these roles, a confirmed TOTP secret (returned) and the fixture's password. */
    byte[] user(String name, Role... roles) {
        app.users().create(name, PASSWORD.toCharArray(), Set.of(roles));
        var enrollment = app.mfa().beginTotp(name, "Cairn");
        byte[] secret = app.users().find(name).orElseThrow().totp().orElseThrow().secret();
        if (!app.mfa().confirmTotp(name, totp(secret))) {
            throw new IllegalStateException("TOTP confirmation failed in the fixture");
        }
        clock.advance(Duration.ofSeconds(30)); // the confirming code's step is used up
        return secret;
    }

    /** A full session with fresh MFA for {@code name}, made directly (the matrix does not need the login flow). */
    Sessions.Issued session(String name) {
        return app.sessions().create(name, Session.Stage.FULL, "password+totp", clock.instant(), null);
    }

    User find(String name) {
        return app.users().find(name).orElseThrow();
    }

    /** The RFC 6238 code (SHA-1, 6 digits, 30 s) for the fixture clock's current step. */
    String totp(byte[] secret) {
        return totp(secret, clock.instant().getEpochSecond() / 30);
    }

    static String totp(byte[] secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int o = h[h.length - 1] & 0x0f;
            int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", bin % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.close();
        vault.close();
        try {
            new ProcessBuilder("chattr", "-R", "-a", root.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // no chattr: then nothing was made append-only either
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // chattr +a files in the audit directory may refuse deletion; the temp directory is left behind
        }
    }
}
