package dev.cairn.engine.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.chunk.ChunkerParams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepoConfigTest {
    static final RepoConfig FRESH = RepoConfig.fresh("00".repeat(32), Instant.parse("2026-11-28T16:00:00Z"));

    static RepoConfig.DataClass classOf(String name) {
        return FRESH.dataClassFor(name.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void vmImagesAndDumpsAreFineAndEverythingElseDefault() {
        for (String fine : List.of("ehr-app01-disk0.raw", "DC01.VHDX", "disk.qcow2", "w2019.vmdk", "clinic_ehr_nightly.sql",
                "pg.Dump", ".raw", "a.img", "b.vhd")) {
            RepoConfig.DataClass c = classOf(fine);
            assertThat(c.name()).as(fine).isEqualTo("fine");
            assertThat(c.chunking()).isEqualTo(ChunkerParams.FINE);
            assertThat(c.compressionLevel()).isEqualTo(RepoConfig.DEFAULT_FINE_COMPRESSION_LEVEL);
        }
        for (String other : List.of("IM00001.dcm", "scan.pdf", "notes.sql.gz", "raw", "disk.raw.bak", "sql", "x.rawx", "")) {
            RepoConfig.DataClass c = classOf(other);
            assertThat(c.name()).as(other).isEqualTo("default");
            assertThat(c.chunking()).isEqualTo(ChunkerParams.DEFAULT);
            assertThat(c.compressionLevel()).isEqualTo(RepoConfig.DEFAULT_COMPRESSION_LEVEL);
        }
        assertThat(FRESH.chunkingFor("x.SQL".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ChunkerParams.FINE);
    }

    @Test
    void namesThatAreNotTextStillClassify() {
        // bytes no charset decodes; java.nio's PathMatcher would need them as a String first
        byte[] latin1 = {'d', (byte) 0xe9, 'j', (byte) 0xe0, '.', 'r', 'a', 'w'};
        byte[] invalidUtf8 = {(byte) 0xff, (byte) 0xfe, '.', 'S', 'Q', 'L'};
        byte[] controls = {1, 2, 3, '.', 'd', 'c', 'm'};
        assertThat(FRESH.dataClassFor(latin1).name()).isEqualTo("fine");
        assertThat(FRESH.dataClassFor(invalidUtf8).name()).isEqualTo("fine");
        assertThat(FRESH.dataClassFor(controls).name()).isEqualTo("default");
    }

    @Test
    void globsMatchBytesWithStarAndQuestionMark() {
        assertThat(RepoConfig.NameGlob.matches("*.raw", "a.raw".getBytes())).isTrue();
        assertThat(RepoConfig.NameGlob.matches("*.raw", "a.ra".getBytes())).isFalse();
        assertThat(RepoConfig.NameGlob.matches("disk?.img", "disk7.img".getBytes())).isTrue();
        assertThat(RepoConfig.NameGlob.matches("disk?.img", "disk17.img".getBytes())).isFalse();
        assertThat(RepoConfig.NameGlob.matches("*-flat*.vmdk", "srv-flat-000001.vmdk".getBytes())).isTrue();
        assertThat(RepoConfig.NameGlob.matches("*", new byte[0])).isTrue();
        assertThat(RepoConfig.NameGlob.matches("a*", new byte[0])).isFalse();
        // only ASCII letters fold: 0xc9 ('É' in Latin-1) is not 0xe9 ('é')
        assertThat(RepoConfig.NameGlob.matches("*.RAW", "x.raw".getBytes())).isTrue();
        assertThat(RepoConfig.NameGlob.matches("*.r?w", new byte[] {'.', 'r', (byte) 0xc9, 'w'})).isTrue();
        assertThat(RepoConfig.NameGlob.matches("*.r\u00e9w", new byte[] {'.', 'r', (byte) 0xc9, 'w'})).isFalse();
    }

    @Test
    void aGlobOutsideTheLanguageIsRefused() {
        for (String bad : List.of("", "*.{raw,img}", "[ab].sql", "dir/*.raw", "a b", "x\\*")) {
            assertThatThrownBy(() -> new RepoConfig(1, "id", Instant.EPOCH, RepoConfig.DEFAULT_PACK_TARGET, 3, ChunkerParams.DEFAULT,
                    ChunkerParams.FINE, List.of(bad), Map.of(), 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void levelsSurviveEncodingAndAnOlderConfigUsesOneLevelForBoth() {
        RepoConfig c = new RepoConfig(1, "id", Instant.EPOCH, RepoConfig.DEFAULT_PACK_TARGET, 3, ChunkerParams.DEFAULT,
                ChunkerParams.FINE, RepoConfig.DEFAULT_FINE_FOR, Map.of(), 1).withTenant("clinic-a");
        RepoConfig back = RepoConfig.decode(c.encode(), Path.of("config.json"));
        assertThat(back).isEqualTo(c);
        assertThat(back.fineCompressionLevel()).isEqualTo(1);
        assertThat(back.compressionLevel()).isEqualTo(3);
        assertThat(new String(c.encode(), StandardCharsets.UTF_8)).contains("\"fineLevel\" : 1");
        assertThat(RepoConfig.decode(FRESH.encode(), Path.of("config.json"))).isEqualTo(FRESH);

        String older = new String(c.encode(), StandardCharsets.UTF_8).replaceAll(",\\s*\"fineLevel\" : 1", "");
        assertThat(older).doesNotContain("fineLevel");
        RepoConfig old = RepoConfig.decode(older.getBytes(StandardCharsets.UTF_8), Path.of("config.json"));
        assertThat(old.fineCompressionLevel()).isEqualTo(3);
        assertThat(old.dataClassFor("a.raw".getBytes()).compressionLevel()).isEqualTo(3);
    }
}
