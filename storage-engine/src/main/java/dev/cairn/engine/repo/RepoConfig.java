package dev.cairn.engine.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.chunk.ChunkerParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code config.json} (docs/formats/repository.md section 2). Immutable; {@link #withTenant} returns a
 * changed copy that the repository writes atomically.
 */
public record RepoConfig(int version, String id, Instant created, long packTargetBytes, int compressionLevel,
                         ChunkerParams defaultChunking, ChunkerParams fineChunking, List<String> fineFor,
                         Map<String, Integer> tenants) {
    public static final int VERSION = 1;
    public static final long DEFAULT_PACK_TARGET = 64L << 20;
    public static final int DEFAULT_COMPRESSION_LEVEL = 3;
    public static final List<String> DEFAULT_FINE_FOR = List.of("*.raw", "*.img", "*.qcow2", "*.vmdk", "*.vhd", "*.vhdx",
            "*.sql", "*.dump");
    private static final ObjectMapper JSON = new ObjectMapper();

    public RepoConfig {
        fineFor = List.copyOf(fineFor);
        tenants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
        if (packTargetBytes < (1 << 20) || packTargetBytes > (1L << 31)) {
            throw new IllegalArgumentException("packTargetBytes must be 1 MiB to 2 GiB");
        }
        if (compressionLevel < -7 || compressionLevel > 22) {
            throw new IllegalArgumentException("zstd level must be -7 to 22");
        }
    }

    public static RepoConfig fresh(String id, Instant now) {
        return new RepoConfig(VERSION, id, now, DEFAULT_PACK_TARGET, DEFAULT_COMPRESSION_LEVEL, ChunkerParams.DEFAULT,
                ChunkerParams.FINE, DEFAULT_FINE_FOR, Map.of());
    }

    /** The chunking for a file called {@code name} (its last path element, as bytes). */
    public ChunkerParams chunkingFor(byte[] name) {
        String n = new String(name, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (String glob : fineFor) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob.toLowerCase(Locale.ROOT));
            if (!n.contains("/") && m.matches(Path.of(n.isEmpty() ? "_" : n))) {
                return fineChunking;
            }
        }
        return defaultChunking;
    }

    public RepoConfig withTenant(String tenant) {
        if (tenants.containsKey(tenant)) {
            return this;
        }
        int next = tenants.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        if (next > 0xffff) {
            throw new IllegalStateException("the repository has no tenant numbers left");
        }
        Map<String, Integer> t = new LinkedHashMap<>(tenants);
        t.put(tenant, next);
        return new RepoConfig(version, id, created, packTargetBytes, compressionLevel, defaultChunking, fineChunking, fineFor, t);
    }

    public byte[] encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "cairn-repository");
        o.put("version", version);
        o.put("id", id);
        o.put("created", created.toString());
        o.put("packTargetBytes", packTargetBytes);
        o.putObject("compression").put("algorithm", "zstd").put("level", compressionLevel);
        ObjectNode ch = o.putObject("chunking");
        params(ch.putObject("default"), defaultChunking);
        params(ch.putObject("fine"), fineChunking);
        ArrayNode ff = ch.putArray("fineFor");
        fineFor.forEach(ff::add);
        ObjectNode t = o.putObject("tenants");
        tenants.forEach(t::put);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void params(ObjectNode o, ChunkerParams p) {
        o.put("min", p.min()).put("avg", p.avg()).put("max", p.max());
    }

    /** Parses config.json; a repository of another format or version is refused with what to do. */
    public static RepoConfig decode(byte[] bytes, Path where) {
        try {
            JsonNode o = JSON.readTree(bytes);
            if (!"cairn-repository".equals(o.path("format").asText())) {
                throw new RepoException(where + " is not a Cairn repository configuration");
            }
            int v = o.path("version").asInt();
            if (v != VERSION) {
                throw new RepoException(where + " is repository format version " + v + "; this Cairn reads version " + VERSION);
            }
            JsonNode ch = o.path("chunking");
            List<String> fine = new ArrayList<>();
            ch.path("fineFor").forEach(n -> fine.add(n.asText()));
            Map<String, Integer> tenants = new LinkedHashMap<>();
            o.path("tenants").fields().forEachRemaining(e -> tenants.put(e.getKey(), e.getValue().asInt()));
            return new RepoConfig(v, o.path("id").asText(), Instant.parse(o.path("created").asText()),
                    o.path("packTargetBytes").asLong(), o.path("compression").path("level").asInt(DEFAULT_COMPRESSION_LEVEL),
                    params(ch.path("default")), params(ch.path("fine")), fine, tenants);
        } catch (IOException | RuntimeException e) {
            if (e instanceof RepoException r) {
                throw r;
            }
            throw new RepoException(where + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static ChunkerParams params(JsonNode n) {
        return new ChunkerParams(n.path("min").asInt(), n.path("avg").asInt(), n.path("max").asInt());
    }
}
