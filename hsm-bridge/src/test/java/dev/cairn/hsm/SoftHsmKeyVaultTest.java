package dev.cairn.hsm;

import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key vault contract against SoftHSM2 2.6 through SunPKCS11. */
class SoftHsmKeyVaultTest extends KeyVaultContract {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @Override
    protected Pkcs11KeyVault openVault() {
        return HSM.token().open(clock);
    }

    @Override
    protected Path stateDir() {
        return HSM.token().stateDir();
    }

    @Override
    protected boolean keepsGenerationAttributes() {
        return true;
    }

    @Override
    protected boolean enforcesDeriveLimit() {
        return true;
    }
}
