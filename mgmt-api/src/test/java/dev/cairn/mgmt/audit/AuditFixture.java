package dev.cairn.mgmt.audit;

import dev.cairn.hsm.AuditSigner;
import dev.cairn.hsm.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Helpers for audit tests: events, a writer with a hand-moved clock, and line-level file surgery. */
final class AuditFixture {
    static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    private AuditFixture() {
    }

    static AuditEvent event(int i) {
        return new AuditEvent("user" + (i % 3), "password+totp", "192.0.2." + (i % 250), "test-agent/1.0",
                i % 2 == 0 ? "snapshot.list" : "keys.rotate", List.of("tenant:clinic-" + (i % 4), "item:" + i),
                i % 5 == 0 ? Outcome.DENIED : Outcome.SUCCESS, "");
    }

    /** Options for tests that edit the files afterwards: no append-only attribute. */
    static AuditLog.Options editable(int every) {
        return AuditLog.Options.defaults().withCheckpointEvery(every).withAppendOnlyAttribute(false);
    }

    /** Writes {@code n} entries (one second apart) and closes the log. */
    static void write(Path dir, AuditSigner signer, AuditLog.Options options, int n) {
        TestClock clock = new TestClock(START);
        try (AuditLog log = AuditLog.open(dir, signer, clock, ClockSyncProbe.fixed(ClockSync.SYNCHRONIZED), options)) {
            for (int i = 1; i <= n; i++) {
                log.append(event(i));
                clock.advance(Duration.ofSeconds(1));
            }
        }
    }

    static Path onlySegment(Path dir) {
        try {
            List<Path> s = Segments.list(dir);
            if (s.size() != 1) {
                throw new AssertionError("expected one segment, found " + s);
            }
            return s.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeLines(Path file, List<String> lines) {
        try {
            Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The index in {@code lines} of the entry with {@code seq}. */
    static int indexOfEntry(List<String> lines, long seq) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{\"v\":1,\"seq\":" + seq + ",")) {
                return i;
            }
        }
        throw new AssertionError("no entry " + seq);
    }

    static int indexOfCheckpoint(List<String> lines, long seq) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{\"v\":1,\"checkpoint\":" + seq + ",")) {
                return i;
            }
        }
        throw new AssertionError("no checkpoint " + seq);
    }

    static String hashOf(String line) {
        return AuditCodec.hash(line.getBytes(StandardCharsets.UTF_8));
    }
}
