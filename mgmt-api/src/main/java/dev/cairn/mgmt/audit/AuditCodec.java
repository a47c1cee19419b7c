package dev.cairn.mgmt.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The bytes of audit lines (docs/formats/audit-log.md, sections 2, 3 and 6): the canonical encoder, a
 * strict decoder that accepts only canonical lines, and the line hash. Stateless and thread safe.
 */
public final class AuditCodec {
    /** Format version of every line. Do not change: a new format is a new version. */
    public static final int VERSION = 1;
    /** {@code prev} of entry 1: 64 zeros. Do not change. */
    public static final String GENESIS = "0".repeat(64);
    /** Longest line the writer writes, without its line feed. */
    public static final int MAX_LINE_BYTES = 8192;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern TIME_TEXT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final List<String> ENTRY_MEMBERS = List.of("v", "seq", "time", "clockSync", "actor", "authMethod",
            "sourceIp", "userAgent", "action", "targets", "outcome", "reason", "prev");
    private static final List<String> CHECKPOINT_MEMBERS = List.of("v", "checkpoint", "hash", "prevCheckpoint", "time",
            "key", "sig");

    private AuditCodec() {
    }

    /** A decoded line. */
    public sealed interface Line permits EntryLine, CheckpointLine, OtherVersion {
    }

    /** An entry and the hash of its stored bytes. */
    public record EntryLine(AuditEntry entry, String hash) implements Line {
    }

    /** A checkpoint. */
    public record CheckpointLine(Checkpoint checkpoint) implements Line {
    }

    /** A JSON object whose {@code v} is not {@link #VERSION}: not interpreted. */
    public record OtherVersion(String version) implements Line {
    }

    /** A line that is not a canonical version-1 entry or checkpoint; the message says which rule failed. */
    public static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        FormatException(String message) {
            super(message);
        }
    }

    /** RFC 3339 UTC with exactly 3 fraction digits. */
    public static String formatTime(Instant t) {
        return TIME.format(t);
    }

    /** The time truncated to what the format keeps. */
    static Instant truncate(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    /** Hex SHA-256 of a stored line without its line feed (section 2, hashed bytes). */
    public static String hash(byte[] line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The canonical line of an entry, without line feed. */
    public static byte[] encode(AuditEntry e) {
        AuditEvent ev = e.event();
        StringBuilder b = new StringBuilder(256);
        b.append("{\"v\":").append(VERSION).append(",\"seq\":").append(e.seq());
        member(b, "time", formatTime(e.time()));
        member(b, "clockSync", e.clockSync().wire());
        member(b, "actor", ev.actor());
        member(b, "authMethod", ev.authMethod());
        member(b, "sourceIp", ev.sourceIp());
        member(b, "userAgent", ev.userAgent());
        member(b, "action", ev.action());
        b.append(",\"targets\":[");
        for (int i = 0; i < ev.targets().size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, ev.targets().get(i));
        }
        b.append(']');
        member(b, "outcome", ev.outcome().wire());
        member(b, "reason", ev.reason());
        member(b, "prev", e.prev());
        b.append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical line of a checkpoint, without line feed. */
    public static byte[] encode(Checkpoint c) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"v\":").append(VERSION).append(",\"checkpoint\":").append(c.seq());
        member(b, "hash", c.hash());
        b.append(",\"prevCheckpoint\":").append(c.prevCheckpoint());
        member(b, "time", formatTime(c.time()));
        member(b, "key", c.key());
        member(b, "sig", Base64.getEncoder().encodeToString(c.signature()));
        b.append('}');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void member(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        string(b, value);
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
    }

    /**
     * Decodes one stored line (without its line feed). Only canonical version-1 lines decode; a JSON
     * object with another {@code v} gives {@link OtherVersion}.
     */
    public static Line decode(byte[] line) throws FormatException {
        JsonNode n;
        try {
            n = MAPPER.readTree(line);
        } catch (java.io.IOException e) {
            throw new FormatException("not a JSON object");
        }
        if (n == null || !n.isObject()) {
            throw new FormatException("not a JSON object");
        }
        JsonNode v = n.get("v");
        if (v == null) {
            throw new FormatException("no member v");
        }
        if (!v.isInt() || v.intValue() != VERSION) {
            return new OtherVersion(v.toString());
        }
        Line decoded;
        byte[] again;
        if (n.has("seq")) {
            members(n, ENTRY_MEMBERS);
            AuditEntry e = entry(n);
            decoded = new EntryLine(e, hash(line));
            again = encode(e);
        } else if (n.has("checkpoint")) {
            members(n, CHECKPOINT_MEMBERS);
            Checkpoint c = checkpoint(n);
            decoded = new CheckpointLine(c);
            again = encode(c);
        } else {
            throw new FormatException("neither an entry (seq) nor a checkpoint (checkpoint)");
        }
        if (!Arrays.equals(again, line)) {
            throw new FormatException("not in canonical form");
        }
        return decoded;
    }

    private static void members(JsonNode n, List<String> expected) throws FormatException {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        if (!names.equals(expected)) {
            throw new FormatException("members must be exactly " + String.join(",", expected) + " in this order");
        }
    }

    private static AuditEntry entry(JsonNode n) throws FormatException {
        long seq = positive(n, "seq");
        List<String> targets = new ArrayList<>();
        JsonNode t = n.get("targets");
        if (!t.isArray()) {
            throw new FormatException("targets is not an array");
        }
        for (JsonNode x : t) {
            targets.add(text(x, "targets[]"));
        }
        try {
            AuditEvent ev = new AuditEvent(str(n, "actor"), str(n, "authMethod"), str(n, "sourceIp"),
                    str(n, "userAgent"), str(n, "action"), targets, Outcome.fromWire(str(n, "outcome")),
                    str(n, "reason"));
            return new AuditEntry(seq, time(n), ClockSync.fromWire(str(n, "clockSync")), ev, hex(n, "prev"));
        } catch (IllegalArgumentException e) {
            throw new FormatException(e.getMessage());
        }
    }

    private static Checkpoint checkpoint(JsonNode n) throws FormatException {
        long seq = positive(n, "checkpoint");
        JsonNode p = n.get("prevCheckpoint");
        if (!p.canConvertToExactIntegral() || !p.isIntegralNumber() || p.longValue() < 0 || p.longValue() >= seq) {
            throw new FormatException("prevCheckpoint must be an integer from 0 to checkpoint-1");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(str(n, "sig"));
        } catch (IllegalArgumentException e) {
            throw new FormatException("sig is not Base64");
        }
        return new Checkpoint(seq, hex(n, "hash"), p.longValue(), time(n), str(n, "key"), sig);
    }

    private static long positive(JsonNode n, String name) throws FormatException {
        JsonNode x = n.get(name);
        if (!x.isIntegralNumber() || !x.canConvertToLong() || x.longValue() < 1 || x.longValue() > (1L << 53) - 1) {
            throw new FormatException(name + " must be an integer from 1 to 2^53-1");
        }
        return x.longValue();
    }

    private static String str(JsonNode n, String name) throws FormatException {
        return text(n.get(name), name);
    }

    private static String text(JsonNode x, String name) throws FormatException {
        if (x == null || !x.isTextual()) {
            throw new FormatException(name + " must be a string");
        }
        return x.textValue();
    }

    private static String hex(JsonNode n, String name) throws FormatException {
        String s = text(n.get(name), name);
        if (!HEX64.matcher(s).matches()) {
            throw new FormatException(name + " must be 64 lowercase hex digits");
        }
        return s;
    }

    private static Instant time(JsonNode n) throws FormatException {
        String s = text(n.get("time"), "time");
        if (!TIME_TEXT.matcher(s).matches()) {
            throw new FormatException("time must be RFC 3339 UTC with 3 fraction digits");
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new FormatException("time is not a valid date");
        }
    }
}
