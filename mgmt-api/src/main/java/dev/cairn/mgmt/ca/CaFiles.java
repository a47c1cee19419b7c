package dev.cairn.mgmt.ca;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Durable file operations of the CA directory (docs/formats/appliance-ca.md, section "Writing"). */
final class CaFiles {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private CaFiles() {
    }

    /** Creates {@code dir} with mode 0700, or narrows an existing directory to 0700. */
    static void ensureDirectory(Path dir) {
        try {
            if (Files.isSymbolicLink(dir)) {
                throw new IllegalArgumentException("the CA directory " + dir + " is a symbolic link; give the real directory");
            }
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
                fsyncDirectory(dir.toAbsolutePath().getParent());
            }
            if (!Files.getPosixFilePermissions(dir).equals(DIR_MODE)) {
                Files.setPosixFilePermissions(dir, DIR_MODE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the CA directory " + dir + " (mode 0700)", e);
        }
    }

    /** Replaces {@code file} with {@code data}: temp file in the same directory, fsync, rename, fsync the directory. */
    static void writeAtomically(Path file, byte[] data) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(FILE_MODE))) {
                writeFully(ch, data);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + "; check free space and permissions", e);
        }
    }

    /** Appends {@code data} to {@code file} (created 0600 if absent) and fsyncs it before returning. */
    static void appendDurably(Path file, byte[] data) {
        try {
            boolean created = false;
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
                    created = true;
                } catch (FileAlreadyExistsException e) {
                    // made in the meantime: append to it
                }
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                writeFully(ch, data);
                ch.force(true);
            }
            if (created) {
                fsyncDirectory(file.toAbsolutePath().getParent());
            }
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

    private static void writeFully(FileChannel ch, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
