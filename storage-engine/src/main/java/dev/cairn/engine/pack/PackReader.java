package dev.cairn.engine.pack;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Reads a pack (docs/formats/repository.md 3.6): the header, the footer, and blobs with their tags,
 * compression and ids checked. Thread safe: reads use positional I/O and a cipher per call.
 */
public final class PackReader implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final PackFormat.Header header;
    private final byte[] headerHash;
    private final SecretKey key;
    private final List<PackEntry> entries;

    private PackReader(Path path, FileChannel channel, PackFormat.Header header, SecretKey key, List<PackEntry> entries) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.headerHash = header.hash();
        this.key = key;
        this.entries = entries;
    }

    /** Reads only the header: to know the tenant and key version before deriving the key. */
    public static PackFormat.Header readHeader(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(ch.size(), 128));
            ch.read(b, 0);
            return PackFormat.Header.decode(b.flip(), path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pack " + path.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Opens a pack whose key is known. */
    public static PackReader open(Path path, String expectedTenant, SecretKey key) {
        return open(path, h -> {
            if (!h.tenant().equals(expectedTenant)) {
                throw new PackFormatException(path.getFileName() + " belongs to tenant " + h.tenant() + ", not " + expectedTenant);
            }
            return key;
        });
    }

    /** Opens a pack, asking {@code keyFor} for the key once the header is read. */
    public static PackReader open(Path path, Function<PackFormat.Header, SecretKey> keyFor) {
        String name = path.getFileName().toString();
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open pack " + name + ": " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            ByteBuffer hb = ByteBuffer.allocate((int) Math.min(size, 128));
            ch.read(hb, 0);
            PackFormat.Header header = PackFormat.Header.decode(hb.flip(), name);
            if (size < header.length() + PackFormat.TRAILER + PackFormat.TAG + 4) {
                throw new PackFormatException(name + " is truncated (" + size + " bytes)");
            }
            ByteBuffer trailer = readFully(ch, size - PackFormat.TRAILER, PackFormat.TRAILER);
            int footerLength = trailer.getInt();
            byte[] magic = new byte[8];
            trailer.get(magic);
            if (!java.util.Arrays.equals(magic, PackFormat.TRAILER_MAGIC)) {
                throw new PackFormatException(name + " is truncated or damaged (no trailer)");
            }
            long footerStart = size - PackFormat.TRAILER - Integer.toUnsignedLong(footerLength);
            if (footerLength < PackFormat.TAG + 4 || footerStart < header.length()) {
                throw new PackFormatException(name + " has a damaged trailer (footer length " + Integer.toUnsignedLong(footerLength) + ")");
            }
            SecretKey key = keyFor.apply(header);
            byte[] sealed = new byte[footerLength];
            readFully(ch, footerStart, footerLength).get(sealed);
            byte[] headerHash = header.hash();
            byte[] footer;
            try {
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, PackFormat.footerNonce(
                        (footerLength - PackFormat.TAG - 4) / PackFormat.FOOTER_ENTRY)));
                c.updateAAD(PackFormat.footerAad(headerHash));
                footer = c.doFinal(sealed);
            } catch (AEADBadTagException e) {
                throw new PackFormatException(name + "'s footer does not authenticate: the pack is damaged, or belongs to"
                        + " another tenant or key", e);
            }
            ByteBuffer f = ByteBuffer.wrap(footer);
            int n = f.getInt();
            if (n < 0 || footer.length != 4 + (long) n * PackFormat.FOOTER_ENTRY) {
                throw new PackFormatException(name + "'s footer is inconsistent");
            }
            List<PackEntry> entries = new ArrayList<>(n);
            long expectedOffset = header.length();
            for (int i = 0; i < n; i++) {
                BlobType type = BlobType.of(Byte.toUnsignedInt(f.get()));
                byte[] id = new byte[32];
                f.get(id);
                long offset = f.getLong();
                int stored = f.getInt();
                int raw = f.getInt();
                Compression comp = Compression.of(Byte.toUnsignedInt(f.get()));
                if (offset != expectedOffset || stored < PackFormat.TAG || offset + stored > footerStart || raw < 0) {
                    throw new PackFormatException(name + "'s footer lists blob " + i + " outside the pack");
                }
                expectedOffset = offset + stored;
                entries.add(new PackEntry(type, id, offset, stored, raw, comp, i));
            }
            if (expectedOffset != footerStart) {
                throw new PackFormatException(name + " has bytes between its last blob and its footer");
            }
            return new PackReader(path, ch, header, key, List.copyOf(entries));
        } catch (IOException e) {
            close(ch);
            throw new UncheckedIOException("cannot read pack " + name + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            close(ch);
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            close(ch);
            throw e;
        }
    }

    public PackFormat.Header header() {
        return header;
    }

    public List<PackEntry> entries() {
        return entries;
    }

    public Path path() {
        return path;
    }

    /**
     * The plaintext of {@code e}: decrypted (tag checked), decompressed, length checked. The caller
     * checks the id (HMAC) with the tenant's dedupe key.
     */
    public byte[] read(PackEntry e) {
        String name = path.getFileName().toString();
        try {
            ByteBuffer b = readFully(channel, e.offset(), e.storedLength());
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, PackFormat.blobNonce(e.index())));
            c.updateAAD(PackFormat.blobAad(headerHash, e.type(), e.id(), e.compression(), e.rawLength()));
            byte[] plain = c.doFinal(b.array(), 0, e.storedLength());
            if (e.compression() == Compression.ZSTD) {
                byte[] raw = new byte[e.rawLength()];
                long n = Zstd.decompressByteArray(raw, 0, raw.length, plain, 0, plain.length);
                if (Zstd.isError(n) || n != raw.length) {
                    throw new PackFormatException(name + ": blob " + e.index() + " does not decompress to its recorded length");
                }
                return raw;
            }
            if (plain.length != e.rawLength()) {
                throw new PackFormatException(name + ": blob " + e.index() + " has " + plain.length + " bytes, "
                        + e.rawLength() + " recorded");
            }
            return plain;
        } catch (AEADBadTagException ex) {
            throw new PackFormatException(name + ": blob " + e.index() + " does not authenticate (damaged)", ex);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read pack " + name + ": " + ex.getMessage(), ex);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            int n = ch.read(b, position + b.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at " + (position + b.position()));
            }
        }
        return b.flip();
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    @Override
    public void close() {
        close(channel);
    }
}
