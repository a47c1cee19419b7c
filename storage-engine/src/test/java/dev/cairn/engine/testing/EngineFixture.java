package dev.cairn.engine.testing;

import dev.cairn.engine.repo.Repository;
import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsm;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

/** A key vault on a fresh SoftHSM2 token and a new repository with one tenant. Close it after the test. */
public final class EngineFixture implements AutoCloseable {
    public final Pkcs11KeyVault vault;
    public final Path repoDir;
    public final String tenant;
    public Repository repo;

    public EngineFixture(SoftHsm token, Path repoDir, String tenant) {
        this.vault = token.open();
        this.repoDir = repoDir;
        this.tenant = tenant;
        if (vault.tenants().stream().noneMatch(tenant::equals)) {
            vault.createKek(tenant, KeyVault.DEFAULT_ROTATION_PERIOD);
        }
        Repository.init(repoDir, Clock.systemUTC(), new SecureRandom());
        repo = open();
        repo.addTenant(tenant);
    }

    public Repository open() {
        return Repository.open(repoDir, vault, Repository.LockMode.SHARED, Clock.systemUTC(), new SecureRandom());
    }

    /** Closes and reopens the repository (as a new process would). */
    public Repository reopen() {
        repo.close();
        repo = open();
        return repo;
    }

    @Override
    public void close() {
        if (repo != null) {
            repo.close();
        }
        vault.close();
    }
}
