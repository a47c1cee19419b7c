package dev.cairn.mgmt.identity;

import dev.cairn.mgmt.files.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The identity files' I/O (docs/formats/user-store.md, section 1): a 0700 directory, 0600 files, whole-file writes
 * through a temporary file in the same directory that is fsynced, renamed over the target, then the directory
 * fsynced. A crash leaves the old or the new file, never a mix; a leftover temporary file is removed at the next
 * open.
 */
final class SecureFiles {
    static final String TMP_PREFIX = ".tmp-";

    private SecureFiles() {
    }

    /** Creates {@code dir} (0700) if needed, tightens it to 0700, and removes temporaries a crash left behind. */
    static void prepareDir(Path dir) {
        try {
            PrivateFiles.prepareDirectory(dir);
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, TMP_PREFIX + "*")) {
                for (Path p : s) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the identity directory " + dir
                    + " (it must be a directory this service owns): " + e.getMessage(), e);
        }
    }

    /** The file's bytes, or empty if it does not exist. */
    static Optional<byte[]> read(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code target} atomically and durably with {@code bytes}, mode 0600. */
    static void writeAtomically(Path target, byte[] bytes, SecureRandom random) {
        byte[] r = new byte[8];
        random.nextBytes(r);
        Path tmp = target.resolveSibling(TMP_PREFIX + target.getFileName() + "-" + HexFormat.of().formatHex(r));
        try {
            PrivateFiles.replace(target, tmp, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + " (check free space and permissions; "
                    + "the previous version is unchanged): " + e.getMessage(), e);
        }
    }
}
