package dev.cairn.engine.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.chunk.ChunkerParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code config.json} (docs/formats/repository.md section 2). Immutable; {@link #withTenant} returns a
 * changed copy that the repository writes atomically.
 *
 * <p>Files fall into two data classes by name ({@link #dataClassFor}): <em>fine</em> (VM disk images and
 * database dumps, matched by the {@code fineFor} globs), where small in-place changes must stay small, so
 * they are cut into small chunks and compressed with a fast zstd level; and <em>default</em> (everything
 * else), with large chunks and a stronger level.
 *
 * @param compressionLevel     zstd level of the default class (and of trees)
 * @param fineCompressionLevel zstd level of the fine class
 */
public record RepoConfig(int version, String id, Instant created, long packTargetBytes, int compressionLevel,
                         ChunkerParams defaultChunking, ChunkerParams fineChunking, List<String> fineFor,
                         Map<String, Integer> tenants, int fineCompressionLevel) {
    public static final int VERSION = 1;
    public static final long DEFAULT_PACK_TARGET = 64L << 20;
    /**
     * zstd level of new repositories' default class (and trees): 1. Level 3 stores the clinic dataset's
     * DICOM images 12% smaller (2.11x vs 1.87x) and text 5% smaller, but compresses them at 0.4-0.7x the
     * speed; on the whole day-1 backup it costs about 15% more CPU for 3% less repository, and CPU is what
     * the backup window is short of (docs/benchmarks.md). An operator may set 3 in config.json.
     */
    public static final int DEFAULT_COMPRESSION_LEVEL = 1;
    /**
     * zstd level of new repositories' fine class: 1. Level 3 gains nothing on VM images (2.42x vs 2.40x
     * on the clinic dataset's 64 KiB chunks) and little on the SQL dump (4.33x vs 4.25x), at 0.6-0.8x the
     * speed (docs/benchmarks.md).
     */
    public static final int DEFAULT_FINE_COMPRESSION_LEVEL = 1;
    /** The level a config.json without {@code compression.level} meant: zstd's own default. */
    static final int LEGACY_COMPRESSION_LEVEL = 3;
    public static final List<String> DEFAULT_FINE_FOR = List.of("*.raw", "*.img", "*.qcow2", "*.vmdk", "*.vhd", "*.vhdx",
            "*.sql", "*.dump");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A data class: how the files it holds are chunked and compressed. */
    public record DataClass(String name, ChunkerParams chunking, int compressionLevel) {
    }

    public RepoConfig {
        fineFor = List.copyOf(fineFor);
        tenants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tenants));
        if (packTargetBytes < (1 << 20) || packTargetBytes > (1L << 31)) {
            throw new IllegalArgumentException("packTargetBytes must be 1 MiB to 2 GiB");
        }
        for (int level : new int[] {compressionLevel, fineCompressionLevel}) {
            if (level < -7 || level > 22) {
                throw new IllegalArgumentException("zstd level must be -7 to 22");
            }
        }
        for (String glob : fineFor) {
            NameGlob.check(glob);
        }
    }

    /** A configuration whose fine class compresses like the default class (as before per-class levels). */
    public RepoConfig(int version, String id, Instant created, long packTargetBytes, int compressionLevel,
                      ChunkerParams defaultChunking, ChunkerParams fineChunking, List<String> fineFor, Map<String, Integer> tenants) {
        this(version, id, created, packTargetBytes, compressionLevel, defaultChunking, fineChunking, fineFor, tenants, compressionLevel);
    }

    public static RepoConfig fresh(String id, Instant now) {
        return new RepoConfig(VERSION, id, now, DEFAULT_PACK_TARGET, DEFAULT_COMPRESSION_LEVEL, ChunkerParams.DEFAULT,
                ChunkerParams.FINE, DEFAULT_FINE_FOR, Map.of(), DEFAULT_FINE_COMPRESSION_LEVEL);
    }

    /**
     * The data class of a file called {@code name} (its last path element, as bytes): fine when a
     * {@code fineFor} glob matches it (ASCII case-insensitive, see {@link NameGlob}), default otherwise.
     * Works on the raw bytes, so any name, UTF-8 or not, is classified.
     */
    public DataClass dataClassFor(byte[] name) {
        for (String glob : fineFor) {
            if (NameGlob.matches(glob, name)) {
                return new DataClass("fine", fineChunking, fineCompressionLevel);
            }
        }
        return new DataClass("default", defaultChunking, compressionLevel);
    }

    /** The chunking for a file called {@code name}: that of its {@link #dataClassFor data class}. */
    public ChunkerParams chunkingFor(byte[] name) {
        return dataClassFor(name).chunking();
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
        return new RepoConfig(version, id, created, packTargetBytes, compressionLevel, defaultChunking, fineChunking, fineFor, t,
                fineCompressionLevel);
    }

    public byte[] encode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "cairn-repository");
        o.put("version", version);
        o.put("id", id);
        o.put("created", created.toString());
        o.put("packTargetBytes", packTargetBytes);
        o.putObject("compression").put("algorithm", "zstd").put("level", compressionLevel).put("fineLevel", fineCompressionLevel);
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
            int level = o.path("compression").path("level").asInt(LEGACY_COMPRESSION_LEVEL);
            return new RepoConfig(v, o.path("id").asText(), Instant.parse(o.path("created").asText()),
                    o.path("packTargetBytes").asLong(), level, params(ch.path("default")), params(ch.path("fine")), fine, tenants,
                    o.path("compression").path("fineLevel").asInt(level));
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

    /**
     * The {@code fineFor} glob language (docs/formats/repository.md section 2), matched against a file
     * name's raw bytes: {@code *} matches any run of bytes (also none), {@code ?} exactly one byte, every
     * other character itself, with ASCII letters case-insensitive. A glob is printable ASCII without
     * {@code /}; the characters [, ], {, } and backslash are reserved. Working on bytes means no name,
     * however encoded, can fail to classify (a java.nio PathMatcher needs the name as a String in the
     * platform charset, and throws for a name that charset cannot encode).
     */
    static final class NameGlob {
        private NameGlob() {
        }

        static void check(String glob) {
            if (glob.isEmpty()) {
                throw new IllegalArgumentException("a fineFor glob is not empty");
            }
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c < 0x21 || c > 0x7e || c == '/' || "[]{}\\".indexOf(c) >= 0) {
                    throw new IllegalArgumentException("fineFor glob '" + glob + "' may hold printable ASCII without '/', "
                            + "and [ ] { } \\ are reserved; use * and ?");
                }
            }
        }

        static boolean matches(String glob, byte[] name) {
            int g = 0;
            int n = 0;
            int starG = -1;
            int starN = 0;
            while (n < name.length) {
                if (g < glob.length() && (glob.charAt(g) == '?' || same(glob.charAt(g), name[n]))) {
                    g++;
                    n++;
                } else if (g < glob.length() && glob.charAt(g) == '*') {
                    starG = g++;
                    starN = n;
                } else if (starG >= 0) {
                    g = starG + 1;
                    n = ++starN;
                } else {
                    return false;
                }
            }
            while (g < glob.length() && glob.charAt(g) == '*') {
                g++;
            }
            return g == glob.length();
        }

        private static boolean same(char globChar, byte b) {
            return lower(globChar) == lower((char) (b & 0xff));
        }

        private static char lower(char c) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
    }
}
