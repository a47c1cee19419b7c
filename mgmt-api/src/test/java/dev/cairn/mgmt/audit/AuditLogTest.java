package dev.cairn.mgmt.audit;

import static dev.cairn.mgmt.audit.AuditFixture.editable;
import static dev.cairn.mgmt.audit.AuditFixture.event;
import static dev.cairn.mgmt.audit.AuditFixture.lines;
import static dev.cairn.mgmt.audit.AuditFixture.onlySegment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.hsm.AuditSigner;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import dev.cairn.hsm.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The writer against a real SoftHSM2 audit key and real files: chain, cadence, limits, modes, recovery. */
class AuditLogTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    static Pkcs11KeyVault vault;
    static AuditSigner signer;
    static PublicKey key;

    @TempDir
    Path tmp;

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

    private AuditLog open(Path dir, TestClock clock, AuditLog.Options options) {
        return AuditLog.open(dir, signer, clock, ClockSyncProbe.fixed(ClockSync.UNKNOWN), options);
    }

    @Test
    void concurrentAppendsGiveAGaplessVerifiedChain() throws Exception {
        Path dir = tmp.resolve("log");
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (AuditLog log = open(dir, new TestClock(AuditFixture.START), editable(7))) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        seqs.add(log.append(event(thread * 100 + i)).seq());
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(seqs).hasSize(320).doesNotHaveDuplicates().allMatch(s -> s >= 1 && s <= 320);
        AuditReport r = AuditVerifier.verify(dir, key);
        assertThat(r.findings()).isEmpty();
        assertThat(r.lastSeq()).isEqualTo(320);
        assertThat(r.lastSignedSeq()).isEqualTo(320);
        assertThat(r.checkpoints()).isEqualTo(320 / 7 + 1); // every 7, and one at close for 320
    }

    @Test
    void checkpointsComeByCount() {
        Path dir = tmp.resolve("count");
        try (AuditLog log = open(dir, new TestClock(AuditFixture.START), editable(3))) {
            for (int i = 1; i <= 7; i++) {
                log.append(event(i));
                assertThat(log.lastCheckpoint()).isEqualTo(i / 3 * 3L);
            }
        }
        List<String> lines = lines(onlySegment(dir));
        List<Integer> checkpointLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{\"v\":1,\"checkpoint\":")) {
                checkpointLines.add(i);
            }
        }
        // entries 1-3, cp, 4-6, cp, 7, cp at close
        assertThat(checkpointLines).containsExactly(3, 7, 9);
    }

    @Test
    void checkpointsComeByTimeFromTheInjectedClock() throws IOException {
        Path dir = tmp.resolve("time");
        TestClock clock = new TestClock(AuditFixture.START);
        AuditLog.Options options = editable(1000).withCheckpointInterval(Duration.ofMinutes(5));
        try (AuditLog log = open(dir, clock, options)) {
            log.append(event(1));
            log.append(event(2));
            clock.advance(Duration.ofMinutes(4));
            log.append(event(3));
            assertThat(log.lastCheckpoint()).isZero();
            assertThat(log.checkpointIfDue()).isFalse();
            clock.advance(Duration.ofMinutes(1));
            assertThat(log.checkpointIfDue()).isTrue(); // 5 minutes since the open
            assertThat(log.lastCheckpoint()).isEqualTo(3);
            assertThat(log.checkpointIfDue()).isFalse(); // nothing uncovered
            clock.advance(Duration.ofMinutes(10));
            assertThat(log.checkpointIfDue()).isFalse(); // still nothing uncovered
            log.append(event(4)); // 10 minutes since the last checkpoint: due at once
            assertThat(log.lastCheckpoint()).isEqualTo(4);
            log.append(event(5));
            assertThat(log.lastCheckpoint()).isEqualTo(4);
        }
        assertThat(lines(onlySegment(dir)).getLast()).contains("\"checkpoint\":5,").contains("\"prevCheckpoint\":4,")
                .contains("\"time\":\"2026-11-28T10:15:00.000Z\"");
        assertThat(AuditVerifier.verify(dir, key).findings()).isEmpty();
    }

    @Test
    void fieldsWithControlCharactersOrOversizeAreRejectedAndNothingIsWritten() {
        Path dir = tmp.resolve("limits");
        try (AuditLog log = open(dir, new TestClock(AuditFixture.START), editable(100))) {
            log.append(event(1));
            assertThatThrownBy(() -> new AuditEvent("alice\nforged", "none", "", "", "auth.login", List.of(), Outcome.SUCCESS, ""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actor").hasMessageContaining("control character")
                    .hasMessageNotContaining("forged");
            assertThatThrownBy(() -> new AuditEvent("alice", "none", "", "", "auth.login", List.of(), Outcome.SUCCESS, "a\u0085b"))
                    .hasMessageContaining("reason");
            assertThatThrownBy(() -> new AuditEvent("alice", "none", "", "", "auth.login", List.of(), Outcome.SUCCESS, "\u2028"))
                    .hasMessageContaining("reason");
            assertThatThrownBy(() -> new AuditEvent("a".repeat(129), "none", "", "", "auth.login", List.of(), Outcome.SUCCESS, ""))
                    .hasMessageContaining("actor must be 1 to 128 characters long, is 129");
            assertThatThrownBy(() -> new AuditEvent("alice", "none", "", "x".repeat(257), "auth.login", List.of(), Outcome.SUCCESS, ""))
                    .hasMessageContaining("userAgent");
            assertThatThrownBy(() -> new AuditEvent("alice", "none", "10.0.0.1\"x", "", "auth.login", List.of(), Outcome.SUCCESS, ""))
                    .hasMessageContaining("sourceIp");
            new AuditEvent("alice", "none", "fe80::1%eth0", "", "auth.login", List.of(), Outcome.SUCCESS, "");
            assertThatThrownBy(() -> new AuditEvent("alice", "none", "", "", "Auth Login", List.of(), Outcome.SUCCESS, ""))
                    .hasMessageContaining("action");
            assertThatThrownBy(() -> new AuditEvent("alice", "none", "", "", "auth.login", List.of("../etc/passwd x"), Outcome.SUCCESS, ""))
                    .hasMessageContaining("target");
            assertThatThrownBy(() -> new AuditEvent("alice", "none", "", "", "auth.login", List.of(), Outcome.SUCCESS, "\ud800"))
                    .hasMessageContaining("surrogate");
            // each member within its limit, the line too long
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                targets.add("t".repeat(127) + (i % 10));
            }
            AuditEvent big = new AuditEvent("alice", "none", "", "", "auth.login", targets, Outcome.SUCCESS, "");
            assertThatThrownBy(() -> log.append(big)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8192");
            assertThat(log.lastSeq()).isEqualTo(1);
            // quotes and backslashes are fine and escaped
            log.append(new AuditEvent("alice", "none", "", "say \"hi\" \\o/", "auth.login", List.of(), Outcome.SUCCESS, "é ✓"));
        }
        List<String> lines = lines(onlySegment(dir));
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).contains("\"userAgent\":\"say \\\"hi\\\" \\\\o/\"").contains("\"reason\":\"é ✓\"");
    }

    @Test
    void filesAreOwnerOnlyAndAppendOnlyWhereTheFileSystemAllows() throws IOException {
        Path dir = tmp.resolve("modes");
        Path seg;
        try (AuditLog log = open(dir, new TestClock(AuditFixture.START), AuditLog.Options.defaults())) {
            log.append(event(1));
            seg = onlySegment(dir);
            boolean enforced = log.appendOnlyEnforced();
            assertThat(enforced).isEqualTo(AppendOnlyAttribute.isSet(seg));
            assertThat(enforced).as("lsattr (e2fsprogs) agrees with our ioctl").isEqualTo(lsattrShowsAppendOnly(seg));
            if (enforced) {
                // the kernel refuses anything but appends, even to root
                assertThatThrownBy(() -> Files.write(seg, new byte[0], StandardOpenOption.TRUNCATE_EXISTING))
                        .isInstanceOf(IOException.class);
                assertThatThrownBy(() -> Files.delete(seg)).isInstanceOf(IOException.class);
            }
            log.append(event(2)); // still appends
        }
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seg))).isEqualTo("rw-------");
            assertThat(AuditVerifier.verify(dir, key).findings()).isEmpty();
        } finally {
            AppendOnlyAttribute.set(seg, false); // so that @TempDir can delete it
        }
        assertThat(AppendOnlyAttribute.isSet(seg)).isFalse();
    }

    @Test
    void aTokenPulledWhileLoggingKillsTheWriterAndLeavesAVerifiableLog() throws Exception {
        dev.cairn.hsm.testing.SoftHsm token = hsm.newToken();
        Path dir = tmp.resolve("pulled");
        PublicKey tokenKey;
        Path away = token.tokenFiles().resolveSibling("tokens-pulled");
        try (Pkcs11KeyVault v = token.open()) {
            AuditSigner s = v.auditSigner();
            tokenKey = AuditVerifier.readPublicKey(s.publicKeyPem());
            AuditLog log = AuditLog.open(dir, s, new TestClock(AuditFixture.START), ClockSyncProbe.fixed(ClockSync.UNKNOWN), editable(3));
            log.append(event(1));
            log.append(event(2));
            Files.move(token.tokenFiles(), away);
            try {
                // entry 3 is written and fsynced, then its checkpoint cannot be signed
                assertThatThrownBy(() -> log.append(event(3))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("checkpoint for entry 3").hasMessageContaining("writer is closed");
                assertThatThrownBy(() -> log.append(event(4))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("failed earlier");
                log.close(); // no checkpoint attempt on a dead writer, and no exception
            } finally {
                Files.move(away, token.tokenFiles(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        AuditReport r = AuditVerifier.verify(dir, tokenKey);
        assertThat(r.findings()).isEmpty();
        assertThat(r.lastSeq()).isEqualTo(3);
        assertThat(r.checkpoints()).isZero();
        assertThat(r.unsigned()).isEqualTo(3);
    }

    /** The flags column of {@code lsattr -d FILE} has an {@code a}; an independent check of the ioctl code. */
    private static boolean lsattrShowsAppendOnly(Path file) throws IOException {
        Process p = new ProcessBuilder("lsattr", "-d", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                return false; // no inode flags on this file system
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return out.split(" ")[0].contains("a");
    }

    @Test
    void aSecondWriterIsRefused() {
        Path dir = tmp.resolve("two");
        try (AuditLog log = open(dir, new TestClock(AuditFixture.START), editable(10))) {
            log.append(event(1));
            assertThatThrownBy(() -> open(dir, new TestClock(AuditFixture.START), editable(10)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
        }
    }

    @Test
    void theWriterResumesTheChainAndRefusesALogItCannotRead() throws IOException {
        Path dir = tmp.resolve("resume");
        AuditFixture.write(dir, signer, editable(10), 4);
        try (AuditLog log = open(dir, new TestClock(AuditFixture.START), editable(10))) {
            assertThat(log.lastSeq()).isEqualTo(4);
            assertThat(log.lastCheckpoint()).isEqualTo(4);
            assertThat(log.append(event(5)).seq()).isEqualTo(5);
        }
        assertThat(AuditVerifier.verify(dir, key).findings()).isEmpty();

        Path seg = onlySegment(dir);
        Files.writeString(seg, "not json\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        // 4 entries, a checkpoint, entry 5, a checkpoint: the bad line is line 8
        assertThatThrownBy(() -> open(dir, new TestClock(AuditFixture.START), editable(10)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be extended")
                .hasMessageContaining("line 8").hasMessageContaining("cairn audit verify");
    }

    @Test
    void theClockSyncStateComesFromChronyOrTimedatectlAndIsCached() {
        String chronyOk = "Reference ID    : C0000201 (192.0.2.1)\nStratum         : 3\nLeap status     : Normal\n";
        String chronyNot = "Reference ID    : 00000000 ()\nLeap status     : Not synchronised\n";
        assertThat(SystemClockSyncProbe.parseChrony(chronyOk)).isEqualTo(ClockSync.SYNCHRONIZED);
        assertThat(SystemClockSyncProbe.parseChrony(chronyNot)).isEqualTo(ClockSync.UNSYNCHRONIZED);
        assertThat(SystemClockSyncProbe.parseChrony("506 Cannot talk to daemon\n")).isEqualTo(ClockSync.UNKNOWN);
        assertThat(SystemClockSyncProbe.parseTimedatectl("yes\n")).isEqualTo(ClockSync.SYNCHRONIZED);
        assertThat(SystemClockSyncProbe.parseTimedatectl("no\n")).isEqualTo(ClockSync.UNSYNCHRONIZED);
        assertThat(SystemClockSyncProbe.parseTimedatectl(null)).isEqualTo(ClockSync.UNKNOWN);

        TestClock clock = new TestClock(AuditFixture.START);
        List<String> calls = new ArrayList<>();
        String[] timedatectl = {"no"};
        SystemClockSyncProbe probe = new SystemClockSyncProbe(clock, cmd -> {
            calls.add(cmd.getFirst());
            return cmd.getFirst().equals("chronyc") ? null : timedatectl[0];
        });
        assertThat(probe.current()).isEqualTo(ClockSync.UNSYNCHRONIZED);
        assertThat(calls).containsExactly("chronyc", "timedatectl");
        timedatectl[0] = "yes";
        clock.advance(Duration.ofSeconds(59));
        assertThat(probe.current()).isEqualTo(ClockSync.UNSYNCHRONIZED); // cached
        assertThat(calls).hasSize(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(probe.current()).isEqualTo(ClockSync.SYNCHRONIZED);
        assertThat(calls).hasSize(4);

        SystemClockSyncProbe nothing = new SystemClockSyncProbe(clock, cmd -> null);
        assertThat(nothing.current()).isEqualTo(ClockSync.UNKNOWN);
        // and the real host answers one of the three without failing
        assertThat(new SystemClockSyncProbe(clock).current()).isNotNull();
    }
}
