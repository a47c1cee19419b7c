package dev.cairn.mgmt.identity;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cairn.mgmt.access.Permission;

/**
 * Scoped, expiring API tokens for scripts and the admin API (docs/formats/user-store.md, section 6). The token text
 * {@code cairn_<id>_<secret>} is returned once; {@code tokens.json} (0600 in a 0700 directory, written atomically)
 * keeps only the ID, account, scopes, label, times and SHA-256 of the secret. Revoking deletes the record. Expired
 * records are dropped at the next write. Thread safe (the object's monitor).
 */
public final class ApiTokens {
    /** The file's name in the directory. */
    public static final String FILE = "tokens.json";
    /** The shortest lifetime. */
    public static final Duration MIN_TTL = Duration.ofDays(1);
    /** The longest lifetime. */
    public static final Duration MAX_TTL = Duration.ofDays(90);
    static final String PREFIX = "cairn_";
    static final int ID_CHARS = 12;
    static final int TEXT_CHARS = PREFIX.length() + ID_CHARS + 1 + Secrets.TOKEN_CHARS; // 62
    static final String FORMAT = "cairn-api-tokens";
    static final int VERSION = 1;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(ApiToken token, byte[] secretHash) {
    }

    private final Path file;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Entry> byId; // guarded by this
    private final byte[] dummyHash = new byte[32];

    private ApiTokens(Path file, Clock clock, SecureRandom random, Map<String, Entry> byId) {
        this.file = file;
        this.clock = clock;
        this.random = random;
        this.byId = byId;
    }

    /**
     * Opens {@code dir/tokens.json} (absent: no tokens), creating {@code dir} 0700 if needed.
     *
     * @throws IllegalStateException for a damaged file or another format version (restore it from backup, or delete
     *                               it to revoke every token)
     */
    public static ApiTokens open(Path dir, Clock clock, SecureRandom random) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        SecureFiles.prepareDir(dir);
        Path file = dir.resolve(FILE);
        Map<String, Entry> byId = new TreeMap<>();
        Optional<byte[]> bytes = SecureFiles.read(file);
        if (bytes.isPresent()) {
            try {
                decode(bytes.get(), byId);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("API token file " + file + " is damaged (" + e.getClass()
                        .getSimpleName() + "); restore it from backup, or delete it to revoke every API token", e);
            }
        }
        return new ApiTokens(file, clock, random, byId);
    }

    /**
     * A new token and its text (shown once).
     *
     * @param issued the stored facts and the full token text
     */
    public record Issued(ApiToken token, String text) {
        /** Validates. */
        public Issued {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return "Issued[" + token + ", text=<redacted>]";
        }
    }

    /**
     * Issues a token for {@code username} (the caller checks the account exists and that the scopes are within its
     * roles).
     *
     * @param scopes non-empty; {@link Permission#PUBLIC} and {@link Permission#MFA_PENDING} are refused
     * @param ttl    1 day to 90 days
     * @param label  1 to 64 printable characters, e.g. {@code nightly report script}; no patient data
     */
    public synchronized Issued issue(String username, Set<Permission> scopes, Duration ttl, String label) {
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(ttl, "ttl");
        if (scopes.contains(Permission.PUBLIC) || scopes.contains(Permission.MFA_PENDING)) {
            throw new IllegalArgumentException("PUBLIC and MFA_PENDING are not token scopes; name what it may do");
        }
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("API token lifetime must be 1 to 90 days");
        }
        Instant now = clock.instant();
        String id;
        do {
            StringBuilder b = new StringBuilder(ID_CHARS);
            for (int i = 0; i < ID_CHARS; i++) {
                b.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
            }
            id = b.toString();
        } while (byId.containsKey(id));
        ApiToken t = new ApiToken(id, username, scopes, label, now, now.plus(ttl));
        String secret = Secrets.token(random);
        Map<String, Entry> next = live(now);
        next.put(id, new Entry(t, Secrets.sha256(secret)));
        persist(next);
        return new Issued(t, PREFIX + id + "_" + secret);
    }

    /**
     * The token's facts if {@code text} is a live token: right form, known ID, matching secret (compared in constant
     * time), not expired. Anything else is empty.
     */
    public Optional<ApiToken> authenticate(String text) {
        if (text == null || text.length() != TEXT_CHARS || !text.startsWith(PREFIX)
                || text.charAt(PREFIX.length() + ID_CHARS) != '_') {
            return Optional.empty();
        }
        String id = text.substring(PREFIX.length(), PREFIX.length() + ID_CHARS);
        String secret = text.substring(PREFIX.length() + ID_CHARS + 1);
        if (!Secrets.isBase64Url(secret, Secrets.TOKEN_CHARS)) {
            return Optional.empty();
        }
        Entry e;
        synchronized (this) {
            e = byId.get(id);
        }
        byte[] given = Secrets.sha256(secret);
        boolean match = MessageDigest.isEqual(given, e == null ? dummyHash : e.secretHash());
        if (e == null || !match || !clock.instant().isBefore(e.token().expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(e.token());
    }

    /** Revokes one token by ID (unknown IDs: nothing happens). */
    public synchronized void revoke(String id) {
        if (byId.containsKey(id)) {
            Map<String, Entry> next = live(clock.instant());
            next.remove(id);
            persist(next);
        }
    }

    /** Revokes every token of {@code username} (account deleted, disabled, or its password changed). */
    public synchronized void revokeUser(String username) {
        Map<String, Entry> next = live(clock.instant());
        if (next.values().removeIf(e -> e.token().username().equals(username)) || next.size() != byId.size()) {
            persist(next);
        }
    }

    /** The live tokens of {@code username}, oldest first. */
    public synchronized List<ApiToken> list(String username) {
        Instant now = clock.instant();
        List<ApiToken> out = new ArrayList<>();
        for (Entry e : byId.values()) {
            if (e.token().username().equals(username) && now.isBefore(e.token().expiresAt())) {
                out.add(e.token());
            }
        }
        out.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
        return Collections.unmodifiableList(out);
    }

    static void requireLabel(String label) {
        if (label == null || label.isEmpty() || label.length() > 64
                || label.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("API token label must be 1 to 64 printable characters");
        }
    }

    private Map<String, Entry> live(Instant now) {
        Map<String, Entry> m = new TreeMap<>(byId);
        m.values().removeIf(e -> !now.isBefore(e.token().expiresAt()));
        return m;
    }

    private void persist(Map<String, Entry> next) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode arr = root.putArray("tokens");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        for (Entry e : next.values()) {
            ApiToken t = e.token();
            ObjectNode o = arr.addObject();
            o.put("id", t.id());
            o.put("username", t.username());
            ArrayNode sc = o.putArray("scopes");
            t.scopes().forEach(p -> sc.add(p.name()));
            o.put("label", t.label());
            o.put("createdAt", t.createdAt().toString());
            o.put("expiresAt", t.expiresAt().toString());
            o.put("secretSha256", b64.encodeToString(e.secretHash()));
        }
        try {
            SecureFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), random);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode the API token file", ex);
        }
        byId.clear();
        byId.putAll(next);
    }

    private static void decode(byte[] bytes, Map<String, Entry> into) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        if (root == null || !FORMAT.equals(root.path("format").textValue())) {
            throw new IllegalArgumentException("format");
        }
        if (root.path("version").intValue() != VERSION) {
            throw new IllegalArgumentException("version");
        }
        JsonNode arr = root.get("tokens");
        if (arr == null || !arr.isArray()) {
            throw new IllegalArgumentException("tokens");
        }
        for (JsonNode o : arr) {
            Set<Permission> scopes = EnumSet.noneOf(Permission.class);
            for (JsonNode s : o.get("scopes")) {
                scopes.add(Permission.valueOf(s.textValue()));
            }
            String id = o.get("id").textValue();
            if (id == null || id.length() != ID_CHARS || !id.chars().allMatch(c -> ID_ALPHABET.indexOf(c) >= 0)) {
                throw new IllegalArgumentException("id");
            }
            byte[] hash = Base64.getUrlDecoder().decode(o.get("secretSha256").textValue());
            if (hash.length != 32) {
                throw new IllegalArgumentException("secretSha256");
            }
            ApiToken t = new ApiToken(id, o.get("username").textValue(), scopes, o.get("label").textValue(),
                    Instant.parse(o.get("createdAt").textValue()), Instant.parse(o.get("expiresAt").textValue()));
            if (into.put(id, new Entry(t, hash)) != null) {
                throw new IllegalArgumentException("duplicate id");
            }
        }
    }

    @Override
    public String toString() {
        return "ApiTokens[" + file + "]";
    }
}
