package dev.cairn.engine.pack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Writes one pack (docs/formats/repository.md 3 and 8): blobs are sealed and appended to a temporary
 * file as they come; {@link #seal} writes the footer, fsyncs, reads the file back to check it, renames
 * it to its content address and fsyncs the directories. A writer that failed once is dead: it deletes
 * its temporary file and every later call fails. Not thread safe.
 */
public final class PackWriter implements AutoCloseable {
    private static final int BUFFER = 1 << 20;
    /** Bytes encrypted per Cipher.update call in {@link #add}. */
    private static final int SLICE = 64 << 10;

    private final Path repo;
    private final Path tmp;
    private final PackFormat.Header header;
    private final byte[] headerHash;
    private final SecretKey key;
    private final FileChannel channel;
    private final MessageDigest sha;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private final List<PackEntry> entries = new ArrayList<>();
    private final Cipher cipher;
    /** Reused for each blob's ciphertext and tag (as long as the longest blob so far). */
    private byte[] sealed = new byte[0];
    private long position;
    private boolean failed;
    private boolean done;

    /**
     * @param key the pack key: HKDF of the tenant's data key {@code header.keyVersion()} with
     *            {@code header.salt()} and {@link PackFormat#KEY_INFO}
     */
    public PackWriter(Path repo, PackFormat.Header header, SecretKey key) {
        this.repo = repo;
        this.header = header;
        this.headerHash = header.hash();
        this.key = key;
        this.tmp = repo.resolve("tmp").resolve("pack-" + UUID.randomUUID() + ".tmp");
        try {
            this.channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            this.sha = MessageDigest.getInstance("SHA-256");
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a pack in " + tmp.getParent() + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        write(ByteBuffer.wrap(header.encode()));
    }

    /** New salt for a new pack. */
    public static byte[] newSalt(SecureRandom random) {
        byte[] s = new byte[PackFormat.SALT];
        random.nextBytes(s);
        return s;
    }

    public PackFormat.Header header() {
        return header;
    }

    /** Bytes written so far (header and blobs). */
    public long size() {
        return position;
    }

    public int blobCount() {
        return entries.size();
    }

    /**
     * Seals and appends one blob.
     *
     * @param stored      the bytes to encrypt: the plaintext, or its zstd frame when {@code compression} is ZSTD
     * @param rawLength   the uncompressed plaintext length
     */
    public void add(BlobType type, byte[] id, byte[] stored, int offset, int length, Compression compression, int rawLength) {
        ensureUsable();
        int index = entries.size();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, PackFormat.blobNonce(index)));
            cipher.updateAAD(PackFormat.blobAad(headerHash, type, id, compression, rawLength));
            if (sealed.length < length + PackFormat.TAG) {
                sealed = new byte[length + PackFormat.TAG];
            }
            // In slices: the JDK's AES-GCM reaches its AVX/VAES intrinsic only once its callers are JIT-compiled,
            // which one call per blob takes thousands of blobs to get to (a whole backup ran at 20-100 MB/s).
            int n = 0;
            int done = 0;
            for (; length - done > SLICE; done += SLICE) {
                n += cipher.update(stored, offset + done, SLICE, sealed, n);
            }
            n += cipher.doFinal(stored, offset + done, length - done, sealed, n);
            entries.add(new PackEntry(type, id, position, n, rawLength, compression, index));
            write(ByteBuffer.wrap(sealed, 0, n));
        } catch (GeneralSecurityException e) {
            fail();
            throw new IllegalStateException("AES-GCM failed", e);
        } catch (RuntimeException e) {
            fail();
            throw e;
        }
    }

    /**
     * Writes the footer and trailer, fsyncs, checks the file by reading it back, moves it to
     * {@code packs/xx/<id>.pack} and fsyncs the directories. Returns what is now durable.
     */
    public PackInfo seal() {
        ensureUsable();
        try {
            ByteBuffer footer = ByteBuffer.allocate(4 + entries.size() * PackFormat.FOOTER_ENTRY).putInt(entries.size());
            for (PackEntry e : entries) {
                footer.put((byte) e.type().code()).put(e.id()).putLong(e.offset()).putInt(e.storedLength())
                        .putInt(e.rawLength()).put((byte) e.compression().code());
            }
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, PackFormat.footerNonce(entries.size())));
            cipher.updateAAD(PackFormat.footerAad(headerHash));
            byte[] sealedFooter = cipher.doFinal(footer.array());
            write(ByteBuffer.wrap(sealedFooter));
            write(ByteBuffer.allocate(PackFormat.TRAILER).putInt(sealedFooter.length).put(PackFormat.TRAILER_MAGIC).flip());
            flush();
            channel.force(true);
            channel.close();
            byte[] id = sha.digest();
            checkReadBack(id);
            Path target = repo.resolve(PackInfo.relativePath(id));
            Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the repository's file system cannot rename atomically", e);
            }
            fsyncDir(target.getParent());
            fsyncDir(tmp.getParent());
            done = true;
            return new PackInfo(id, position, header, entries);
        } catch (IOException e) {
            fail();
            throw new UncheckedIOException("cannot seal a pack: " + e.getMessage()
                    + (isNoSpace(e) ? " (the repository's disk is full)" : ""), e);
        } catch (GeneralSecurityException e) {
            fail();
            throw new IllegalStateException("AES-GCM failed", e);
        } catch (RuntimeException e) {
            fail();
            throw e;
        }
    }

    /** The file on disk must hash to what was written and its footer must open (a short write or a bad disk shows here). */
    private void checkReadBack(byte[] id) throws IOException {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
            if (ch.size() != position) {
                throw new IOException("pack read back with " + ch.size() + " bytes, " + position + " were written");
            }
            ByteBuffer b = ByteBuffer.allocate(BUFFER);
            while (ch.read(b) > 0) {
                b.flip();
                d.update(b);
                b.clear();
            }
        }
        if (!Arrays.equals(d.digest(), id)) {
            throw new IOException("pack read back differs from what was written");
        }
        try (PackReader r = PackReader.open(tmp, header.tenant(), key)) {
            if (r.entries().size() != entries.size()) {
                throw new IOException("pack read back lists " + r.entries().size() + " blobs, " + entries.size() + " were written");
            }
        }
    }

    private void write(ByteBuffer src) {
        try {
            sha.update(src.duplicate());
            position += src.remaining();
            while (src.hasRemaining()) {
                if (!buffer.hasRemaining()) {
                    flush();
                }
                int n = Math.min(src.remaining(), buffer.remaining());
                ByteBuffer slice = src.slice(src.position(), n);
                buffer.put(slice);
                src.position(src.position() + n);
            }
        } catch (RuntimeException e) {
            fail();
            throw e;
        }
    }

    private void flush() {
        try {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        } catch (IOException e) {
            fail();
            throw new UncheckedIOException("cannot write a pack: " + e.getMessage()
                    + (isNoSpace(e) ? " (the repository's disk is full)" : ""), e);
        }
    }

    private void ensureUsable() {
        if (failed || done) {
            throw new IllegalStateException(failed ? "this pack writer failed earlier; start a new pack" : "pack already sealed");
        }
    }

    private void fail() {
        failed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // tmp/ is emptied at the next open anyway
        }
    }

    /** Discards an unsealed pack. */
    @Override
    public void close() {
        if (!done && !failed) {
            fail();
        }
    }

    static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left")) {
                return true;
            }
        }
        return false;
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public String toString() {
        return "PackWriter[" + tmp.getFileName() + ", " + entries.size() + " blobs, " + position + " bytes, salt "
                + HexFormat.of().formatHex(header.salt(), 0, 4) + "...]";
    }
}
