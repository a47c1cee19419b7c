package dev.cairn.hsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The key plane's state directory: wrapped key records and small metadata files, described in
 * docs/keys.md ("State directory"). Nothing here is secret on its own: records are encrypted under
 * keys in the token or sealed to the recovery key. Every write is atomic (temporary file, fsync,
 * rename, fsync of the directory); files are 0600 and directories 0700.
 *
 * <pre>
 * state.dir/
 *   .lock                                  inter-process lock for changes
 *   transport.properties                   BYOK transport key: label, OAEP hash the token accepts
 *   recovery/kit.properties                recovery kit: id, public key, threshold, share count
 *   tenants/&lt;tenant&gt;/tenant.properties     rotation period, KEK creation times and origins
 *   tenants/&lt;tenant&gt;/keys/*.cwk             wrapped key records (docs/formats/wrapped-key.md)
 * </pre>
 */
final class VaultState {
    private final Path root;

    VaultState(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Creates the directory tree when missing. */
    void ensureExists() {
        mkdirs(root);
        mkdirs(root.resolve("tenants"));
    }

    /** Takes the inter-process lock for a change (blocking); close the result to release it. */
    ChangeLock lockForChange() {
        ensureExists();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(root.resolve(".lock"), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return new ChangeLock(ch, ch.lock());
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the lock was never taken
                }
            }
            throw new KeyVaultException("cannot lock key state directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** The held lock; closing it releases the lock and the file. */
    record ChangeLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try (channel) {
                lock.release();
            } catch (IOException e) {
                throw new KeyVaultException("cannot release the key state lock: " + e.getMessage(), e);
            }
        }
    }

    // ---- tenants ----

    List<String> tenants() {
        List<String> out = new ArrayList<>();
        Path dir = root.resolve("tenants");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (TenantId.isValid(name) && Files.isDirectory(p)) {
                    out.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    Properties tenantProperties(String tenant) {
        return readProperties(tenantDir(tenant).resolve("tenant.properties"));
    }

    void writeTenantProperties(String tenant, Properties p) {
        mkdirs(tenantDir(tenant));
        writeProperties(tenantDir(tenant).resolve("tenant.properties"), p);
    }

    /** Every readable record of {@code tenant}; a damaged file is reported, never skipped silently. */
    List<WrappedKey> records(String tenant) {
        List<WrappedKey> out = new ArrayList<>();
        Path dir = tenantDir(tenant).resolve("keys");
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.cwk")) {
            for (Path p : ds) {
                WrappedKey k;
                try {
                    k = WrappedKey.decode(Files.readAllBytes(p));
                } catch (WrappedKeyException e) {
                    throw new WrappedKeyException(p + ": " + e.getMessage(), e);
                }
                if (!k.tenant().equals(tenant) || !k.fileName().equals(p.getFileName().toString())) {
                    throw new WrappedKeyException(p + " holds a record for " + k + "; it was moved or renamed. "
                            + "Put it back where it belongs or remove it.");
                }
                out.add(k);
            }
        } catch (IOException e) {
            throw new KeyVaultException("cannot read wrapped keys of tenant " + tenant + ": " + e.getMessage(), e);
        }
        return out;
    }

    void writeRecord(WrappedKey k) {
        Path dir = tenantDir(k.tenant()).resolve("keys");
        mkdirs(dir);
        writeAtomically(dir.resolve(k.fileName()), k.encode());
    }

    void deleteRecord(WrappedKey k) {
        Path p = tenantDir(k.tenant()).resolve("keys").resolve(k.fileName());
        try {
            Files.deleteIfExists(p);
            fsyncDirectory(p.getParent());
        } catch (IOException e) {
            throw new KeyVaultException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    // ---- single files ----

    Properties transportProperties() {
        return readProperties(root.resolve("transport.properties"));
    }

    void writeTransportProperties(Properties p) {
        writeProperties(root.resolve("transport.properties"), p);
    }

    Properties recoveryKit() {
        return readProperties(root.resolve("recovery").resolve("kit.properties"));
    }

    void writeRecoveryKit(Properties p) {
        mkdirs(root.resolve("recovery"));
        writeProperties(root.resolve("recovery").resolve("kit.properties"), p);
    }

    private Path tenantDir(String tenant) {
        return root.resolve("tenants").resolve(TenantId.check(tenant));
    }

    // ---- I/O helpers ----

    /** Empty when the file does not exist. Keys are kept sorted when written back. */
    private static Properties readProperties(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return p;
        } catch (IOException | IllegalArgumentException e) {
            throw new KeyVaultException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return p;
    }

    private static void writeProperties(Path file, Properties p) {
        StringBuilder sb = new StringBuilder("# Cairn key plane state, see docs/keys.md. Written by Cairn; do not edit.\n");
        for (var e : new TreeMap<>(p).entrySet()) {
            StringWriter w = new StringWriter();
            Properties one = new Properties();
            one.setProperty((String) e.getKey(), (String) e.getValue());
            try {
                one.store(w, null);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            w.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> sb.append(l).append('\n'));
        }
        writeAtomically(file, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Temporary file, fsync, rename over the target, fsync of the directory. Mode 0600. */
    static void writeAtomically(Path target, byte[] bytes) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            fsyncDirectory(dir);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary name is ignored by readers; a later write reuses nothing of it
            }
            throw new KeyVaultException("cannot write " + target + ": " + e.getMessage()
                    + ". Check free space and permissions of the key state directory.", e);
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new KeyVaultException("cannot create key state directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
