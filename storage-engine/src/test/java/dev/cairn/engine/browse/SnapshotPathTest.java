package dev.cairn.engine.browse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotPathTest {
    @Test
    void emptyComponentsAndDotsAreDroppedAndTheRootIsSlash() {
        SnapshotPath p = SnapshotPath.literal("//srv/./clinic/");
        assertThat(p.depth()).isEqualTo(2);
        assertThat(new String(p.bytes())).isEqualTo("/srv/clinic");
        assertThat(SnapshotPath.literal("/").isRoot()).isTrue();
        assertThat(new String(SnapshotPath.ROOT.bytes())).isEqualTo("/");
        assertThatThrownBy(() -> SnapshotPath.literal("/srv/../etc")).hasMessageContaining("..");
    }

    @Test
    void escapesGiveExactBytesAndTheLiteralReadingComesFirst() {
        List<SnapshotPath> c = SnapshotPath.candidates("/data/f\\xffo");
        assertThat(c).hasSize(2);
        assertThat(c.get(0).components().get(1)).containsExactly('f', '\\', 'x', 'f', 'f', 'o');
        assertThat(c.get(1).components().get(1)).containsExactly('f', 0xff, 'o');
        assertThat(c.get(1).display()).isEqualTo("/data/f\\xffo");
        // nothing to unescape: one reading; a backslash that is no escape: only the literal one
        assertThat(SnapshotPath.candidates("/a/b")).hasSize(1);
        assertThat(SnapshotPath.candidates("/a\\q")).hasSize(1);
        assertThat(SnapshotPath.unescaped("/a\\\\b").components().getFirst()).containsExactly('a', '\\', 'b');
        assertThatThrownBy(() -> SnapshotPath.unescaped("/a\\x00")).hasMessageContaining("NUL");
    }

    @Test
    void escapedTextKeepsUtf8AndTurnsOtherBytesIntoLoneSurrogates() {
        SnapshotPath p = SnapshotPath.unescaped("/caf\\xc3\\xa9/f\\xffo");
        assertThat(p.escapedText()).isEqualTo("/caf\u00e9/f\uDCFFo");
        assertThat(SnapshotPath.literal("/\uD83D\uDE00").escapedText()).isEqualTo("/\uD83D\uDE00");
    }

    @Test
    void equalityIsOnBytesAndToStringHidesTheNames() {
        assertThat(SnapshotPath.literal("/a/b")).isEqualTo(SnapshotPath.ROOT.child("a".getBytes()).child("b".getBytes()));
        assertThat(SnapshotPath.literal("/a/b")).isNotEqualTo(SnapshotPath.literal("/a/c"));
        assertThat(SnapshotPath.literal("/secret-patient").toString()).doesNotContain("patient");
        assertThatThrownBy(() -> SnapshotPath.of(List.of("a/b".getBytes()))).isInstanceOf(IllegalArgumentException.class);
    }
}
