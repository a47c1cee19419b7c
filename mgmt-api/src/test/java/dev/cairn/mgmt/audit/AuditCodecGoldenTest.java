package dev.cairn.mgmt.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the bytes of format version 1 (docs/formats/audit-log.md): the example entry of section 3, its hash,
 * the signed bytes of section 6, and the canonical-form rules of section 2. Changing any expected value
 * here means a new format version.
 */
class AuditCodecGoldenTest {
    static final String EXAMPLE = "{\"v\":1,\"seq\":1,\"time\":\"2026-11-28T18:45:20.123Z\",\"clockSync\":\"synchronized\","
            + "\"actor\":\"alice\",\"authMethod\":\"password+totp\",\"sourceIp\":\"192.0.2.10\",\"userAgent\":\"Mozilla/5.0\","
            + "\"action\":\"auth.login\",\"targets\":[\"user:alice\"],\"outcome\":\"success\",\"reason\":\"\",\"prev\":\""
            + "0".repeat(64) + "\"}";

    static AuditEntry example() {
        return new AuditEntry(1, Instant.parse("2026-11-28T18:45:20.123Z"), ClockSync.SYNCHRONIZED,
                new AuditEvent("alice", "password+totp", "192.0.2.10", "Mozilla/5.0", "auth.login", List.of("user:alice"),
                        Outcome.SUCCESS, ""), AuditCodec.GENESIS);
    }

    @Test
    void theDocumentedExampleEncodesHashesAndDecodes() throws Exception {
        byte[] line = AuditCodec.encode(example());
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(EXAMPLE);
        assertThat(AuditCodec.hash(line)).isEqualTo("aa2ffb45b6c6bd0584af81f07d63d0b345dea01ca92ca6e759a67f0a29ed717b");
        AuditCodec.Line decoded = AuditCodec.decode(line);
        assertThat(decoded).isInstanceOf(AuditCodec.EntryLine.class);
        assertThat(((AuditCodec.EntryLine) decoded).entry()).isEqualTo(example());
    }

    @Test
    void theSignedBytesOfACheckpointAreThePinnedText() {
        Checkpoint c = new Checkpoint(100, "ab".repeat(32), 50, Instant.parse("2026-11-28T18:45:20.123Z"), "cairn/audit/1",
                new byte[] {1, 2, 3});
        assertThat(new String(c.signedBytes(), StandardCharsets.US_ASCII)).isEqualTo("cairn-audit-checkpoint v1\n"
                + "seq=100\nhash=" + "ab".repeat(32) + "\nprev-checkpoint=50\ntime=2026-11-28T18:45:20.123Z\n");
        assertThat(new String(AuditCodec.encode(c), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1,\"checkpoint\":100,\"hash\":\""
                + "ab".repeat(32) + "\",\"prevCheckpoint\":50,\"time\":\"2026-11-28T18:45:20.123Z\",\"key\":\"cairn/audit/1\",\"sig\":\"AQID\"}");
    }

    @Test
    void linesThatAreNotCanonicalDoNotDecode() {
        List<String> variants = List.of(
                EXAMPLE.replace("{\"v\":1,\"seq\":1,", "{\"seq\":1,\"v\":1,"),           // member order
                EXAMPLE.replace(",\"seq\":1,", ", \"seq\":1,"),                          // whitespace
                EXAMPLE.replace("\"alice\",\"authMethod\"", "\"\\u0061lice\",\"authMethod\""), // needless escape
                EXAMPLE.replace("\"reason\":\"\",", "\"reason\":\"\",\"extra\":1,"),     // extra member
                EXAMPLE.replace("\"0000", "\"000A").replace("0\"}", "0\"}"),             // not lowercase hex
                EXAMPLE.replace(".123Z", "Z"),                                           // no milliseconds
                EXAMPLE.replace("\"seq\":1,", "\"seq\":1.0,"),                           // not an integer
                EXAMPLE.replace("\"seq\":1,", "\"seq\":0,"),                             // seq from 1
                EXAMPLE.replace("\"outcome\":\"success\"", "\"outcome\":\"ok\""),        // unknown outcome
                EXAMPLE.replace("\"reason\":\"\"", "\"reason\":\"a\\nb\""),              // control character
                EXAMPLE.replace("\"actor\":\"alice\",", "\"actor\":\"alice\",\"actor\":\"bob\","), // duplicate member
                "[1,2]", "not json");
        for (String v : variants) {
            assertThatThrownBy(() -> AuditCodec.decode(v.getBytes(StandardCharsets.UTF_8)))
                    .as(v).isInstanceOf(AuditCodec.FormatException.class);
        }
    }

    @Test
    void aLineOfAnotherVersionIsNotInterpreted() throws Exception {
        assertThat(AuditCodec.decode("{\"v\":2,\"seq\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new AuditCodec.OtherVersion("2"));
    }
}
