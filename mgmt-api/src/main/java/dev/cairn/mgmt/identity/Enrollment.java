package dev.cairn.mgmt.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one-time first-administrator enrollment link (docs/formats/user-store.md, section 7). While there is no
 * account, {@link #createIfNoUsers} makes a fresh 256-bit token (returned once, for the URL printed at start) and
 * stores only its SHA-256 and expiry in {@code enrollment.json}; a new one replaces the old. {@link #consume} accepts
 * it once, before it expires, and deletes the record (durably) before answering true. Thread safe.
 */
public final class Enrollment {
    /** The file's name in the directory. */
    public static final String FILE = "enrollment.json";
    static final String FORMAT = "cairn-enrollment";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    private final SecureRandom random;
    private byte[] hash; // guarded by this; null: no pending link
    private Instant expiresAt;

    private Enrollment(Path file, Clock clock, SecureRandom random) {
        this.file = file;
        this.clock = clock;
        this.random = random;
    }

    /**
     * Opens {@code dir/enrollment.json} (absent: no pending link), creating {@code dir} 0700 if needed.
     *
     * @throws IllegalStateException for a damaged file (delete it; a restart with no accounts makes a new link)
     */
    public static Enrollment open(Path dir, Clock clock, SecureRandom random) {
        Enrollment e = new Enrollment(dir.resolve(FILE), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(random, "random"));
        SecureFiles.prepareDir(dir);
        Optional<byte[]> bytes = SecureFiles.read(e.file);
        if (bytes.isPresent()) {
            try {
                JsonNode root = JSON.readTree(bytes.get());
                if (root == null || !FORMAT.equals(root.path("format").textValue())
                        || root.path("version").intValue() != VERSION) {
                    throw new IllegalArgumentException("format");
                }
                byte[] h = Base64.getUrlDecoder().decode(root.get("tokenSha256").textValue());
                if (h.length != 32) {
                    throw new IllegalArgumentException("tokenSha256");
                }
                e.hash = h;
                e.expiresAt = Instant.parse(root.get("expiresAt").textValue());
            } catch (IOException | RuntimeException ex) {
                throw new IllegalStateException("enrollment file " + e.file + " is damaged (" + ex.getClass()
                        .getSimpleName() + "); delete it, and restart to print a new enrollment link", ex);
            }
        }
        return e;
    }

    /**
     * A new enrollment token (43 base64url characters) valid for {@code ttl}, replacing any earlier one, or empty if
     * {@code users} has an account (then any stored link is removed).
     */
    public synchronized Optional<String> createIfNoUsers(UserStore users, Duration ttl) {
        Objects.requireNonNull(users, "users");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("enrollment link lifetime must be positive");
        }
        if (!users.isEmpty()) {
            clear();
            return Optional.empty();
        }
        String token = Secrets.token(random);
        byte[] h = Secrets.sha256(token);
        Instant exp = clock.instant().plus(ttl);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("tokenSha256", Base64.getUrlEncoder().withoutPadding().encodeToString(h));
        root.put("expiresAt", exp.toString());
        try {
            SecureFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), random);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("cannot encode the enrollment file", ex);
        }
        hash = h;
        expiresAt = exp;
        return Optional.of(token);
    }

    /**
     * True once for the pending token before its expiry; the record is deleted durably first. A wrong token leaves
     * the pending one valid; an expired one is deleted and refused.
     */
    public synchronized boolean consume(String token) {
        if (hash == null) {
            return false;
        }
        byte[] given = Secrets.sha256(Secrets.isBase64Url(token, Secrets.TOKEN_CHARS) ? token : "");
        boolean match = MessageDigest.isEqual(given, hash);
        if (!clock.instant().isBefore(expiresAt)) {
            clear();
            return false;
        }
        if (!match) {
            return false;
        }
        clear();
        return true;
    }

    /** Whether a link is pending and unexpired. */
    public synchronized boolean pending() {
        return hash != null && clock.instant().isBefore(expiresAt);
    }

    private void clear() {
        hash = null;
        expiresAt = null;
        try {
            if (Files.deleteIfExists(file)) {
                try (var d = java.nio.channels.FileChannel.open(file.getParent(),
                        java.nio.file.StandardOpenOption.READ)) {
                    d.force(true);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot delete " + file + "; delete it by hand: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public String toString() {
        return "Enrollment[" + file + "]";
    }
}
