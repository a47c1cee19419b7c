package dev.cairn.mgmt.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The appliance's {@link AlertSink}: appends one JSON line per alert to {@code alerts.jsonl} in the given directory
 * (docs/formats/access-state.md, "alerts.jsonl"), fsyncs it, and logs a WARNING through {@link System.Logger}. The
 * file is mode 0600 in a 0700 directory. A line torn by a crash (no final LF) is cut off before the next append.
 * Thread safe (one lock per instance); one instance per directory.
 */
public final class FileAlertSink implements AlertSink {
    /** The file name. */
    public static final String FILE = "alerts.jsonl";
    static final String FORMAT = "cairn-alert v1";
    private static final Pattern KIND = Pattern.compile("[a-z0-9-]{1,40}");
    private static final System.Logger LOG = System.getLogger(FileAlertSink.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path file;
    private final Clock clock;

    /**
     * A sink writing to {@code dir/alerts.jsonl}.
     *
     * @param dir   the directory (created with mode 0700 if missing)
     * @param clock the time of each alert
     */
    public FileAlertSink(Path dir, Clock clock) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.file = dir.resolve(FILE);
        this.clock = Objects.requireNonNull(clock, "clock");
        StateFile.prepareDirectory(dir);
    }

    /** The file alerts go to. */
    public Path path() {
        return file;
    }

    /**
     * Appends and fsyncs one line, then logs it.
     *
     * @throws IllegalArgumentException if {@code kind} is not {@code [a-z0-9-]{1,40}}
     * @throws AccessStateException     if the line could not be written durably
     */
    @Override
    public synchronized void alert(String kind, String message) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("alert kind must match " + KIND.pattern());
        }
        String clean = printable(Objects.requireNonNull(message, "message"));
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("time", clock.instant().toString());
        n.put("kind", kind);
        n.put("message", clean);
        byte[] line;
        try {
            line = (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new AccessStateException("cannot encode an alert for " + file, e);
        }
        try {
            boolean created = !Files.exists(file);
            try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ), PosixFilePermissions.asFileAttribute(StateFile.FILE_MODE))) {
                cutTornTail(ch);
                ch.position(ch.size());
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            if (created) {
                StateFile.fsyncDirectory(dir);
            }
        } catch (IOException e) {
            throw new AccessStateException("cannot append to " + file + " (" + e.getClass().getSimpleName()
                    + "); the alert was not recorded; check free space and permissions", e);
        }
        LOG.log(System.Logger.Level.WARNING, "ALERT {0}: {1}", kind, clean);
    }

    /** Truncates a last line that has no LF (a write interrupted by a crash). */
    private static void cutTornTail(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        long pos = size - 1;
        ch.read(one, pos);
        if (one.get(0) == '\n') {
            return;
        }
        while (pos > 0) {
            one.clear();
            ch.read(one, pos - 1);
            if (one.get(0) == '\n') {
                break;
            }
            pos--;
        }
        ch.truncate(pos);
        ch.force(true);
    }

    /** Control characters become '?': one alert is one line in the file and in the log. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 500));
        for (int i = 0; i < s.length() && i < 500; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR ? '?' : c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "FileAlertSink[" + file + "]";
    }
}
