package dev.cairn.engine.verify;

import com.github.luben.zstd.Zstd;
import dev.cairn.engine.crypto.TenantKeys;
import dev.cairn.engine.index.RepoIndex;
import dev.cairn.engine.pack.Compression;
import dev.cairn.engine.pack.PackEntry;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.pack.PackReader;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.repo.Repository;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Read-data for one pack (docs/formats/repository.md 3.6): the footer, then every blob in file order, read
 * front to back in one pass so the disk streams; each blob is decrypted (its GCM tag checked), decompressed,
 * length-checked and hashed with the tenant's dedupe key, which must give its id. When the footer cannot be
 * read, the blobs the index places in the pack are checked one by one instead, so that exactly the lost
 * ones are named. Each call uses its own cipher: calls for different packs run in parallel.
 */
final class DataCheck {
    private static final int READ_BUFFER = 1 << 20;

    /** A problem of the pack ({@code entry} null) or of one blob. */
    record Problem(VerifyReport.Kind kind, PackEntry entry, String detail) {
    }

    /** What reading one pack found; {@code tenant} is null when the header cannot be read. */
    record Outcome(String tenant, List<Problem> problems, long bytesRead) {
    }

    private DataCheck() {
    }

    /**
     * @param indexed the blobs the index places in this pack, asked for only when the footer cannot be read
     */
    static Outcome check(Repository repo, byte[] packId, Supplier<List<RepoIndex.Location>> indexed) {
        Path path = repo.packPath(packId);
        AtomicReference<SecretKey> key = new AtomicReference<>();
        PackFormat.Header header;
        List<PackEntry> entries;
        long size;
        try (PackReader r = PackReader.open(path, h -> {
            key.set(repo.keys(h.tenant()).derive(h.keyVersion(), h.salt(), PackFormat.KEY_INFO));
            return key.get();
        })) {
            header = r.header();
            entries = r.entries();
            size = Files.size(path);
        } catch (PackFormatException | RepoException e) {
            return fallback(repo, path, e.getMessage(), indexed.get());
        } catch (UncheckedIOException | IOException e) {
            VerifyReport.Kind kind = Files.exists(path) ? VerifyReport.Kind.PACK_UNREADABLE : VerifyReport.Kind.PACK_MISSING;
            return new Outcome(null, List.of(new Problem(kind, null, e.getMessage())), 0);
        }
        TenantKeys keys = repo.keys(header.tenant());
        byte[] headerHash = header.hash();
        List<Problem> problems = new ArrayList<>();
        Cipher cipher = newCipher();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
             InputStream in = new BufferedInputStream(Channels.newInputStream(ch.position(header.length())), READ_BUFFER)) {
            byte[] buf = new byte[0];
            for (PackEntry e : entries) {
                if (buf.length < e.storedLength()) {
                    buf = new byte[e.storedLength()];
                }
                if (in.readNBytes(buf, 0, e.storedLength()) < e.storedLength()) {
                    problems.add(new Problem(VerifyReport.Kind.BLOB_OUT_OF_RANGE, e, "the pack file ended inside blob " + e.index()));
                    break;
                }
                Problem p = checkBlob(cipher, key.get(), headerHash, keys, e, buf);
                if (p != null) {
                    problems.add(p);
                }
            }
        } catch (IOException e) {
            problems.add(new Problem(VerifyReport.Kind.PACK_UNREADABLE, null, "cannot read the pack: " + e.getMessage()));
        }
        return new Outcome(header.tenant(), problems, size);
    }

    /** The footer is unreadable: check the blobs the index places here, each with a positioned read. */
    private static Outcome fallback(Repository repo, Path path, String why, List<RepoIndex.Location> locations) {
        List<Problem> problems = new ArrayList<>();
        problems.add(new Problem(VerifyReport.Kind.PACK_FOOTER_BAD, null, why));
        if (locations.isEmpty()) {
            return new Outcome(null, problems, 0);
        }
        PackFormat.Header header;
        SecretKey key;
        try {
            header = PackReader.readHeader(path);
            key = repo.keys(header.tenant()).derive(header.keyVersion(), header.salt(), PackFormat.KEY_INFO);
        } catch (PackFormatException | RepoException | UncheckedIOException e) {
            for (RepoIndex.Location l : locations) {
                problems.add(new Problem(VerifyReport.Kind.BLOB_CORRUPT, l.entry(), "the pack's header cannot be read: " + e.getMessage()));
            }
            return new Outcome(null, problems, 0);
        }
        TenantKeys keys = repo.keys(header.tenant());
        byte[] headerHash = header.hash();
        Cipher cipher = newCipher();
        long read = 0;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            for (RepoIndex.Location l : locations) {
                PackEntry e = l.entry();
                if (e.offset() + e.storedLength() > size) {
                    problems.add(new Problem(VerifyReport.Kind.BLOB_OUT_OF_RANGE, e,
                            "the blob ends at byte " + (e.offset() + e.storedLength()) + ", the pack file has " + size));
                    continue;
                }
                ByteBuffer b = ByteBuffer.allocate(e.storedLength());
                while (b.hasRemaining()) {
                    if (ch.read(b, e.offset() + b.position()) < 0) {
                        throw new IOException("the pack file ended early");
                    }
                }
                read += e.storedLength();
                Problem p = checkBlob(cipher, key, headerHash, keys, e, b.array());
                if (p != null) {
                    problems.add(p);
                }
            }
        } catch (IOException e) {
            problems.add(new Problem(VerifyReport.Kind.PACK_UNREADABLE, null, "cannot read the pack: " + e.getMessage()));
        }
        return new Outcome(header.tenant(), problems, read);
    }

    /** Null when the blob is sound. */
    private static Problem checkBlob(Cipher c, SecretKey key, byte[] headerHash, TenantKeys keys, PackEntry e, byte[] stored) {
        byte[] plain;
        try {
            // nonce and AAD: docs/formats/repository.md 3.2 and 3.3
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, ByteBuffer.allocate(12).putInt(0).putLong(e.index()).array()));
            c.updateAAD(ByteBuffer.allocate(70).put(headerHash).put((byte) e.type().code()).put(e.id())
                    .put((byte) e.compression().code()).putInt(e.rawLength()).array());
            plain = c.doFinal(stored, 0, e.storedLength());
        } catch (AEADBadTagException ex) {
            return new Problem(VerifyReport.Kind.BLOB_CORRUPT, e, "blob " + e.index() + " does not authenticate (GCM tag)");
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("AES-GCM is unavailable", ex);
        }
        byte[] raw = plain;
        if (e.compression() == Compression.ZSTD) {
            raw = new byte[e.rawLength()];
            long n;
            try {
                n = Zstd.decompressByteArray(raw, 0, raw.length, plain, 0, plain.length);
            } catch (RuntimeException ex) {
                n = -1;
            }
            if (n < 0 || Zstd.isError(n) || n != raw.length) {
                return new Problem(VerifyReport.Kind.BLOB_CORRUPT, e, "blob " + e.index() + " does not decompress to its recorded length");
            }
        } else if (plain.length != e.rawLength()) {
            return new Problem(VerifyReport.Kind.BLOB_CORRUPT, e, "blob " + e.index() + " has " + plain.length + " bytes, "
                    + e.rawLength() + " recorded");
        }
        if (!MessageDigest.isEqual(keys.blobId(raw, 0, raw.length), e.id())) {
            return new Problem(VerifyReport.Kind.BLOB_ID_MISMATCH, e, "blob " + e.index() + " decrypts, but its content does not match its id");
        }
        return null;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }
}
