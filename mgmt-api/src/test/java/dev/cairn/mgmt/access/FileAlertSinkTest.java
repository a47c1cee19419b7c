package dev.cairn.mgmt.access;

import dev.cairn.hsm.testing.TestClock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileAlertSinkTest {
    @TempDir
    Path tmp;

    @Test
    void appendsOneLinePerAlertAndCutsATornTail() throws Exception {
        Path dir = tmp.resolve("alerts");
        TestClock clock = new TestClock(Instant.parse("2026-11-28T10:00:00Z"));
        FileAlertSink sink = new FileAlertSink(dir, clock);
        sink.alert("break-glass", "first");
        clock.advance(Duration.ofSeconds(1));
        Files.writeString(sink.path(), "{\"format\":\"cairn-al", StandardOpenOption.APPEND); // a crash mid-write
        sink.alert("break-glass", "second\nline");

        String[] lines = Files.readString(sink.path()).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        ObjectMapper m = new ObjectMapper();
        JsonNode second = m.readTree(lines[1]);
        assertThat(m.readTree(lines[0]).get("message").asText()).isEqualTo("first");
        assertThat(second.get("message").asText()).isEqualTo("second?line");
        assertThat(second.get("time").asText()).isEqualTo("2026-11-28T10:00:01Z");
        StateFiles.assertModes(dir);
        assertThatThrownBy(() -> sink.alert("Break Glass", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
