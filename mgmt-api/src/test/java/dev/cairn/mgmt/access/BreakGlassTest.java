package dev.cairn.mgmt.access;

import dev.cairn.hsm.testing.TestClock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.mgmt.access.BreakGlass.State;
import dev.cairn.mgmt.auth.Argon2Params;
import dev.cairn.mgmt.auth.LockoutPolicy;
import dev.cairn.mgmt.auth.PasswordHasher;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BreakGlassTest {
    static final Instant T0 = Instant.parse("2026-11-28T03:12:00Z");
    /** Cheap Argon2id so the test is quick; the format and the code path are the production ones. */
    static final Argon2Params FAST = new Argon2Params(1024, 1, 1, 16, 32);

    @TempDir
    Path tmp;
    Path dir;
    TestClock clock;
    FileAlertSink alerts;
    BreakGlass breakGlass;

    @BeforeEach
    void setUp() {
        dir = tmp.resolve("access");
        clock = new TestClock(T0);
        alerts = new FileAlertSink(dir, clock);
        breakGlass = open();
    }

    BreakGlass open() {
        return BreakGlass.open(dir, new PasswordHasher(FAST, new SecureRandom()), alerts, clock, new SecureRandom());
    }

    List<JsonNode> alertLines() throws Exception {
        Path f = dir.resolve(FileAlertSink.FILE);
        if (!f.toFile().exists()) {
            return List.of();
        }
        ObjectMapper m = new ObjectMapper();
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String line : StateFiles.read(f).split("\n")) {
            out.add(m.readTree(line));
        }
        return out;
    }

    @Test
    void theCredentialIsSevenGroupsOfFourBase32Characters() {
        String c = breakGlass.seal("breakglass");
        assertThat(c).matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){6}");
        assertThat(breakGlass.state("breakglass")).isEqualTo(State.SEALED);
        assertThat(breakGlass.state("other")).isEqualTo(State.NONE);
        assertThat(breakGlass.seal("second")).isNotEqualTo(c);
        assertThatThrownBy(() -> breakGlass.seal("breakglass")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("re-seal");
    }

    @Test
    void aUseGivesASixtyMinuteSessionAndOneAlertLine() throws Exception {
        String c = breakGlass.seal("breakglass");
        clock.advance(Duration.ofDays(30));
        Optional<BreakGlassUse> use = breakGlass.use("breakglass", c);
        assertThat(use).isPresent();
        assertThat(use.get().account()).isEqualTo("breakglass");
        assertThat(use.get().usedAt()).isEqualTo(clock.instant());
        assertThat(use.get().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(60)));
        assertThat(breakGlass.state("breakglass")).isEqualTo(State.USED);

        List<JsonNode> lines = alertLines();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().get("format").asText()).isEqualTo("cairn-alert v1");
        assertThat(lines.getFirst().get("kind").asText()).isEqualTo("break-glass");
        assertThat(lines.getFirst().get("message").asText()).isEqualTo("break-glass account breakglass used");
        assertThat(lines.getFirst().get("time").asText()).isEqualTo(clock.instant().toString());
        StateFiles.assertModes(dir);
    }

    @Test
    void aSecondUseIsRefusedUntilResealed() throws Exception {
        String c = breakGlass.seal("breakglass");
        assertThat(breakGlass.use("breakglass", c)).isPresent();
        assertThat(breakGlass.use("breakglass", c)).isEmpty();
        assertThat(open().use("breakglass", c)).isEmpty();

        String fresh = breakGlass.reseal("breakglass", "erin");
        assertThat(fresh).isNotEqualTo(c);
        assertThat(breakGlass.state("breakglass")).isEqualTo(State.SEALED);
        assertThat(breakGlass.use("breakglass", c)).isEmpty();
        // lower case and without hyphens is the same credential
        assertThat(breakGlass.use("breakglass", fresh.replace("-", " ").toLowerCase(Locale.ROOT))).isPresent();
        assertThat(alertLines()).hasSize(2);
        assertThatThrownBy(() -> breakGlass.reseal("nobody", "erin")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void wrongCredentialsAreRefusedWithBackoff() throws Exception {
        String c = breakGlass.seal("breakglass");
        String wrong = (c.charAt(0) == 'A' ? "B" : "A") + c.substring(1);
        for (int i = 0; i < 4; i++) {
            assertThat(breakGlass.use("breakglass", wrong)).isEmpty();
        }
        // four failures: the next attempt waits a second, even with the right credential
        LockoutPolicy.Decision d = breakGlass.attemptDecision("breakglass");
        assertThat(d.kind()).isEqualTo(LockoutPolicy.Decision.Kind.WAIT);
        assertThat(d.notBefore()).isEqualTo(clock.instant().plusSeconds(1));
        assertThat(breakGlass.use("breakglass", c)).isEmpty();
        assertThat(breakGlass.state("breakglass")).isEqualTo(State.SEALED);
        // the backoff survives a restart
        assertThat(open().attemptDecision("breakglass").kind()).isEqualTo(LockoutPolicy.Decision.Kind.WAIT);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breakGlass.use("breakglass", c)).isPresent();
        assertThat(alertLines()).hasSize(1);
    }

    @Test
    void guessingNeverLocksTheCredentialButRaisesAnAlertAndBacksOff() throws Exception {
        String c = breakGlass.seal("breakglass");
        for (int i = 0; i < BreakGlass.GUESSING_ALERT_AFTER + 2; i++) {
            assertThat(breakGlass.use("breakglass", "not-even-base32!")).isEmpty();
            clock.advance(Duration.ofMinutes(16));
        }
        assertThat(breakGlass.attemptDecision("breakglass").kind()).as("backoff only, never a lock")
                .isEqualTo(LockoutPolicy.Decision.Kind.ALLOWED);
        breakGlass.use("breakglass", "not-even-base32!");
        assertThat(breakGlass.attemptDecision("breakglass").kind()).isEqualTo(LockoutPolicy.Decision.Kind.WAIT);
        assertThat(breakGlass.use("breakglass", c)).as("refused while the backoff runs").isEmpty();
        List<JsonNode> lines = alertLines();
        assertThat(lines).as("one alert at the 10th wrong credential").hasSize(1);
        assertThat(lines.getFirst().get("message").asText()).contains("guessing");
        clock.advance(Duration.ofMinutes(16));
        assertThat(breakGlass.use("breakglass", c)).as("the emergency credential still works after guessing").isPresent();
    }

    @Test
    void noFileInTheDirectoryContainsTheCredential() {
        String c = breakGlass.seal("breakglass");
        breakGlass.use("breakglass", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA");
        String c2 = breakGlass.seal("spare");
        assertThat(breakGlass.use("breakglass", c)).isPresent();
        String c3 = breakGlass.reseal("breakglass", "erin");
        List<Path> files = StateFiles.all(dir);
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("breakglass.json", "alerts.jsonl");
        for (String cred : List.of(c, c2, c3)) {
            String raw = cred.replace("-", "");
            for (Path f : files) {
                String text = StateFiles.read(f);
                assertThat(text).as(f.toString()).doesNotContain(cred).doesNotContain(raw)
                        .doesNotContain(raw.toLowerCase(Locale.ROOT));
            }
        }
        assertThat(StateFiles.read(dir.resolve("breakglass.json"))).contains("$argon2id$");
        assertThat(breakGlass.toString()).doesNotContain(c3);
    }

    @Test
    void aCorruptStateFileFailsClosed() {
        breakGlass.seal("breakglass");
        Path file = dir.resolve("breakglass.json");
        String good = StateFiles.read(file);
        StateFiles.write(file, good.replace("$argon2id$", "$argon2i$"));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class)
                .hasMessageContaining("breakglass.json").hasMessageContaining("hash");
        StateFiles.write(file, good.replace("\"sealed\"", "\"open\""));
        assertThatThrownBy(this::open).isInstanceOf(AccessStateException.class).hasMessageContaining("state");
    }

    @Test
    void aFailingAlertSinkRefusesTheUseAndKeepsTheCredentialSealed() {
        AlertSink broken = (kind, message) -> {
            throw new AccessStateException("alerts disk full");
        };
        BreakGlass b = BreakGlass.open(dir, new PasswordHasher(FAST, new SecureRandom()), broken, clock, new SecureRandom());
        String c = b.seal("breakglass");
        assertThatThrownBy(() -> b.use("breakglass", c)).isInstanceOf(AccessStateException.class);
        assertThat(b.state("breakglass")).isEqualTo(State.SEALED);
        assertThat(open().use("breakglass", c)).isPresent();
    }
}
