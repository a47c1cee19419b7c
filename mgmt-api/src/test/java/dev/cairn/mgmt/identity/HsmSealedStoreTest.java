package dev.cairn.mgmt.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.hsm.DataKey;
import dev.cairn.hsm.KeyPurpose;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.mgmt.access.Role;

/** The wiring the server uses: the user store sealed with a data key unwrapped by a real SoftHSM2 token. */
class HsmSealedStoreTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    @TempDir
    Path tmp;

    @Test
    void theStoreOpensAfterARestartWithTheKeyPlanesKeyAndNotWithAnotherTenants() {
        Fixture f = new Fixture(tmp);
        try (Pkcs11KeyVault vault = hsm.token().open()) {
            vault.createKek("appliance", Duration.ofDays(365));
            vault.createKek("other", Duration.ofDays(365));
            try (DataKey k = vault.dataKey("appliance", KeyPurpose.DATA, 1)) {
                UserStore.open(f.dir, Sealer.aesGcm(k.secretKey(), f.random), f.clock, f.random, f.hasher)
                        .create("alice", Fixture.GOOD, Set.of(Role.ADMINISTRATOR));
            }
        }
        try (Pkcs11KeyVault vault = hsm.token().open()) { // a restart: a new session, the key unwrapped again
            try (DataKey k = vault.dataKey("appliance", KeyPurpose.DATA, 1)) {
                UserStore s = UserStore.open(f.dir, Sealer.aesGcm(k.secretKey(), f.random), f.clock, f.random,
                        f.hasher);
                assertThat(s.find("alice").orElseThrow().roles()).containsExactly(Role.ADMINISTRATOR);
            }
            try (DataKey other = vault.dataKey("other", KeyPurpose.DATA, 1)) {
                assertThatThrownBy(() -> UserStore.open(f.dir, Sealer.aesGcm(other.secretKey(), f.random), f.clock,
                        f.random, f.hasher)).isInstanceOf(SealException.class)
                        .hasMessageContaining("wrong key or damaged file");
            }
        }
    }
}
