package dev.cairn.cli;

import static dev.cairn.cli.CliRepo.HEX64;
import static dev.cairn.cli.CliRepo.exit;
import static dev.cairn.cli.CliRepo.ok;
import static dev.cairn.cli.MaintenanceCommandsTest.fieldNames;
import static dev.cairn.cli.MaintenanceCommandsTest.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.cli.CliRepo.Run;
import dev.cairn.hsm.approval.ApprovalRecord;
import dev.cairn.hsm.approval.SignedApproval;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn lock} and {@code cairn forget} in-process through {@link Main#execute} against a real
 * SoftHSM2 token and a real repository: exit codes, text and the JSON shapes of docs/cli-retention.md,
 * field by field; the lock rules as the command line meets them (governance changes need signed
 * approvals, compliance locks cannot be shortened or removed); forget's plan, dry run and refusals.
 * Locks put the immutable attribute on files (the tests run as root); it is lifted after each test.
 */
class MaintenanceCommandsTestRetentionTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    @TempDir
    Path tmp;

    @AfterEach
    void liftImmutable() throws IOException, InterruptedException {
        CliRepo.liftImmutable(tmp);
    }

    private Path source() throws IOException {
        Path src = tmp.resolve("src");
        CliRepo.random(src.resolve("imaging/scan-0001.bin"), 300_000, 1);
        Files.writeString(src.resolve("letter.txt"), "dear colleague\n");
        return src;
    }

    // ------------------------------------------------------------------ lock

    @Test
    void aGovernanceLockIsSetShownKeptByForgetAndRemovedOnlyWithAnApproval() throws Exception {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        Path src = source();
        String s1 = r.backup(src);

        Run set = ok(r.run("lock", s1.substring(0, 8), "--until", "2099-01-01", "--mode", "governance"));
        String shown = "snapshot " + s1 + " (tenant clinic-a): governance lock until 2099-01-01T00:00:00Z (active)\n";
        assertThat(set.out()).startsWith(shown + "changed: create\nimmutable attribute on ");
        assertThat(r.dir.resolve("locks/clinic-a/" + s1 + ".lock")).isRegularFile();

        // no change option: shows the lock and changes nothing
        assertThat(ok(r.run("lock", s1)).out()).isEqualTo(shown);
        JsonNode show = ok(r.run("lock", s1, "--json")).json();
        assertThat(fieldNames(show)).as("changed ... released only when a change was asked for")
                .containsExactly("tenant", "snapshot", "lock", "history");
        assertThat(show.path("tenant").asText()).isEqualTo("clinic-a");
        assertThat(show.path("snapshot").asText()).isEqualTo(s1);
        JsonNode lock = show.path("lock");
        assertThat(fieldNames(lock)).containsExactly("mode", "retainUntil", "legalHold", "createdAt", "active");
        assertThat(lock.path("mode").asText()).isEqualTo("governance");
        assertThat(lock.path("retainUntil").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(lock.path("legalHold").asBoolean()).isFalse();
        assertThat(Instant.parse(lock.path("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(lock.path("active").asBoolean()).isTrue();
        assertThat(show.path("history").size()).isEqualTo(1);
        JsonNode created = show.path("history").get(0);
        assertThat(fieldNames(created)).containsExactly("at", "change", "mode", "retainUntil", "legalHold", "approval");
        assertThat(created.path("change").asText()).isEqualTo("create");
        assertThat(created.path("approval").isNull()).isTrue();

        // extending is free; the JSON of a change has the documented extra members
        JsonNode extend = ok(r.run("lock", s1, "--until", "2099-06-01T02:00:00+02:00", "--json")).json();
        assertThat(fieldNames(extend)).containsExactly("tenant", "snapshot", "lock", "history", "changed", "changes", "approvals",
                "immutable", "released");
        assertThat(extend.path("lock").path("retainUntil").asText()).as("an offset is converted to UTC").isEqualTo("2099-06-01T00:00:00Z");
        assertThat(extend.path("changed").asBoolean()).isTrue();
        assertThat(names(extend.path("changes"))).containsExactly("extend");
        assertThat(extend.path("approvals").isObject()).isTrue();
        assertThat(extend.path("approvals").size()).isZero();
        assertThat(fieldNames(extend.path("immutable"))).containsExactly("files", "unsupported", "problems");
        assertThat(extend.path("immutable").path("files").asLong() + extend.path("immutable").path("unsupported").asLong())
                .as("the snapshot file, the lock file and the packs").isGreaterThanOrEqualTo(3);
        assertThat(extend.path("released").isNull()).isTrue();
        assertThat(extend.path("history").size()).isEqualTo(2);

        // two more backups of the same source: keep-last 1 keeps the newest and the locked one, and says why
        Files.writeString(src.resolve("letter.txt"), "dear colleague, again\n");
        String s2 = r.backup(src);
        String s3 = r.backup(src);
        Run forget = ok(r.run("forget", "--keep-last", "1"));
        assertThat(forget.out())
                .containsPattern("(?m)^keep    \\S+  " + s3 + "  clinic-a  clinic-a:" + Pattern.quote(src.toString()) + "  \\[last 1\\]$")
                .containsPattern("(?m)^forget  \\S+  " + s2 + "  clinic-a  clinic-a:" + Pattern.quote(src.toString()) + "$")
                .containsPattern("(?m)^keep    \\S+  " + s1 + "  clinic-a  clinic-a:" + Pattern.quote(src.toString())
                        + "  \\[locked: governance until 2099-06-01T00:00:00Z\\]$")
                .contains("forgot 1 of 1 planned snapshots; their data stays until `cairn prune`");
        assertThat(r.snapshotFile(s1)).exists();
        assertThat(r.snapshotFile(s2)).doesNotExist();
        assertThat(r.snapshotFile(s3)).exists();
        JsonNode prune = ok(r.run("prune", "--dry-run", "--json")).json().path("plan").path("tenants").get(0);
        assertThat(prune.path("lockedSnapshots").asInt()).as("prune counts the locked snapshot").isEqualTo(1);
        assertThat(prune.path("locked").asInt()).as("s1's pack, which prune never touches").isEqualTo(1);
        assertThat(prune.path("delete").asInt() + prune.path("repack").asInt()).as("s2's data is s3's too").isZero();

        // shortening or removing an active governance lock needs an approval
        Run shorten = exit(1, r.run("lock", s1, "--until", "2099-03-01"));
        assertThat(shorten.err()).contains("shortening the governance lock until 2099-06-01T00:00:00Z needs a multi-party approval"
                + " for retention.shorten").contains("no approval was given");
        Run remove = exit(1, r.run("lock", s1, "--remove"));
        assertThat(remove.err()).startsWith("cairn: ").contains("needs a multi-party approval for retention.remove")
                .contains("no approval was given");
        assertThat(ok(r.run("lock", s1)).out()).as("nothing changed").isEqualTo(shown.replace("2099-01-01", "2099-06-01"));

        // an approval for another action, or from another authority, is refused and says why
        Authority authority = new Authority(tmp);
        Path wrongAction = authority.approval("retention.shorten", s1, List.of("bob", "carol"));
        Run refused = exit(1, r.run("lock", s1, "--remove", "--approval", wrongAction.toString(),
                "--approval-key", authority.publicKey.toString()));
        assertThat(refused.err()).contains("needs a multi-party approval for retention.remove")
                .contains("the approvals given were refused: retention.remove: ");
        Path foreign = new Authority(tmp.resolve("other")).approval("retention.remove", s1, List.of("bob", "carol"));
        exit(1, r.run("lock", s1, "--remove", "--approval", foreign.toString(), "--approval-key", authority.publicKey.toString()));
        Path oneApprover = authority.approval("retention.remove", s1, List.of("bob"));
        exit(1, r.run("lock", s1, "--remove", "--approval", oneApprover.toString(), "--approval-key", authority.publicKey.toString()));
        Run noKey = exit(1, r.run("lock", s1, "--remove", "--approval", oneApprover.toString()));
        assertThat(noKey.err()).contains("--approval-key");

        // with a valid approval of two approvers the lock goes, and the files are released
        Path approval = authority.approval("retention.remove", s1, List.of("bob", "carol"));
        String approvalId = SignedApproval.parse(Files.readString(approval)).record().id();
        JsonNode removed = ok(r.run("lock", s1, "--remove", "--approval", approval.toString(),
                "--approval-key", authority.publicKey.toString(), "--json")).json();
        assertThat(removed.path("lock").isNull()).isTrue();
        assertThat(removed.path("changed").asBoolean()).isTrue();
        assertThat(names(removed.path("changes"))).containsExactly("remove");
        assertThat(removed.path("approvals").path("retention.remove").asText()).isEqualTo(approvalId);
        assertThat(fieldNames(removed.path("released"))).containsExactly("snapshotFiles", "lockFiles", "packs", "activeLocks", "problems");
        assertThat(removed.path("released").path("problems").size()).isZero();
        assertThat(ok(r.run("lock", s1)).out()).isEqualTo("snapshot " + s1 + " (tenant clinic-a): no lock\n");
        assertThat(ok(r.run("forget", "--keep-last", "1")).out()).as("unlocked now, so forgotten")
                .containsPattern("(?m)^forget  \\S+  " + s1 + "  ");
        assertThat(r.snapshotFile(s1)).doesNotExist();
    }

    @Test
    void aComplianceLockIsNeverShortenedOrRemovedAndDatesMustBeReadableAndInTheFuture() throws Exception {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        String s = r.backup(source());
        Path lockFile = r.dir.resolve("locks/clinic-a/" + s + ".lock");

        Run past = exit(1, r.run("lock", s, "--until", "2020-01-01", "--mode", "governance"));
        assertThat(past.err()).startsWith("cairn: ").contains("2020-01-01T00:00:00Z is not after now");
        assertThat(lockFile).doesNotExist();
        Run unreadable = exit(2, r.run("lock", s, "--until", "2099-02-30", "--mode", "governance"));
        assertThat(unreadable.err()).contains("cannot read the date '2099-02-30'").contains("2027-11-28");
        exit(2, r.run("lock", s, "--until", "next year", "--mode", "governance"));
        Run mode = exit(2, r.run("lock", s, "--until", "2099-01-01", "--mode", "forever"));
        assertThat(mode.err()).contains("--mode is compliance or governance");
        Run both = exit(2, r.run("lock", s, "--remove", "--until", "2099-01-01"));
        assertThat(both.err()).contains("--remove cannot be combined");
        exit(2, r.run("lock", s, "--legal-hold", "maybe"));
        Run onlyMode = exit(1, r.run("lock", s, "--mode", "compliance"));
        assertThat(onlyMode.err()).contains("needs both a mode and a retain-until time");
        Run latest = exit(1, r.run("lock", "latest", "--until", "2099-01-01", "--mode", "compliance"));
        assertThat(latest.err()).contains("first 8 or more");
        assertThat(lockFile).doesNotExist();

        ok(r.run("lock", s, "--until", "2099-01-01", "--mode", "compliance"));
        Authority authority = new Authority(tmp);
        Path approval = authority.approval("retention.shorten", s, List.of("bob", "carol"));
        for (List<String> change : List.of(List.of("--until", "2098-01-01"),
                List.of("--until", "2098-01-01", "--approval", approval.toString(), "--approval-key", authority.publicKey.toString()),
                List.of("--remove"), List.of("--mode", "governance"))) {
            List<String> args = new java.util.ArrayList<>(List.of("lock", s));
            args.addAll(change);
            Run refused = exit(1, r.run(args.toArray(String[]::new)));
            assertThat(refused.err()).as(change.toString()).startsWith("cairn: cannot ")
                    .contains("it is active, and nobody, root included, can ")
                    .contains("(IMM-1); wait until it expires at 2099-01-01T00:00:00Z");
        }
        JsonNode after = ok(r.run("lock", s, "--json")).json();
        assertThat(after.path("lock").path("mode").asText()).isEqualTo("compliance");
        assertThat(after.path("lock").path("retainUntil").asText()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(after.path("history").size()).as("nothing changed").isEqualTo(1);

        // extending a compliance lock and setting a legal hold are allowed to anyone
        JsonNode extended = ok(r.run("lock", s, "--until", "2100-01-01", "--legal-hold", "on", "--json")).json();
        assertThat(names(extended.path("changes"))).containsExactlyInAnyOrder("extend", "set-legal-hold");
        assertThat(extended.path("lock").path("legalHold").asBoolean()).isTrue();
        Run forget = ok(r.run("forget", "--keep-tag", "none-has-it", "--dry-run"));
        assertThat(forget.out()).containsPattern("(?m)^keep    \\S+  " + s + "  .*\\[locked: compliance until 2100-01-01T00:00:00Z, legal hold\\]$");
    }

    // ------------------------------------------------------------------ forget

    @Test
    void forgetShowsItsPlanDeletesNothingOnADryRunAndExactlyThePlanOtherwise() throws IOException {
        CliRepo r = new CliRepo(hsm.newToken(), tmp, "clinic-a");
        Path src = source();
        String s1 = r.backup(src);
        Files.writeString(src.resolve("letter.txt"), "second letter\n");
        String s2 = r.backup(src);
        Map<String, String> files = r.snapshotFiles();
        String source = "clinic-a:" + src;

        Run dry = ok(r.run("forget", "--keep-last", "1", "--dry-run"));
        assertThat(dry.out()).startsWith("dry run, nothing is deleted: keep last 1 (zone Z), now ")
                .containsPattern("(?m)^keep    \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  " + s2 + "  clinic-a  " + Pattern.quote(source) + "  \\[last 1\\]$")
                .containsPattern("(?m)^forget  \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  " + s1 + "  clinic-a  " + Pattern.quote(source) + "$")
                .doesNotContain("forgot");
        assertThat(r.snapshotFiles()).as("a dry run deletes nothing").isEqualTo(files);

        JsonNode plan = ok(r.run("forget", "--keep-last", "1", "--dry-run", "--json")).json();
        assertForgetShape(plan);
        assertThat(plan.path("dryRun").asBoolean()).isTrue();
        assertThat(plan.path("executed").asBoolean()).isFalse();
        assertThat(plan.path("result").isNull()).isTrue();
        assertThat(plan.path("policy").asText()).isEqualTo("keep last 1 (zone Z)");
        assertThat(names(plan.path("tenants"))).containsExactly("clinic-a");
        assertThat(plan.path("warnings").size()).isZero();
        JsonNode group = plan.path("groups").get(0);
        assertThat(group.path("tenant").asText()).isEqualTo("clinic-a");
        assertThat(group.path("source").asText()).isEqualTo(source);
        assertThat(group.path("forgetsEverything").asBoolean()).isFalse();
        assertThat(group.path("keep").get(0).path("id").asText()).isEqualTo(s2);
        assertThat(names(group.path("keep").get(0).path("reasons"))).containsExactly("last 1");
        assertThat(group.path("forget").size()).isEqualTo(1);
        assertThat(group.path("forget").get(0).path("id").asText()).isEqualTo(s1);
        assertThat(Instant.parse(group.path("forget").get(0).path("time").asText()))
                .isBefore(Instant.parse(group.path("keep").get(0).path("time").asText()));
        assertThat(r.snapshotFiles()).isEqualTo(files);

        // an empty policy is refused (docs/cli-retention.md: exit 1), whatever the other options
        for (List<String> empty : List.of(List.<String>of(), List.of("--keep-last", "0"), List.of("--dry-run"))) {
            List<String> args = new java.util.ArrayList<>(List.of("forget"));
            args.addAll(empty);
            Run refused = exit(1, r.run(args.toArray(String[]::new)));
            assertThat(refused.err()).as(empty.toString()).contains("refusing an empty keep policy").contains("--keep-last")
                    .contains("--keep-tag");
        }
        // option values it cannot read are bad usage
        Run within = exit(2, r.run("forget", "--keep-within", "3x"));
        assertThat(within.err()).contains("not a duration: '3x'").contains("Usage:");
        Run count = exit(2, r.run("forget", "--keep-last", "-2"));
        assertThat(count.err()).contains("must be >= 0, or -1 for unlimited");
        // a policy that keeps nothing of a group warns, and refuses to execute unless told
        Run dryAll = ok(r.run("forget", "--keep-tag", "never-given", "--dry-run"));
        assertThat(dryAll.err()).contains("cairn: warning: tenant clinic-a, source " + source + ": the policy keeps none of its 2 snapshots");
        Run all = exit(1, r.run("forget", "--keep-tag", "never-given", "--json"));
        assertThat(all.err()).contains("cairn: warning: ").contains("nothing was forgotten").contains("--allow-empty-group");
        assertThat(all.json().path("executed").asBoolean()).isFalse();
        assertThat(all.json().path("result").isNull()).isTrue();
        assertThat(all.json().path("groups").get(0).path("forgetsEverything").asBoolean()).isTrue();
        assertThat(r.snapshotFiles()).isEqualTo(files);

        JsonNode done = ok(r.run("forget", "--keep-last", "1", "--json")).json();
        assertForgetShape(done);
        assertThat(done.path("dryRun").asBoolean()).isFalse();
        assertThat(done.path("executed").asBoolean()).isTrue();
        JsonNode result = done.path("result");
        assertThat(fieldNames(result)).containsExactly("forgotten", "skipped", "failed", "released");
        assertThat(names(result.path("forgotten"))).containsExactly(s1);
        assertThat(result.path("skipped").size()).isZero();
        assertThat(result.path("failed").size()).isZero();
        assertThat(fieldNames(result.path("released"))).containsExactly("snapshotFiles", "lockFiles", "packs", "activeLocks", "problems");
        assertThat(r.snapshotFile(s1)).doesNotExist();
        assertThat(r.snapshotFile(s2)).exists();
        assertThat(r.snapshotFiles()).containsOnlyKeys(s2 + ".snap");

        Run nothing = ok(r.run("forget", "--keep-last", "1"));
        assertThat(nothing.out()).contains("forgot 0 of 0 planned snapshots\n");
        assertThat(ok(r.run("snapshots", "--json")).json().path("snapshots").size()).isEqualTo(1);
    }

    /** The documented fields of forget's JSON (docs/cli-retention.md), in order. */
    private static void assertForgetShape(JsonNode j) {
        assertThat(fieldNames(j)).containsExactly("dryRun", "executed", "now", "policy", "tenants", "groups", "warnings", "result");
        assertThat(Instant.parse(j.path("now").asText())).isNotNull();
        for (JsonNode g : j.path("groups")) {
            assertThat(fieldNames(g)).containsExactly("tenant", "source", "forgetsEverything", "keep", "forget");
            for (JsonNode k : g.path("keep")) {
                assertThat(fieldNames(k)).containsExactly("id", "time", "tags", "reasons");
                assertThat(k.path("id").asText()).matches(HEX64);
            }
            for (JsonNode f : g.path("forget")) {
                assertThat(fieldNames(f)).containsExactly("id", "time", "tags");
                assertThat(f.path("id").asText()).matches(HEX64);
            }
        }
    }

    /** An approval authority: an EC P-256 key pair, its public key as PEM, and signed approval records in files. */
    private static final class Authority {
        final Path dir;
        final Path publicKey;
        private final KeyPair keys;

        Authority(Path dir) throws GeneralSecurityException, IOException {
            this.dir = Files.createDirectories(dir.resolve("authority"));
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            keys = g.generateKeyPair();
            publicKey = this.dir.resolve("authority.pem");
            Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        }

        /** A signed record approving {@code action} on the snapshot for requester alice, valid from a minute ago for an hour. */
        Path approval(String action, String snapshot, List<String> approvers) throws GeneralSecurityException, IOException {
            Instant now = Instant.now();
            ApprovalRecord rec = new ApprovalRecord(UUID.randomUUID().toString(), action, "snapshot:" + snapshot, "alice", approvers,
                    now.minusSeconds(60), now.plus(Duration.ofHours(1)), "test");
            Path file = dir.resolve(rec.id() + ".approval");
            Files.writeString(file, SignedApproval.sign(rec, keys.getPrivate(), null).toText(), StandardCharsets.US_ASCII);
            return file;
        }
    }
}
