package dev.cairn.hsm;

import dev.cairn.hsm.testing.NssToken;
import java.nio.file.Path;

/** The key vault contract against NSS softoken (a second PKCS#11 implementation) through SunPKCS11's NSS mode. */
class NssKeyVaultTest extends KeyVaultContract {

    @Override
    protected Pkcs11KeyVault openVault() {
        return NssToken.shared().open(clock);
    }

    @Override
    protected Path stateDir() {
        return NssToken.shared().stateDir();
    }

    /** NSS copies the generated session key into its database; the copy reports alwaysSensitive/neverExtractable/local false. */
    @Override
    protected boolean keepsGenerationAttributes() {
        return false;
    }

    @Override
    protected boolean enforcesDeriveLimit() {
        return false;
    }
}
