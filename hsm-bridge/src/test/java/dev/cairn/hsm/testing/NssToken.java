package dev.cairn.hsm.testing;

import dev.cairn.hsm.HsmConfig;
import dev.cairn.hsm.Pkcs11KeyVault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * NSS softoken (Debian libnss3) as a second, independent PKCS#11 implementation, in a new NSS database
 * made with certutil in a temporary directory. SunPKCS11 initialises NSS once per process (its Secmod
 * is a singleton), so there is one such database per test JVM: {@link #shared()}. It is deleted when
 * the JVM exits.
 */
public final class NssToken {
    private static NssToken shared;

    private final Path dir;
    private final Path hsmConf;

    private NssToken(Path dir, Path hsmConf) {
        this.dir = dir;
        this.hsmConf = hsmConf;
    }

    public static synchronized NssToken shared() {
        if (shared == null) {
            shared = create();
        }
        return shared;
    }

    private static NssToken create() {
        try {
            Path dir = Files.createTempDirectory("cairn-nss-");
            Path db = Files.createDirectories(dir.resolve("db"));
            Path pin = dir.resolve("user.pin");
            Files.writeString(pin, "nss-test-pin-" + new SecureRandom().nextInt(1_000_000) + "\n");
            Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-------"));
            Process p = new ProcessBuilder("certutil", "-N", "-d", "sql:" + db, "-f", pin.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("certutil -N failed (is libnss3-tools installed? ./cairn test installs it): " + out);
            }
            Path conf = dir.resolve("hsm.conf");
            Files.writeString(conf, "nss.db = db\npin.file = user.pin\nstate.dir = state\n");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return new NssToken(dir, conf);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make an NSS database (is libnss3-tools installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path hsmConf() {
        return hsmConf;
    }

    public Path stateDir() {
        return dir.resolve("state");
    }

    public Pkcs11KeyVault open(Clock clock) {
        return Pkcs11KeyVault.open(HsmConfig.load(hsmConf), clock, new SecureRandom());
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
