package dev.cairn.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.fs.Dir;
import dev.cairn.engine.fs.NativeName;
import dev.cairn.engine.fs.OpenFile;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.tree.Node;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.engine.testing.TreeListing;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RoundTripTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @TempDir
    Path tmp;

    static void write(Path p, byte[] data) throws Exception {
        Files.createDirectories(p.getParent());
        Files.write(p, data);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    Path sampleTree() throws Exception {
        Path src = tmp.resolve("src");
        write(src.resolve("empty"), new byte[0]);
        write(src.resolve("small.txt"), "hello clinic\n".getBytes());
        write(src.resolve("dir/big.bin"), random(5 << 20, 1));
        write(src.resolve("dir/sub/deeper/x.sql"), random(300_000, 2));
        Files.writeString(src.resolve("dir/text.log"), "line\n".repeat(100_000));
        Files.createSymbolicLink(src.resolve("link"), Path.of("dir/big.bin"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("/nowhere/at/all"));
        Files.createLink(src.resolve("dir/hard"), src.resolve("small.txt"));
        new ProcessBuilder("mkfifo", src.resolve("fifo").toString()).start().waitFor();
        try (Dir d = Dir.open(src)) {
            NativeName odd = NativeName.of(new byte[] {'f', (byte) 0xff, 'o'});
            try (OpenFile f = d.create(odd, 0640)) {
                f.write(0, "latin1 name".getBytes(), 0, 11);
            }
            // a sparse file: 1 GiB with two data islands
            try (OpenFile f = d.create(NativeName.of("disk.raw"), 0600)) {
                f.write(4096, random(8192, 3), 0, 8192);
                f.write(512L << 20, random(65536, 4), 0, 65536);
                f.setLength(1L << 30);
            }
        }
        new ProcessBuilder("setfattr", "-n", "user.clinic", "-v", "0x00ff10", src.resolve("small.txt").toString()).start().waitFor();
        new ProcessBuilder("chmod", "2750", src.resolve("dir").toString()).start().waitFor();
        new ProcessBuilder("touch", "-h", "-d", "2020-02-02 02:02:02.123456789", src.resolve("link").toString()).start().waitFor();
        return src;
    }

    @Test
    void aTreeRestoresIdenticalWithItsMetadataAndTheSecondBackupReadsNothing() throws Exception {
        Path src = sampleTree();
        try (EngineFixture fx = new EngineFixture(HSM.token(), tmp.resolve("repo"), "clinic-a")) {
            Snapshot s1 = Backup.run(fx.repo, new Backup.Options("clinic-a", List.of(src), Set.of("nightly"), "test", "auto", null));
            assertThat(s1.summary().errors()).isZero();
            assertThat(s1.summary().newBlobs()).isGreaterThan(3);
            Path target = tmp.resolve("restore");
            Restore.Result r = Restore.run(fx.repo, new Restore.Options("clinic-a", s1.id(), target, List.of(), false, null));
            Path restored = target.resolve(src.toString().substring(1));
            assertThat(TreeListing.of(restored)).containsExactlyElementsOf(TreeListing.of(src));
            assertThat(Files.size(restored.resolve("disk.raw"))).isEqualTo(1L << 30);
            assertThat(r.skipped()).isEmpty();

            // nothing changed: nothing is read or stored again, and the parent is the first snapshot
            Snapshot s2 = Backup.run(fx.repo, new Backup.Options("clinic-a", List.of(src), Set.of(), "test", "auto", null));
            assertThat(s2.parent()).isEqualTo(s1.id());
            assertThat(s2.summary().bytesRead()).isZero();
            assertThat(s1.summary().bytesRead()).isGreaterThan(5 << 20);
            // the directories above src (/tmp, the JUnit directory) changed when the restore target was
            // made; src's own tree must be the very same blob
            assertThat(subtree(fx, s2, src)).isEqualTo(subtree(fx, s1, src));

            assertThatThrownBy(() -> Restore.run(fx.repo, new Restore.Options("clinic-a", s1.id(), target, List.of(), false, null)))
                    .isInstanceOf(RepoException.class).hasMessageContaining("--overwrite");
        }
    }

    /** The TREE blob id of the directory at absolute path {@code p} inside snapshot {@code s}. */
    static String subtree(EngineFixture fx, Snapshot s, Path p) {
        byte[] id = s.tree();
        for (Path part : p) {
            Node n = fx.repo.readTree("clinic-a", id).find(part.toString().getBytes());
            assertThat(n).as("entry %s", part).isNotNull();
            id = n.subtree();
        }
        return java.util.HexFormat.of().formatHex(id);
    }
}
