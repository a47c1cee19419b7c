package dev.cairn.engine.browse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NameGlobTest {
    private static boolean m(String pattern, String name) {
        return NameGlob.compile(pattern).matches(name.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean m(String pattern, byte[] name) {
        return NameGlob.compile(pattern).matches(name);
    }

    @Test
    void literalsMatchExactlyAndAreOfferedForDirectLookup() {
        assertThat(m("db.sql", "db.sql")).isTrue();
        assertThat(m("db.sql", "db.sqlx")).isFalse();
        assertThat(m("db.sql", "xdb.sql")).isFalse();
        assertThat(m("DB.sql", "db.sql")).as("case-sensitive").isFalse();
        assertThat(NameGlob.compile("a\\*b").literal()).containsExactly('a', '*', 'b');
        assertThat(NameGlob.compile("a*b").literal()).isNull();
    }

    @Test
    void starMatchesAnyRunOfBytesIncludingNone() {
        assertThat(m("*.sql", ".sql")).isTrue();
        assertThat(m("*.sql", "clinic.sql")).isTrue();
        assertThat(m("*.sql", "clinic.sql.gz")).isFalse();
        assertThat(m("a*b*c", "aXbYbZc")).isTrue();
        assertThat(m("a*b*c", "aXbYbZ")).isFalse();
        assertThat(m("*", "")).isTrue();
        assertThat(m("**x", "yyx")).isTrue();
    }

    @Test
    void questionMarkIsOneCharacterNotOneByte() {
        assertThat(m("caf?", "café")).as("é is two bytes").isTrue();
        assertThat(m("caf??", "café")).isFalse();
        assertThat(m("?", "\u20ac")).as("three bytes").isTrue();
        assertThat(m("?", "\uD83D\uDE00")).as("four bytes").isTrue();
        assertThat(m("?", new byte[] {(byte) 0xff})).as("an invalid byte is a character of its own").isTrue();
        assertThat(m("??", new byte[] {(byte) 0xc3})).isFalse();
        // a lead byte without its continuation is one character, the next byte another
        assertThat(m("??", new byte[] {(byte) 0xc3, 'a'})).isTrue();
        // overlong and surrogate encodings are not UTF-8: each byte is a character
        assertThat(m("??", new byte[] {(byte) 0xc0, (byte) 0x80})).isTrue();
        assertThat(m("???", new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isTrue();
    }

    @Test
    void escapesNameBytesThatAreNotUtf8AsNodeDisplayShowsThem() {
        byte[] name = {'f', (byte) 0xff, 'o'};
        assertThat(dev.cairn.engine.tree.Node.display(name)).isEqualTo("f\\xffo");
        assertThat(m("f\\xffo", name)).isTrue();
        assertThat(m("f\\xFEo", name)).isFalse();
        assertThat(m("f\\x41o", "fAo")).isTrue();
        assertThat(m("\\*", "*")).isTrue();
        assertThat(m("\\*", "x")).isFalse();
        assertThat(m("a\\\\b", "a\\b")).isTrue();
        assertThat(m("f[\\xff]o", name)).isTrue();
        assertThat(m("f[!\\xff]o", name)).isFalse();
    }

    @Test
    void setsAndRangesWithNegation() {
        assertThat(m("report-[0-9][0-9].pdf", "report-07.pdf")).isTrue();
        assertThat(m("report-[0-9][0-9].pdf", "report-7a.pdf")).isFalse();
        assertThat(m("[!a-c]x", "dx")).isTrue();
        assertThat(m("[^a-c]x", "bx")).isFalse();
        assertThat(m("[]]", "]")).as("] first is a member").isTrue();
        assertThat(m("[a-]", "-")).as("a trailing - is a member").isTrue();
        assertThat(m("[éè]t", "ét")).as("members are characters").isTrue();
    }

    @Test
    void badPatternsAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> NameGlob.compile("a/b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'/'");
        assertThatThrownBy(() -> NameGlob.compile("abc\\")).hasMessageContaining("\\\\");
        assertThatThrownBy(() -> NameGlob.compile("[abc")).hasMessageContaining("not closed");
        assertThatThrownBy(() -> NameGlob.compile("\\q")).hasMessageContaining("unknown escape");
        assertThatThrownBy(() -> NameGlob.compile("\\x2f")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> NameGlob.compile("[z-a]")).hasMessageContaining("backwards");
        assertThatThrownBy(() -> NameGlob.compile("")).hasMessageContaining("empty");
    }
}
