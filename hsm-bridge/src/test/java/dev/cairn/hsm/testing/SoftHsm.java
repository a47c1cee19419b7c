package dev.cairn.hsm.testing;

import dev.cairn.hsm.HsmConfig;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.SoftHsmProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real SoftHSM2 token in a directory of its own, with its own SOFTHSM2_CONF, for tests.
 *
 * <p>Why each token loads its own copy of libsofthsm2.so: SoftHSM reads SOFTHSM2_CONF once, at
 * C_Initialize, and never rescans its token directory; SunPKCS11 shares one loaded module per library
 * path and cannot re-initialise it; and PKCS#11 login state belongs to the whole module instance. A
 * copy of the library at another path is loaded by the dynamic linker as an independent instance, so
 * every token here behaves like a token used by its own process: a wrong PIN is really checked, and a
 * token removed under one instance does not break the others. Production loads the library once.
 */
public final class SoftHsm {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final Path dir;
    private final Path hsmConf;

    private SoftHsm(Path dir, Path hsmConf) {
        this.dir = dir;
        this.hsmConf = hsmConf;
    }

    /** Creates a new token with label "cairn" under {@code dir}/token (provisioned through PKCS#11). */
    public static SoftHsm create(Path dir) {
        Path system = SoftHsmProvisioner.defaultLibrary();
        Path tokenDir = dir.resolve("token");
        Path library = copyLibrary(system, dir);
        Path conf = SoftHsmProvisioner.provision(tokenDir, library, SoftHsmProvisioner.DEFAULT_LABEL, new SecureRandom());
        return new SoftHsm(dir, conf);
    }

    /** The hsm.conf of this token (its library is this token's private copy). */
    public Path hsmConf() {
        return hsmConf;
    }

    public HsmConfig config() {
        return HsmConfig.load(hsmConf);
    }

    /** SoftHSM's token files: remove them to simulate a token pulled out of a running appliance. */
    public Path tokenFiles() {
        return hsmConf.getParent().resolve("tokens");
    }

    public Path stateDir() {
        return hsmConf.getParent().resolve("state");
    }

    public Pkcs11KeyVault open() {
        return open(Clock.systemUTC());
    }

    public Pkcs11KeyVault open(Clock clock) {
        return Pkcs11KeyVault.open(config(), clock, new SecureRandom());
    }

    /**
     * An hsm.conf for the same token and state directory, but loading a fresh copy of the library: what a
     * second process (or a restarted one) would see.
     */
    public Path hsmConfForNewProcess() {
        return hsmConfForNewProcess(null);
    }

    /** As {@link #hsmConfForNewProcess()}, with another PIN file (for wrong-PIN tests). */
    public Path hsmConfForNewProcess(Path pinFile) {
        try {
            Path library = copyLibrary(SoftHsmProvisioner.defaultLibrary(), dir);
            String text = Files.readString(hsmConf).replaceFirst("(?m)^library = .*$", "library = " + library);
            if (pinFile != null) {
                text = text.replaceFirst("(?m)^pin.file = .*$", "pin.file = " + pinFile.toAbsolutePath());
            }
            Path conf = hsmConf.getParent().resolve("hsm-" + INSTANCES.incrementAndGet() + ".conf");
            Files.writeString(conf, text);
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyLibrary(Path system, Path dir) {
        try {
            Path libDir = dir.resolve("lib-" + INSTANCES.incrementAndGet());
            Files.createDirectories(libDir);
            Path copy = libDir.resolve("libsofthsm2.so");
            Files.copy(system.toRealPath(), copy);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + system + " for a test token", e);
        }
    }
}
