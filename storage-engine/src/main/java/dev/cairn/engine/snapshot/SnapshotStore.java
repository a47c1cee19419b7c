package dev.cairn.engine.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.crypto.TenantKeys;
import dev.cairn.engine.pack.PackFormat;
import dev.cairn.engine.pack.PackFormatException;
import dev.cairn.engine.repo.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Snapshot files: {@code snapshots/<tenant>/<id>.snap}, encrypted JSON documents
 * (docs/formats/repository.md section 6). Thread safe.
 */
public final class SnapshotStore {
    static final byte[] MAGIC = "CAIRN-SN".getBytes(StandardCharsets.US_ASCII);
    public static final String KEY_INFO = "cairn/snapshot/v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final SecureRandom random;

    public SnapshotStore(Path repo, SecureRandom random) {
        this.root = repo.resolve("snapshots");
        this.random = random;
    }

    public Path dir(String tenant) {
        return root.resolve(tenant);
    }

    /** Writes {@code s} (tmp, fsync, rename, fsync dir) and returns it with its id. */
    public Snapshot write(Snapshot s, TenantKeys keys, Path tmpDir) {
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        byte[] header = header(keys.currentVersion(), salt, s.tenant());
        byte[] doc = encodeDocument(s);
        byte[] sealed;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.derive(keys.currentVersion(), salt, KEY_INFO), new GCMParameterSpec(128, new byte[12]));
            c.updateAAD(header);
            sealed = c.doFinal(doc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] file = ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
        String id = HexFormat.of().formatHex(PackFormat.sha256(file));
        AtomicFiles.write(tmpDir, dir(s.tenant()).resolve(id + ".snap"), file);
        return s.withId(id);
    }

    /** The ids of a tenant's snapshots (file names), unsorted. */
    public List<String> ids(String tenant) {
        Path d = dir(tenant);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}\\.snap"))
                    .map(n -> n.substring(0, 64)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots of " + tenant + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and decrypts a snapshot, checking that its content hashes to its id.
     *
     * @throws PackFormatException when the file is damaged or does not authenticate
     */
    public Snapshot read(String tenant, String id, TenantKeys keys) {
        Path p = dir(tenant).resolve(id + ".snap");
        byte[] file;
        try {
            file = Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new PackFormatException("snapshot " + id.substring(0, Math.min(8, id.length())) + " of tenant " + tenant + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read snapshot " + id + ": " + e.getMessage(), e);
        }
        if (!HexFormat.of().formatHex(PackFormat.sha256(file)).equals(id)) {
            throw new PackFormatException("snapshot file " + id + " does not match its name: it was changed or damaged");
        }
        ByteBuffer b = ByteBuffer.wrap(file);
        byte[] magic = new byte[8];
        if (file.length < 47 + 16) {
            throw new PackFormatException("snapshot file " + id + " is truncated");
        }
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC) || b.getShort() != 1) {
            throw new PackFormatException("snapshot file " + id + " is not a version 1 Cairn snapshot");
        }
        int keyVersion = b.getInt();
        byte[] salt = new byte[32];
        b.get(salt);
        int tl = Byte.toUnsignedInt(b.get());
        if (tl < 1 || tl > 48 || b.remaining() < tl + 16) {
            throw new PackFormatException("snapshot file " + id + " has a damaged header");
        }
        byte[] t = new byte[tl];
        b.get(t);
        String fileTenant = new String(t, StandardCharsets.US_ASCII);
        if (!fileTenant.equals(tenant)) {
            throw new PackFormatException("snapshot file " + id + " belongs to tenant " + fileTenant + ", not " + tenant);
        }
        int headerLength = b.position();
        try {
            SecretKey key = keys.derive(keyVersion, salt, KEY_INFO);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, new byte[12]));
            c.updateAAD(file, 0, headerLength);
            byte[] doc = c.doFinal(file, headerLength, file.length - headerLength);
            return decodeDocument(id, tenant, doc);
        } catch (AEADBadTagException e) {
            throw new PackFormatException("snapshot file " + id + " does not authenticate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public void delete(String tenant, String id) {
        try {
            Files.deleteIfExists(dir(tenant).resolve(id + ".snap"));
            AtomicFiles.fsyncDir(dir(tenant));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete snapshot " + id + ": " + e.getMessage(), e);
        }
    }

    public Path file(String tenant, String id) {
        return dir(tenant).resolve(id + ".snap");
    }

    private static byte[] header(int keyVersion, byte[] salt, String tenant) {
        byte[] t = tenant.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(47 + t.length).put(MAGIC).putShort((short) 1).putInt(keyVersion).put(salt)
                .put((byte) t.length).put(t).array();
    }

    static byte[] encodeDocument(Snapshot s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", 1);
        o.put("time", s.time().toString());
        o.put("hostname", s.hostname());
        o.put("source", s.source());
        ArrayNode paths = o.putArray("paths");
        s.paths().forEach(p -> paths.add(Base64.getEncoder().encodeToString(p)));
        ArrayNode tags = o.putArray("tags");
        s.tags().forEach(tags::add);
        if (s.parent() == null) {
            o.putNull("parent");
        } else {
            o.put("parent", s.parent());
        }
        o.put("tree", s.treeHex());
        Snapshot.Summary m = s.summary();
        ObjectNode sum = o.putObject("summary");
        sum.put("files", m.files()).put("dirs", m.dirs()).put("bytes", m.bytes()).put("bytesRead", m.bytesRead())
                .put("newBlobs", m.newBlobs())
                .put("newBytes", m.newBytes()).put("errors", m.errors()).put("seconds", m.seconds());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Snapshot decodeDocument(String id, String tenant, byte[] doc) {
        try {
            JsonNode o = JSON.readTree(doc);
            if (o.path("version").asInt() != 1) {
                throw new PackFormatException("snapshot " + id + " has document version " + o.path("version").asInt());
            }
            List<byte[]> paths = new ArrayList<>();
            o.path("paths").forEach(p -> paths.add(Base64.getDecoder().decode(p.asText())));
            Set<String> tags = new TreeSet<>();
            o.path("tags").forEach(t -> tags.add(t.asText()));
            JsonNode m = o.path("summary");
            return new Snapshot(id, tenant, Instant.parse(o.path("time").asText()), o.path("hostname").asText(),
                    o.path("source").asText(), paths, tags, o.path("parent").isNull() ? null : o.path("parent").asText(),
                    HexFormat.of().parseHex(o.path("tree").asText()), new Snapshot.Summary(m.path("files").asLong(),
                    m.path("dirs").asLong(), m.path("bytes").asLong(), m.path("bytesRead").asLong(), m.path("newBlobs").asLong(), m.path("newBytes").asLong(),
                    m.path("errors").asLong(), m.path("seconds").asDouble()));
        } catch (IOException | RuntimeException e) {
            if (e instanceof PackFormatException p) {
                throw p;
            }
            throw new PackFormatException("snapshot " + id + " has an unreadable document", e);
        }
    }
}
