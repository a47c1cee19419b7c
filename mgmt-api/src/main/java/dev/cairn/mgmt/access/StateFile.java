package dev.cairn.mgmt.access;

import dev.cairn.mgmt.files.PrivateFiles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * One JSON state file written atomically (docs/formats/access-state.md, "Files"): a temp file {@code <name>.tmp} in
 * the same directory, written, fsynced, renamed over {@code <name>}, then the directory fsynced. The directory is
 * created if missing and set to mode 0700; files are mode 0600. Not thread safe: each service calls it under its own
 * lock.
 */
final class StateFile {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path dir;
    private final Path file;
    private final Path tmp;
    private final String format;

    /**
     * @param dir    the service's directory (created with mode 0700 if missing)
     * @param name   the file name, for example {@code approvals.json}
     * @param format the exact value of the {@code "format"} field, for example {@code cairn-approvals v1}
     */
    StateFile(Path dir, String name, String format) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.file = dir.resolve(name);
        this.tmp = dir.resolve(name + ".tmp");
        this.format = format;
        prepareDirectory(dir);
    }

    /** Creates {@code dir} if needed and makes it 0700. */
    static void prepareDirectory(Path dir) {
        try {
            PrivateFiles.prepareDirectory(dir);
        } catch (IOException e) {
            throw new AccessStateException("cannot prepare the state directory " + dir + " ("
                    + e.getClass().getSimpleName() + "); check that it is a directory of its own and belongs to the"
                    + " service user", e);
        }
    }

    Path path() {
        return file;
    }

    /** A new object node with the format field already set. */
    ObjectNode newRoot() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        return root;
    }

    /**
     * The stored document, or null when the file does not exist yet (a fresh service). A leftover temp file from an
     * interrupted write is removed: the rename never happened, so the old file is the state.
     *
     * @throws AccessStateException if the file is unreadable, not JSON, or has another format field
     */
    ObjectNode read() {
        try {
            Files.deleteIfExists(tmp);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return null;
            }
            JsonNode root;
            try {
                root = JSON.readTree(bytes);
            } catch (JsonProcessingException e) {
                throw corrupt("it is not valid JSON", null);
            }
            if (root == null || !root.isObject()) {
                throw corrupt("it is not a JSON object", null);
            }
            JsonNode f = root.get("format");
            if (f == null || !f.isTextual() || !f.textValue().equals(format)) {
                throw corrupt("the \"format\" field is not \"" + format + "\"", null);
            }
            return (ObjectNode) root;
        } catch (IOException e) {
            throw new AccessStateException("cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); check the file system and the file's owner", e);
        }
    }

    /** Writes {@code root} atomically and durably. On failure the previous file is unchanged. */
    void write(ObjectNode root) {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(root) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new AccessStateException("cannot encode the state for " + file, e);
        }
        try {
            PrivateFiles.replace(file, tmp, bytes);
        } catch (IOException e) {
            throw new AccessStateException("cannot write " + file + " (" + e.getClass().getSimpleName()
                    + "); the change was not made; check free space and permissions, then retry", e);
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        PrivateFiles.fsyncDirectory(dir);
    }

    /** An exception for a corrupt file that names the file and the problem and says what to do. */
    AccessStateException corrupt(String problem, Throwable cause) {
        return new AccessStateException("state file " + file + " is corrupt: " + problem
                + "; the service refuses to start on it. Restore the file from a backup, or move it away to start"
                + " with an empty state (see docs/formats/access-state.md)", cause);
    }

    // ---- strict field readers; problems name the field, never its value ----

    /** Rejects fields other than {@code allowed} (plus nothing else). */
    void onlyFields(JsonNode node, String where, Set<String> allowed) {
        if (!node.isObject()) {
            throw corrupt(where + " is not a JSON object", null);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw corrupt(where + " has an unknown field", null);
            }
        }
    }

    String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw corrupt(where + "." + field + " is missing or not a string", null);
        }
        return v.textValue();
    }

    /** A string or JSON null. */
    String textOrNull(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw corrupt(where + "." + field + " is missing", null);
        }
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw corrupt(where + "." + field + " is not a string or null", null);
        }
        return v.textValue();
    }

    Instant instant(JsonNode node, String field, String where) {
        try {
            return Instant.parse(text(node, field, where));
        } catch (DateTimeParseException e) {
            throw corrupt(where + "." + field + " is not an ISO-8601 UTC time", null);
        }
    }

    Instant instantOrNull(JsonNode node, String field, String where) {
        String s = textOrNull(node, field, where);
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw corrupt(where + "." + field + " is not an ISO-8601 UTC time", null);
        }
    }

    Duration seconds(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 0) {
            throw corrupt(where + "." + field + " is missing or not a whole number of seconds", null);
        }
        return Duration.ofSeconds(v.longValue());
    }

    int nonNegativeInt(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isInt() || v.intValue() < 0) {
            throw corrupt(where + "." + field + " is missing or not a non-negative integer", null);
        }
        return v.intValue();
    }

    boolean bool(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isBoolean()) {
            throw corrupt(where + "." + field + " is missing or not true/false", null);
        }
        return v.booleanValue();
    }

    JsonNode array(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            throw corrupt(where + "." + field + " is missing or not an array", null);
        }
        return v;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
