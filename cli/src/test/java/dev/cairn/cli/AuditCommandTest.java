package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.hsm.testing.TestClock;
import dev.cairn.mgmt.audit.AuditEvent;
import dev.cairn.mgmt.audit.AuditLog;
import dev.cairn.mgmt.audit.ClockSync;
import dev.cairn.mgmt.audit.ClockSyncProbe;
import dev.cairn.mgmt.audit.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn audit verify} and {@code cairn audit search} in-process through {@link Main#execute}, on logs
 * written with a real SoftHSM2 audit key: exit codes 0, 1 and 2 and the documented JSON.
 */
class AuditCommandTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    @TempDir
    static Path tmp;

    static Path pem;
    static Path otherPem;

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeAll
    static void keys() throws IOException {
        try (Pkcs11KeyVault vault = hsm.token().open()) {
            pem = Files.writeString(tmp.resolve("audit.pem"), vault.auditSigner().publicKeyPem());
        }
        try (Pkcs11KeyVault other = hsm.newToken().open()) {
            otherPem = Files.writeString(tmp.resolve("other.pem"), other.auditSigner().publicKeyPem());
        }
    }

    /** A log of {@code n} entries, checkpoints every 4, actors alice and bob in turn. */
    static Path log(String name, int n) {
        Path dir = tmp.resolve(name);
        TestClock clock = new TestClock(START);
        try (Pkcs11KeyVault vault = hsm.token().open();
             AuditLog log = AuditLog.open(dir, vault.auditSigner(), clock, ClockSyncProbe.fixed(ClockSync.SYNCHRONIZED),
                     AuditLog.Options.defaults().withCheckpointEvery(4).withAppendOnlyAttribute(false))) {
            for (int i = 1; i <= n; i++) {
                log.append(new AuditEvent(i % 2 == 1 ? "alice" : "bob", "password+totp", "192.0.2.7", "cli-test",
                        i % 3 == 0 ? "keys.rotate" : "snapshot.list", List.of("tenant:clinic-a"), Outcome.SUCCESS, ""));
                clock.advance(Duration.ofMinutes(1));
            }
        }
        return dir;
    }

    @Test
    void verifyExitsZeroOnACleanLogWithTheDocumentedJson() throws IOException {
        Path dir = log("clean", 10);
        Run r = run("audit", "verify", dir.toString(), "--pubkey", pem.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("clean").asBoolean()).isTrue();
        assertThat(j.get("entries").asLong()).isEqualTo(10);
        assertThat(j.get("checkpoints").asLong()).isEqualTo(3);
        assertThat(j.get("lastSeq").asLong()).isEqualTo(10);
        assertThat(j.get("lastSignedSeq").asLong()).isEqualTo(10);
        assertThat(j.get("unsigned").asLong()).isZero();
        assertThat(j.get("findings")).isEmpty();
        assertThat(j.get("notices")).isEmpty();

        Run text = run("audit", "verify", dir.toString(), "--pubkey", pem.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("checked 10 entries and 3 checkpoints").contains("no findings");
    }

    @Test
    void verifyExitsOneOnTamperingAndNamesKindAndSeq() throws IOException {
        Path dir = log("tampered", 10);
        Path seg = dir.resolve("audit-000000000001.jsonl");
        String text = Files.readString(seg, StandardCharsets.UTF_8);
        Files.writeString(seg, text.replaceFirst("\"seq\":2,(.*?)\"actor\":\"bob\"", "\"seq\":2,$1\"actor\":\"eve\""),
                StandardCharsets.UTF_8);

        Run r = run("audit", "verify", dir.toString(), "--pubkey", pem.toString(), "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode f = r.json().get("findings");
        assertThat(f).hasSize(1);
        assertThat(f.get(0).get("kind").asText()).isEqualTo("edited");
        assertThat(f.get(0).get("seq").asLong()).isEqualTo(2);
        assertThat(f.get(0).get("segment").asText()).isEqualTo("audit-000000000001.jsonl");
        assertThat(f.get(0).get("line").asInt()).isEqualTo(2);
        assertThat(r.json().get("clean").asBoolean()).isFalse();

        Run t = run("audit", "verify", dir.toString(), "--pubkey", pem.toString());
        assertThat(t.code()).isEqualTo(1);
        assertThat(t.out()).contains("1 finding:").contains("edited at seq 2").contains("what to do");
    }

    @Test
    void verifyWithAnotherKeyExitsOneWithBadSignatures() throws IOException {
        Path dir = log("otherkey", 5);
        Run r = run("audit", "verify", dir.toString(), "--pubkey", otherPem.toString(), "--json");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.json().get("findings")).allSatisfy(f -> assertThat(f.get("kind").asText()).isEqualTo("bad-signature"));
        assertThat(r.json().get("lastSignedSeq").asLong()).isZero();
    }

    @Test
    void verifyExitsTwoOnBadUsage() throws IOException {
        Path dir = log("usage", 2);
        Run noKey = run("audit", "verify", dir.toString());
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.err()).contains("--pubkey");

        Run noDir = run("audit", "verify", tmp.resolve("missing").toString(), "--pubkey", pem.toString());
        assertThat(noDir.code()).isEqualTo(2);
        assertThat(noDir.err()).contains("no audit log directory");

        Path notPem = Files.writeString(tmp.resolve("not.pem"), "hello\n");
        Run badKey = run("audit", "verify", dir.toString(), "--pubkey", notPem.toString());
        assertThat(badKey.code()).isEqualTo(2);
        assertThat(badKey.err()).contains("not PEM");

        Run group = run("audit");
        assertThat(group.code()).isEqualTo(2);
    }

    @Test
    void pubkeyPrintsTheKeyVerifyAccepts() throws IOException {
        Run r = run("audit", "pubkey", "--hsm", hsm.token().hsmConf().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(pem)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        Path printed = Files.writeString(tmp.resolve("printed.pem"), r.out());
        Path dir = log("pubkey", 3);
        assertThat(run("audit", "verify", dir.toString(), "--pubkey", printed.toString()).code()).isZero();

        Run json = run("audit", "pubkey", "--hsm", hsm.token().hsmConf().toString(), "--json");
        assertThat(json.json().get("label").asText()).isEqualTo("cairn/audit/1");
        assertThat(json.json().get("pem").asText()).isEqualTo(r.out());
    }

    @Test
    void searchFiltersAndPagesInJson() throws IOException {
        Path dir = log("search", 12);
        Run first = run("audit", "search", dir.toString(), "--actor", "alice", "--limit", "4", "--json");
        assertThat(first.code()).as(first.err()).isZero();
        JsonNode j = first.json();
        assertThat(j.get("entries")).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 3L, 5L, 7L);
        assertThat(j.get("entries").get(0).get("time").asText()).isEqualTo("2026-11-28T10:00:00.000Z");
        assertThat(j.get("entries").get(0).get("clockSync").asText()).isEqualTo("synchronized");
        String cursor = j.get("nextCursor").asText();
        assertThat(cursor).isEqualTo("s7");

        Run next = run("audit", "search", dir.toString(), "--actor", "alice", "--limit", "4", "--cursor", cursor, "--json");
        assertThat(next.json().get("entries")).extracting(e -> e.get("seq").asLong()).containsExactly(9L, 11L);
        assertThat(next.json().get("nextCursor").isNull()).isTrue();

        Run window = run("audit", "search", dir.toString(), "--action", "keys.rotate", "--from", "2026-11-28T10:03:00Z",
                "--to", "2026-11-28T10:09:00Z", "--json");
        assertThat(window.json().get("entries")).extracting(e -> e.get("seq").asLong()).containsExactly(6L, 9L);

        Run bad = run("audit", "search", dir.toString(), "--from", "yesterday");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--from must be a UTC time");
    }
}
