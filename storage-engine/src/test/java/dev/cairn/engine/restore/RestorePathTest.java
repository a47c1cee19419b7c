package dev.cairn.engine.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Paths given to a restore as text reach names that are not UTF-8 through PEP 383 surrogate escapes. */
class RestorePathTest {
    @Test
    void utf8NamesAreTheirUtf8Bytes() {
        List<byte[]> c = Restore.components("/srv//clinic/./caf\u00e9/\uD800\uDC80");
        assertThat(c).hasSize(4);
        assertThat(c.get(2)).isEqualTo("caf\u00e9".getBytes(StandardCharsets.UTF_8));
        // a surrogate pair whose low half is in the escape range is one character, not an escape
        assertThat(c.get(3)).isEqualTo("\uD800\uDC80".getBytes(StandardCharsets.UTF_8)).hasSize(4);
    }

    @Test
    void loneLowSurrogatesStandForSingleBytes() {
        List<byte[]> c = Restore.components("/data/scan\uDCFF\uDCFE.dcm");
        assertThat(c.get(1)).containsExactly('s', 'c', 'a', 'n', 0xff, 0xfe, '.', 'd', 'c', 'm');
        assertThat(Restore.components("/\uDC80").getFirst()).containsExactly(0x80);
    }
}
