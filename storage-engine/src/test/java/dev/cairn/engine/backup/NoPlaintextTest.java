package dev.cairn.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.engine.testing.EngineFixture;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ENC-1: no plaintext at rest. A marker is planted in file contents (compressible and not), in a file
 * name, a directory name, an xattr value and a symlink target; after a backup, no byte sequence of the
 * marker is found in any file of the repository, RocksDB's files and logs included.
 */
class NoPlaintextTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    private static final String MARKER = "PATIENT-Doe-Jane-1961-04-02-MRN-0042917";

    @TempDir
    Path src;

    @TempDir
    Path work;

    @Test
    void theMarkerIsNowhereInTheRepositoryAfterABackup() throws Exception {
        byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
        Files.writeString(src.resolve("notes.txt"), ("visit note: " + MARKER + "\n").repeat(5000));
        byte[] noise = new byte[3 << 20];
        new Random(7).nextBytes(noise);
        System.arraycopy(marker, 0, noise, 1 << 20, marker.length);
        Files.write(src.resolve("scan.tif"), noise);
        Path dir = Files.createDirectory(src.resolve("dir-" + MARKER));
        Files.writeString(dir.resolve(MARKER + ".pdf"), "x");
        Files.createSymbolicLink(src.resolve("link"), Path.of("/srv/" + MARKER));
        assertThat(new ProcessBuilder("setfattr", "-n", "user.patient", "-v", MARKER, src.resolve("notes.txt").toString())
                .start().waitFor()).isZero();

        // the scan itself works: it finds the marker in the source tree
        assertThat(filesContaining(src, marker)).isNotEmpty();

        try (EngineFixture fx = new EngineFixture(HSM.token(), work.resolve("repo"), "clinic-a")) {
            Snapshot s = Backup.run(fx.repo, new Backup.Options("clinic-a", List.of(src), Set.of("nightly"), "host", "auto", null));
            assertThat(s.summary().errors()).isZero();
            fx.reopen(); // RocksDB flushes its memtable and logs on close
            assertThat(filesContaining(fx.repoDir, marker)).isEmpty();
            // nor its lower-case form or the first half alone (a split across a chunk boundary)
            assertThat(filesContaining(fx.repoDir, MARKER.toLowerCase().getBytes(StandardCharsets.US_ASCII))).isEmpty();
            assertThat(filesContaining(fx.repoDir, MARKER.substring(0, 20).getBytes(StandardCharsets.US_ASCII))).isEmpty();
        }
    }

    private static List<Path> filesContaining(Path root, byte[] needle) throws IOException {
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> w = Files.walk(root)) {
            for (Path p : w.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(p), needle) >= 0) {
                    hits.add(p);
                }
            }
        }
        return hits;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
