package dev.cairn.engine.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeNameTest {

    @Test
    void keepsBytesAndCopiesThem() {
        byte[] b = {0x66, (byte) 0xff, 0x6f};
        NativeName n = NativeName.of(b);
        b[0] = 'X';
        assertThat(n.bytes()).containsExactly(0x66, 0xff, 0x6f);
        byte[] out = n.bytes();
        out[0] = 'Y';
        assertThat(n.bytes()[0]).isEqualTo((byte) 0x66);
        assertThat(n.length()).isEqualTo(3);
        assertThat(n.isUtf8()).isFalse();
        assertThat(NativeName.of("Müller").isUtf8()).isTrue();
    }

    @Test
    void rejectsWhatIsNotAName() {
        assertThatThrownBy(() -> NativeName.of(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeName.of(".")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeName.of("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeName.of("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeName.of(new byte[] {'a', 0, 'b'})).isInstanceOf(IllegalArgumentException.class);
        assertThat(NativeName.of("...").length()).isEqualTo(3);
        assertThat(NativeName.of(".hidden").length()).isEqualTo(7);
    }

    @Test
    void equalityAndUnsignedOrder() {
        NativeName low = NativeName.of(new byte[] {0x7f});
        NativeName high = NativeName.of(new byte[] {(byte) 0x80});
        NativeName ff = NativeName.of(new byte[] {(byte) 0xff});
        NativeName a = NativeName.of("a");
        NativeName ab = NativeName.of("ab");
        assertThat(low).isLessThan(high);
        assertThat(high).isLessThan(ff);
        assertThat(a).isLessThan(ab);
        assertThat(NativeName.of(new byte[] {'a'})).isEqualTo(a).hasSameHashCodeAs(a);
        List<NativeName> l = new ArrayList<>(List.of(ff, ab, high, a, low));
        Collections.sort(l);
        assertThat(l).containsExactly(a, ab, low, high, ff);
    }

    @Test
    void displayEscapesInvalidBytesControlsAndBackslash() {
        assertThat(NativeName.of(new byte[] {0x66, (byte) 0xff, 0x6f}).display()).isEqualTo("f\\xffo");
        assertThat(NativeName.of("line\nbreak").display()).isEqualTo("line\\x0abreak");
        assertThat(NativeName.of("a b").display()).isEqualTo("a b");
        assertThat(NativeName.of("Befund Müller 医療.pdf").display()).isEqualTo("Befund Müller 医療.pdf");
        assertThat(NativeName.of("back\\slash").display()).isEqualTo("back\\\\slash");
        // a lone lead byte, a truncated sequence at the end, an encoded surrogate: all invalid UTF-8
        assertThat(NativeName.of(new byte[] {(byte) 0xc3, 'x'}).display()).isEqualTo("\\xc3x");
        assertThat(NativeName.of(new byte[] {'x', (byte) 0xe2, (byte) 0x82}).display()).isEqualTo("x\\xe2\\x82");
        assertThat(NativeName.of(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}).display())
                .isEqualTo("\\xed\\xa0\\x80");
        // U+202E RIGHT-TO-LEFT OVERRIDE would make "evil\u202Efdp.exe" look like "evilexe.pdf"
        assertThat(NativeName.of("evil\u202Efdp.exe").display()).isEqualTo("evil\\xe2\\x80\\xaefdp.exe");
        // a C1 control (U+0085) is escaped as its two UTF-8 bytes
        assertThat(NativeName.of("a\u0085b").display()).isEqualTo("a\\xc2\\x85b");
        // four-byte UTF-8 stays as is
        assertThat(NativeName.of("x\uD83D\uDE00").display()).isEqualTo("x\uD83D\uDE00");
    }

    @Test
    void fromDisplayInvertsDisplay() {
        List<byte[]> names = List.of(new byte[] {0x66, (byte) 0xff, 0x6f}, "line\nbreak".getBytes(),
                "back\\slash\\x41".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "evil\u202Efdp.exe".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "Befund Müller 医療 \uD83D\uDE00".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[] {(byte) 0xc3, 'x', (byte) 0xe2, (byte) 0x82});
        for (byte[] b : names) {
            NativeName n = NativeName.of(b);
            assertThat(NativeName.fromDisplay(n.display())).isEqualTo(n);
        }
        assertThat(NativeName.fromDisplay("f\\xFFo")).isEqualTo(NativeName.of(new byte[] {0x66, (byte) 0xff, 0x6f}));
        assertThatThrownBy(() -> NativeName.fromDisplay("a\\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NativeName.fromDisplay("a\\")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringDoesNotShowTheName() {
        assertThat(NativeName.of("Patient Doe").toString()).doesNotContain("Doe").contains("11");
        assertThat(XattrName.of("user.diagnosis").toString()).doesNotContain("diagnosis").contains("user");
    }

    @Test
    void xattrNamesAllowSlashButNotNul() {
        XattrName x = XattrName.of("user.a/b");
        assertThat(x.namespace()).isEqualTo("user");
        assertThat(XattrName.POSIX_ACL_ACCESS.namespace()).isEqualTo("system");
        assertThatThrownBy(() -> XattrName.of(new byte[] {'u', 0})).isInstanceOf(IllegalArgumentException.class);
        assertThat(XattrName.of("user.a")).isLessThan(XattrName.of("user.b")).isEqualTo(XattrName.of("user.a"));
    }
}
