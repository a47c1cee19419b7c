package dev.cairn.mgmt.files;

import java.io.IOException;
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

/**
 * The one way the control plane writes its state files: mode 0600 in 0700 directories, replaced atomically
 * (temp file in the same directory, fsync, rename, fsync of the directory) or appended durably, so a crash at any
 * moment leaves either the old or the new version. Callers map the {@link IOException} to their own message.
 */
public final class PrivateFiles {
    /** Owner read and write only. */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** Owner only. */
    public static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /**
     * Makes {@code dir} a directory only its owner can use: created mode 0700 if absent (the new entry made
     * durable in its parent), narrowed to 0700 if it exists. A symbolic link or a file in its place is refused.
     */
    public static void prepareDirectory(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException(dir + " is a symbolic link; give the real directory");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            fsyncDirectory(dir.toAbsolutePath().getParent());
        }
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIR_MODE)) {
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
    }

    /**
     * Replaces {@code file} with {@code data} through {@code tmp} (a path in the same directory that nothing else
     * uses; a leftover from a crash is removed first). On failure the temp file is removed and {@code file} is
     * unchanged.
     */
    public static void replace(Path file, Path tmp, byte[] data) throws IOException {
        Files.deleteIfExists(tmp);
        try {
            try (FileChannel ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(FILE_MODE))) {
                writeFully(ch, data);
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed by the next write or open
            }
            throw e;
        }
    }

    /** Appends {@code data} to {@code file} (created 0600 if absent, then the directory is fsynced) and fsyncs it. */
    public static void append(Path file, byte[] data) throws IOException {
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
    }

    /** Makes a rename or a new file in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void writeFully(FileChannel ch, byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
