package dev.cairn.mgmt.ca;

import dev.cairn.mgmt.files.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Durable file operations of the CA directory (docs/formats/appliance-ca.md, section "Writing"). */
final class CaFiles {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private CaFiles() {
    }

    /** Creates {@code dir} with mode 0700, or narrows an existing directory to 0700. */
    static void ensureDirectory(Path dir) {
        if (java.nio.file.Files.isSymbolicLink(dir)) {
            throw new IllegalArgumentException("the CA directory " + dir + " is a symbolic link; give the real directory");
        }
        try {
            PrivateFiles.prepareDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the CA directory " + dir + " (mode 0700): " + e.getMessage(), e);
        }
    }

    /** Replaces {@code file} with {@code data}: temp file in the same directory, fsync, rename, fsync the directory. */
    static void writeAtomically(Path file, byte[] data) {
        try {
            PrivateFiles.replace(file, file.toAbsolutePath().getParent().resolve(file.getFileName() + ".tmp"), data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + "; check free space and permissions", e);
        }
    }

    /** Appends {@code data} to {@code file} (created 0600 if absent) and fsyncs it before returning. */
    static void appendDurably(Path file, byte[] data) {
        try {
            PrivateFiles.append(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + "; check free space and permissions", e);
        }
    }

    /** Cuts {@code file} to {@code length} bytes (a torn last line left by a crash) and fsyncs it. */
    static void truncate(Path file, long length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cut the torn last line of " + file, e);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        PrivateFiles.fsyncDirectory(dir);
    }
}
