package dev.cairn.engine.lock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.fs.FsException;
import dev.cairn.engine.repo.AtomicFiles;
import dev.cairn.engine.repo.RepoException;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.RetentionLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lock files: {@code locks/<tenant>/<snapshot id>.lock}, version 1 JSON (docs/formats/repository.md
 * section 7). Reads fail closed ({@link LockFileException}); writes replace the whole file atomically
 * (temporary file in {@code tmp/}, fsync, rename, fsync of the directory), after lifting the immutable
 * attribute of the file they replace, which the kernel would otherwise refuse to rename over.
 *
 * <p>This class only stores records; whether a change is allowed is {@link Locks}' business. Thread
 * safe (no state but paths); {@link Locks} serialises changes.
 */
public final class LockStore {
    /** The lock file format version this code reads and writes. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path tmp;

    /** The lock files of the repository in {@code repoDir}; temporary files go to {@code repoDir/tmp}. */
    public LockStore(Path repoDir) {
        this.root = repoDir.resolve("locks");
        this.tmp = repoDir.resolve("tmp");
    }

    public Path dir(String tenant) {
        return root.resolve(tenant);
    }

    public Path file(String tenant, String snapshot) {
        return dir(tenant).resolve(LockRecord.requireSnapshotId(snapshot) + ".lock");
    }

    /** The snapshot ids that have a lock file under {@code tenant} (file names only; unsorted). */
    public List<String> ids(String tenant) {
        Path d = dir(tenant);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}\\.lock"))
                    .map(n -> n.substring(0, 64)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the lock files of tenant " + tenant + ": " + e.getMessage(), e);
        }
    }

    /**
     * The lock of a snapshot, or empty if it has no lock file.
     *
     * @throws LockFileException if the file exists but cannot be read, is not version 1, or does not make
     *                           sense: the caller must treat the snapshot as locked forever
     */
    public Optional<LockRecord> read(String tenant, String snapshot) {
        Path f = file(tenant, snapshot);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new LockFileException(tenant, snapshot, "reading it failed (" + e.getClass().getSimpleName() + ")", e);
        }
        return Optional.of(decode(bytes, tenant, snapshot));
    }

    /**
     * Writes {@code record} over the snapshot's lock file, atomically and durably. The immutable
     * attribute of the file it replaces is lifted first; the new file has none (the caller sets it).
     */
    public void write(LockRecord record) {
        Path f = file(record.tenant(), record.snapshot());
        liftBeforeReplacing(f, record.snapshot());
        AtomicFiles.write(tmp, f, encode(record));
    }

    /** Deletes the snapshot's lock file (lifting its immutable attribute first) and syncs the directory. */
    public void delete(String tenant, String snapshot) {
        Path f = file(tenant, snapshot);
        liftBeforeReplacing(f, snapshot);
        try {
            Files.deleteIfExists(f);
            AtomicFiles.fsyncDir(f.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the lock file of snapshot " + snapshot + ": " + e.getMessage(), e);
        }
    }

    private static void liftBeforeReplacing(Path f, String snapshot) {
        if (!Files.exists(f)) {
            return;
        }
        try {
            ImmutableFiles.lift(f);
        } catch (FsException e) {
            throw new RepoException("cannot lift the immutable attribute of the lock file of snapshot " + snapshot
                    + " (" + e.errnoName() + "); changing a lock needs CAP_LINUX_IMMUTABLE: run cairn as root", e);
        }
    }

    // ------------------------------------------------------------------ codec

    static byte[] encode(LockRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", VERSION);
        o.put("snapshot", r.snapshot());
        o.put("tenant", r.tenant());
        putLock(o, r.lock().mode(), r.lock().retainUntil(), r.lock().legalHold());
        o.put("createdAt", r.lock().createdAt().toString());
        ArrayNode h = o.putArray("history");
        for (LockRecord.Change c : r.history()) {
            ObjectNode e = h.addObject();
            e.put("at", c.at().toString());
            e.put("change", c.changeName());
            putLock(e, c.mode(), c.retainUntil(), c.legalHold());
            if (c.approval() == null) {
                e.putNull("approval");
            } else {
                e.put("approval", c.approval());
            }
        }
        try {
            byte[] json = JSON.writeValueAsBytes(o);
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putLock(ObjectNode o, LockMode mode, Instant retainUntil, boolean legalHold) {
        o.put("mode", mode.name().toLowerCase(Locale.ROOT));
        o.put("retainUntil", retainUntil.toString());
        o.put("legalHold", legalHold);
    }

    /** Decodes and checks a lock file; every problem is a {@link LockFileException} (fail closed). */
    static LockRecord decode(byte[] bytes, String tenant, String snapshot) {
        JsonNode o;
        try {
            o = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new LockFileException(tenant, snapshot, "it is not valid JSON", null);
        }
        try {
            if (o == null || !o.isObject()) {
                throw new IllegalArgumentException("it is not a JSON object");
            }
            JsonNode version = o.get("version");
            if (version == null || !version.isInt() || version.intValue() != VERSION) {
                throw new IllegalArgumentException("its version is " + (version == null ? "missing" : shown(version))
                        + ", and this Cairn reads version " + VERSION);
            }
            if (!snapshot.equals(text(o, "snapshot"))) {
                throw new IllegalArgumentException("it names another snapshot");
            }
            if (!tenant.equals(text(o, "tenant"))) {
                throw new IllegalArgumentException("it names another tenant");
            }
            RetentionLock lock = new RetentionLock(mode(o), instant(o, "retainUntil"), bool(o, "legalHold"),
                    instant(o, "createdAt"));
            JsonNode history = o.get("history");
            if (history == null || !history.isArray() || history.isEmpty()) {
                throw new IllegalArgumentException("its history is missing or empty");
            }
            List<LockRecord.Change> changes = new ArrayList<>();
            for (JsonNode e : history) {
                if (!e.isObject()) {
                    throw new IllegalArgumentException("a history entry is not an object");
                }
                JsonNode approval = e.get("approval");
                if (approval == null || !(approval.isNull() || approval.isTextual())) {
                    throw new IllegalArgumentException("a history entry has no approval member (null or text)");
                }
                changes.add(new LockRecord.Change(instant(e, "at"), LockRecord.Change.parse(text(e, "change")), mode(e),
                        instant(e, "retainUntil"), bool(e, "legalHold"), approval.isNull() ? null : approval.textValue()));
            }
            return new LockRecord(snapshot, tenant, lock, changes);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new LockFileException(tenant, snapshot, e instanceof DateTimeParseException
                    ? "a time in it is not an ISO-8601 instant" : e.getMessage(), null);
        }
    }

    private static String text(JsonNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("'" + name + "' is missing or not text");
        }
        return n.textValue();
    }

    private static Instant instant(JsonNode o, String name) {
        return Instant.parse(text(o, name));
    }

    private static boolean bool(JsonNode o, String name) {
        JsonNode n = o.get(name);
        if (n == null || !n.isBoolean()) {
            throw new IllegalArgumentException("'" + name + "' is missing or not true/false");
        }
        return n.booleanValue();
    }

    private static LockMode mode(JsonNode o) {
        return switch (text(o, "mode")) {
            case "compliance" -> LockMode.COMPLIANCE;
            case "governance" -> LockMode.GOVERNANCE;
            default -> throw new IllegalArgumentException("'mode' is neither compliance nor governance");
        };
    }

    /** A JSON value for a message, only if it is a small number (lock files hold no PHI, but keep it short). */
    private static String shown(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() ? Integer.toString(n.intValue()) : "not a number";
    }
}
