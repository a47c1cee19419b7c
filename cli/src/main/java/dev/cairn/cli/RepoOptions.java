package dev.cairn.cli;

import dev.cairn.engine.repo.Repository;
import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.Pkcs11KeyVault;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * Options every repository command shares ({@code --repo}, {@code --hsm}, {@code --json}), used as a
 * picocli {@code @Mixin}. {@link #open} opens the key vault and then the repository; closing the result
 * closes both, repository first.
 */
final class RepoOptions {
    @Option(names = "--repo", paramLabel = "DIR", defaultValue = "${env:CAIRN_REPO}",
            description = "the repository directory (default: $CAIRN_REPO)")
    Path repo;

    @Option(names = "--hsm", paramLabel = "FILE", defaultValue = "${env:CAIRN_HSM}",
            description = "hsm.conf of the token that holds the KEKs (default: $CAIRN_HSM)")
    Path hsm;

    @Option(names = "--json", description = "print JSON (shapes documented in docs/cli.md)")
    boolean json;

    /** The repository directory, or a usage error naming the option. */
    Path repoDir() {
        if (repo == null) {
            throw new CliException("no repository: pass --repo DIR or set CAIRN_REPO (`cairn repo init --repo DIR --hsm FILE` makes one)");
        }
        return repo.toAbsolutePath().normalize();
    }

    KeyVault vault() {
        if (hsm == null) {
            throw new CliException("no HSM configuration: pass --hsm FILE or set CAIRN_HSM "
                    + "(`cairn keys init-softhsm DIR` makes a demo token and DIR/hsm.conf)");
        }
        return Pkcs11KeyVault.open(hsm);
    }

    /** An open repository and the vault it uses. */
    record Opened(KeyVault vault, Repository repo) implements AutoCloseable {
        @Override
        public void close() {
            try {
                repo.close();
            } finally {
                vault.close();
            }
        }
    }

    /** Opens the vault, then the repository with {@code repo.lock} taken in {@code mode}; fails closed on either. */
    Opened open(Repository.LockMode mode) {
        Path dir = repoDir();
        KeyVault v = vault();
        try {
            return new Opened(v, Repository.open(dir, v, mode, Clock.systemUTC(), new SecureRandom()));
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
    }
}
