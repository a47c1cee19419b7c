package dev.cairn.mgmt.audit;

import static dev.cairn.mgmt.audit.AuditFixture.editable;
import static dev.cairn.mgmt.audit.AuditFixture.hashOf;
import static dev.cairn.mgmt.audit.AuditFixture.indexOfCheckpoint;
import static dev.cairn.mgmt.audit.AuditFixture.indexOfEntry;
import static dev.cairn.mgmt.audit.AuditFixture.lines;
import static dev.cairn.mgmt.audit.AuditFixture.onlySegment;
import static dev.cairn.mgmt.audit.AuditFixture.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.hsm.AuditSigner;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.mgmt.audit.AuditReport.Finding;
import dev.cairn.mgmt.audit.AuditReport.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier against logs written through a real SoftHSM2 audit key, then tampered with line by line:
 * each kind of tampering is reported with its kind and seq, and a clean log has no finding.
 */
class AuditVerifierTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    static Pkcs11KeyVault vault;
    static AuditSigner signer;
    static PublicKey key;

    @TempDir
    Path dir;

    @BeforeAll
    static void openVault() {
        vault = hsm.token().open();
        signer = vault.auditSigner();
        key = AuditVerifier.readPublicKey(signer.publicKeyPem());
    }

    @AfterAll
    static void closeVault() {
        if (vault != null) {
            vault.close();
        }
    }

    private AuditReport verify() throws IOException {
        return AuditVerifier.verify(dir, key);
    }

    private static List<Kind> kinds(AuditReport r) {
        return r.findings().stream().map(Finding::kind).distinct().toList();
    }

    @Test
    void aCleanLogVerifiesAndIsChainedAsDocumented() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 25);
        AuditReport r = verify();
        assertThat(r.findings()).isEmpty();
        assertThat(r.notices()).isEmpty();
        assertThat(r.clean()).isTrue();
        assertThat(r.entries()).isEqualTo(25);
        assertThat(r.checkpoints()).isEqualTo(3); // after 10, after 20, and at close for 25
        assertThat(r.lastSeq()).isEqualTo(25);
        assertThat(r.lastSignedSeq()).isEqualTo(25);
        assertThat(r.unsigned()).isZero();

        List<String> lines = lines(onlySegment(dir));
        assertThat(onlySegment(dir).getFileName().toString()).isEqualTo("audit-000000000001.jsonl");
        assertThat(lines.getFirst()).isEqualTo("{\"v\":1,\"seq\":1,\"time\":\"2026-11-28T10:00:00.000Z\","
                + "\"clockSync\":\"synchronized\",\"actor\":\"user1\",\"authMethod\":\"password+totp\","
                + "\"sourceIp\":\"192.0.2.1\",\"userAgent\":\"test-agent/1.0\",\"action\":\"keys.rotate\","
                + "\"targets\":[\"tenant:clinic-1\",\"item:1\"],\"outcome\":\"success\",\"reason\":\"\",\"prev\":\""
                + "0".repeat(64) + "\"}");
        assertThat(lines.get(1)).endsWith("\"prev\":\"" + hashOf(lines.getFirst()) + "\"}");
        // the checkpoint closing entry 10 comes right after it and carries its hash
        int cp = indexOfCheckpoint(lines, 10);
        assertThat(cp).isEqualTo(indexOfEntry(lines, 10) + 1);
        assertThat(lines.get(cp)).contains("\"hash\":\"" + hashOf(lines.get(cp - 1)) + "\",\"prevCheckpoint\":0,");
        assertThat(lines.get(indexOfCheckpoint(lines, 20))).contains("\"prevCheckpoint\":10,");
    }

    @Test
    void anEditedFieldIsFound() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 25);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        int i = indexOfEntry(lines, 5);
        lines.set(i, lines.get(i).replace("\"outcome\":\"denied\"", "\"outcome\":\"success\""));
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.EDITED);
            assertThat(f.seq()).isEqualTo(5);
            assertThat(f.line()).isEqualTo(i + 1);
        });
        assertThat(kinds(r)).containsOnly(Kind.EDITED);
    }

    @Test
    void aChainRewrittenUpToACheckpointIsFoundByTheCheckpoint() throws Exception {
        AuditFixture.write(dir, signer, editable(10), 15);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        // edit entry 3, then recompute prev of entries 4..15 so the chain itself is consistent again
        String prev = null;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).contains("\"seq\":")) {
                continue;
            }
            AuditEntry e = ((AuditCodec.EntryLine) AuditCodec.decode(lines.get(i).getBytes(StandardCharsets.UTF_8))).entry();
            AuditEvent ev = e.event();
            if (e.seq() == 3) {
                ev = new AuditEvent("mallory", ev.authMethod(), ev.sourceIp(), ev.userAgent(), ev.action(), ev.targets(),
                        ev.outcome(), ev.reason());
            }
            String line = new String(AuditCodec.encode(new AuditEntry(e.seq(), e.time(), e.clockSync(), ev,
                    prev == null ? e.prev() : prev)), StandardCharsets.UTF_8);
            lines.set(i, line);
            prev = hashOf(line);
        }
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).extracting(Finding::kind, Finding::seq)
                .contains(org.assertj.core.groups.Tuple.tuple(Kind.EDITED, 10L), org.assertj.core.groups.Tuple.tuple(Kind.EDITED, 15L));
        assertThat(r.lastSignedSeq()).isZero();
    }

    @Test
    void anInsertedLineIsFound() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 12);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        int i = indexOfEntry(lines, 5);
        // a well-informed forger: same seq, prev chained to entry 4, otherwise plausible
        String forged = lines.get(i).replace("\"actor\":\"user2\"", "\"actor\":\"user0\"");
        lines.add(i + 1, forged);
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.INSERTED);
            assertThat(f.seq()).isEqualTo(5);
            assertThat(f.line()).isEqualTo(i + 2);
        });
    }

    @Test
    void aRemovedLineIsFound() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 12);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        lines.remove(indexOfEntry(lines, 5));
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.REMOVED);
            assertThat(f.seq()).isEqualTo(5);
        });
    }

    @Test
    void swappedLinesAreFound() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 12);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        int a = indexOfEntry(lines, 3);
        String three = lines.get(a);
        lines.set(a, lines.get(a + 1));
        lines.set(a + 1, three);
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.REORDERED);
            assertThat(f.seq()).isEqualTo(3);
        });
    }

    @Test
    void aRemovedSegmentIsFound() throws IOException {
        // a new segment after every checkpoint: segments 1 to 4 hold entries 1-5, 6-10, 11-15, 16-20
        AuditFixture.write(dir, signer, editable(5).withMaxSegmentBytes(1), 20);
        assertThat(Segments.list(dir)).extracting(p -> p.getFileName().toString()).containsExactly(
                "audit-000000000001.jsonl", "audit-000000000002.jsonl", "audit-000000000003.jsonl", "audit-000000000004.jsonl");
        assertThat(verify().findings()).isEmpty();

        Files.delete(dir.resolve("audit-000000000002.jsonl"));
        AuditReport r = verify();
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.GAP);
            assertThat(f.seq()).isEqualTo(6);
        });
        // the checkpoint chain shows it too: the checkpoint for 15 names 10, the previous one here is 5
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.REMOVED);
            assertThat(f.seq()).isEqualTo(15);
        });
        assertThat(kinds(r)).containsOnly(Kind.GAP, Kind.REMOVED);
    }

    @Test
    void aForgedCheckpointSignatureIsFound() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 25);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        int c10 = indexOfCheckpoint(lines, 10);
        int c20 = indexOfCheckpoint(lines, 20);
        String sig20 = lines.get(c20).substring(lines.get(c20).indexOf("\"sig\":"));
        String line10 = lines.get(c10);
        lines.set(c10, line10.substring(0, line10.indexOf("\"sig\":")) + sig20); // a genuine signature, of other bytes
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.BAD_SIGNATURE);
            assertThat(f.seq()).isEqualTo(10);
        });
        assertThat(r.lastSignedSeq()).isEqualTo(25);
    }

    @Test
    void anotherKeysPublicKeyFindsEveryCheckpointBad() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 25);
        PublicKey other;
        try (Pkcs11KeyVault otherVault = hsm.newToken().open()) {
            other = AuditVerifier.readPublicKey(otherVault.auditSigner().publicKeyPem());
        }
        AuditReport r = AuditVerifier.verify(dir, other);
        assertThat(r.findings()).extracting(Finding::kind, Finding::seq).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.BAD_SIGNATURE, 10L),
                org.assertj.core.groups.Tuple.tuple(Kind.BAD_SIGNATURE, 20L),
                org.assertj.core.groups.Tuple.tuple(Kind.BAD_SIGNATURE, 25L));
        assertThat(r.lastSignedSeq()).isZero();
        assertThat(r.unsigned()).isEqualTo(25);
    }

    @Test
    void aLineOfAnotherVersionIsReportedNotJudged() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 5);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        lines.add(2, "{\"v\":2,\"whatever\":true}");
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UNKNOWN_VERSION);
            assertThat(f.line()).isEqualTo(3);
        });
    }

    @Test
    void aNonCanonicalLineIsAnEdit() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 5);
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        int i = indexOfEntry(lines, 5); // the last entry: no later prev would notice; the close checkpoint does
        lines.set(i, lines.get(i).replace("{\"v\":1,", "{\"v\":1, "));
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.EDITED);
            assertThat(f.detail()).contains("canonical");
        });
    }

    @Test
    void aTornTailIsANoticeAndTheWriterContinuesInANewSegment() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 7);
        Path seg = onlySegment(dir);
        Files.write(seg, "{\"v\":1,\"seq\":8,\"time\":\"2026-11".getBytes(StandardCharsets.UTF_8),
                java.nio.file.StandardOpenOption.APPEND);

        AuditReport torn = verify();
        assertThat(torn.clean()).isTrue();
        assertThat(torn.notices()).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(Kind.TORN_TAIL);
            assertThat(n.seq()).isEqualTo(8);
        });

        byte[] before = Files.readAllBytes(seg);
        AuditFixture.write(dir, signer, editable(10), 3); // reopen: entries 8, 9, 10
        assertThat(Files.readAllBytes(seg)).isEqualTo(before); // never truncated or extended
        assertThat(Segments.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("audit-000000000001.jsonl", "audit-000000000002.jsonl");
        AuditReport r = verify();
        assertThat(r.findings()).isEmpty();
        assertThat(r.notices()).hasSize(1);
        assertThat(r.lastSeq()).isEqualTo(10);
        assertThat(r.lastSignedSeq()).isEqualTo(10);
    }

    @Test
    void aCrashDuringTheFirstAppendOfASegmentLeavesALogThatContinues() throws IOException {
        AuditFixture.write(dir, signer, editable(3).withMaxSegmentBytes(1), 3); // checkpoint at 3: next append in segment 2
        // the crash: segment 2 was created and got only part of entry 4
        Files.writeString(dir.resolve("audit-000000000002.jsonl"), "{\"v\":1,\"seq\":4,", StandardCharsets.UTF_8);
        AuditFixture.write(dir, signer, editable(3).withMaxSegmentBytes(1), 2); // entries 4 and 5, in segment 3

        assertThat(Segments.list(dir)).hasSize(3);
        AuditReport r = verify();
        assertThat(r.findings()).isEmpty();
        assertThat(r.notices()).singleElement().satisfies(n -> assertThat(n.segment()).isEqualTo("audit-000000000002.jsonl"));
        assertThat(r.lastSeq()).isEqualTo(5);
        assertThat(r.lastSignedSeq()).isEqualTo(5);
    }

    @Test
    void cuttingTheLastCheckpointAndTheEntriesItClosedIsNotDetectedAsDocumented() throws IOException {
        AuditFixture.write(dir, signer, editable(10), 12); // checkpoints for 10 and, at close, 12
        Path seg = onlySegment(dir);
        List<String> lines = lines(seg);
        lines.remove(indexOfCheckpoint(lines, 12));
        lines.remove(indexOfEntry(lines, 12));
        lines.remove(indexOfEntry(lines, 11));
        writeLines(seg, lines);

        AuditReport r = verify();
        assertThat(r.findings()).isEmpty(); // the documented limit: docs/formats/audit-log.md, section 9
        assertThat(r.lastSeq()).isEqualTo(10);
        assertThat(r.lastSignedSeq()).isEqualTo(10);
    }
}
