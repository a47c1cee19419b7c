package dev.cairn.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HsmConfigTest {
    @TempDir
    Path dir;

    @Test
    void relativePathsResolveBesideTheFile() throws Exception {
        HsmConfig c = HsmConfig.load(write("""
                # a comment
                library = /usr/lib/softhsm/libsofthsm2.so
                token.label = cairn
                pin.file = user.pin
                state.dir = state
                env.SOFTHSM2_CONF = /etc/softhsm2.conf
                """));
        assertThat(c.library()).isEqualTo(Path.of("/usr/lib/softhsm/libsofthsm2.so"));
        assertThat(c.pinFile()).isEqualTo(dir.resolve("user.pin"));
        assertThat(c.stateDir()).isEqualTo(dir.resolve("state"));
        assertThat(c.env()).containsEntry("SOFTHSM2_CONF", "/etc/softhsm2.conf");
        assertThat(c.pinEnv()).isEqualTo("CAIRN_HSM_PIN");
        assertThat(c.isNss()).isFalse();
    }

    @Test
    void nssNeedsNoLabel() throws Exception {
        HsmConfig c = HsmConfig.load(write("nss.db = db\nstate.dir = s\npin.env = MY_PIN\n"));
        assertThat(c.isNss()).isTrue();
        assertThat(c.tokenLabel()).isEqualTo("NSS Certificate DB");
        assertThat(c.moduleFile()).isEqualTo(Path.of("/usr/lib/x86_64-linux-gnu/libsoftokn3.so"));
    }

    @Test
    void mistakesNameTheLineAndTheFix() throws Exception {
        assertThatThrownBy(() -> HsmConfig.load(write("library = x\ntoken.lable = y\n"))).isInstanceOf(HsmConfigException.class)
                .hasMessageContaining("line 2").hasMessageContaining("token.lable");
        assertThatThrownBy(() -> HsmConfig.load(write("library = x\nlibrary = y\n"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> HsmConfig.load(write("library = x\nnss.db = y\nstate.dir = s\n"))).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> HsmConfig.load(write("library = x\nstate.dir = s\n"))).hasMessageContaining("token.label");
        assertThatThrownBy(() -> HsmConfig.load(write("library = x\ntoken.label = a\nslot = 1\nstate.dir = s\n"))).hasMessageContaining("not both");
        assertThatThrownBy(() -> HsmConfig.load(write("library = x\ntoken.label = a\n"))).hasMessageContaining("state.dir");
        assertThatThrownBy(() -> HsmConfig.load(write("library = x\ntoken.label = a\nstate.dir = s\nenv.bad-name = 1\n")))
                .hasMessageContaining("bad-name");
        assertThatThrownBy(() -> HsmConfig.load(write("just words\n"))).hasMessageContaining("key = value");
        assertThatThrownBy(() -> HsmConfig.load(dir.resolve("missing.conf"))).isInstanceOf(HsmConfigException.class)
                .hasMessageContaining("init-softhsm");
    }

    private Path write(String text) throws Exception {
        Path p = dir.resolve("hsm.conf");
        Files.writeString(p, text);
        return p;
    }
}
