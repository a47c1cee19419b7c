package dev.cairn.cli;

import dev.cairn.engine.lock.Approval;
import dev.cairn.engine.lock.ImmutableReport;
import dev.cairn.engine.lock.LockRecord;
import dev.cairn.engine.lock.LockResult;
import dev.cairn.engine.lock.Locks;
import dev.cairn.engine.lock.ReleaseReport;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.RetentionLock;
import dev.cairn.hsm.approval.ApprovalFormatException;
import dev.cairn.hsm.approval.SignedApproval;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn lock SNAPSHOT ...}: shows, sets or changes a snapshot's retention lock (IMM-1; docs/retention.md,
 * docs/cli-retention.md). The rules are {@code LockRules}'; changes that need a multi-party approval take
 * signed approval records ({@code --approval FILE}, docs/formats/approval-record.md) checked against the
 * approval authority's public key ({@code --approval-key}).
 */
@Command(name = "lock", mixinStandardHelpOptions = true,
        description = "Shows, sets or changes the retention lock of a snapshot (compliance or governance, legal hold).")
final class LockCommand implements Callable<Integer> {
    /** Distinct approvers other than the requester that an approval record must name (the APR-1 policy). */
    static final int REQUIRED_APPROVERS = 2;

    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Parameters(paramLabel = "SNAPSHOT", description = "the snapshot id, or its first 8 or more hex digits")
    String snapshot;

    @Option(names = "--until", paramLabel = "DATE",
            description = "end of the retention period: 2027-11-28 (start of that day, UTC) or an instant like 2027-11-28T00:00:00Z")
    String until;

    @Option(names = "--mode", paramLabel = "MODE", description = "compliance or governance")
    String mode;

    @Option(names = "--legal-hold", paramLabel = "on|off", description = "set (on) or release (off, needs approval) a legal hold")
    String legalHold;

    @Option(names = "--remove", description = "remove the lock (an expired one freely; an active governance lock with approval)")
    boolean remove;

    @Option(names = "--approval", paramLabel = "FILE",
            description = "a signed approval record for retention.shorten or retention.remove on snapshot:<id> (repeatable)")
    List<Path> approvalFiles = new ArrayList<>();

    @Option(names = "--approval-key", paramLabel = "FILE", defaultValue = "${env:CAIRN_APPROVAL_KEY}",
            description = "the approval authority's EC P-256 public key, PEM (default: $CAIRN_APPROVAL_KEY)")
    Path approvalKey;

    @Option(names = "--tenant", paramLabel = "T", description = "the snapshot's tenant (default: searched in every tenant)")
    String tenant;

    @Override
    public Integer call() {
        boolean changing = until != null || mode != null || legalHold != null || remove;
        // parse everything before opening anything; conflicting or unreadable options are bad usage (exit 2)
        Instant untilTime;
        LockMode lockMode;
        Boolean hold;
        try {
            if (remove && (until != null || mode != null || legalHold != null)) {
                throw new CliException("--remove cannot be combined with --until, --mode or --legal-hold");
            }
            untilTime = until == null ? null : parseDate(until);
            lockMode = mode == null ? null : parseMode(mode);
            hold = legalHold == null ? null : parseOnOff(legalHold);
        } catch (CliException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Approval> approvals = readApprovals(approvalFiles, approvalKey);

        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            Locks locks = new Locks(o.repo());
            Locks.Target t = locks.resolve(tenant, snapshot);
            if (!changing) {
                Optional<LockRecord> r = locks.lock(t.tenant(), t.snapshot());
                print(t, r.orElse(null), null, o.repo().clock().instant());
                return 0;
            }
            LockResult result = remove
                    ? locks.remove(t.tenant(), t.snapshot(), approvals)
                    : locks.change(t.tenant(), t.snapshot(), new Locks.Request(lockMode, untilTime, hold), approvals);
            print(t, result.record(), result, o.repo().clock().instant());
            return 0;
        }
    }

    // ---- parsing ----

    /**
     * {@code 2027-11-28} is the start of that day in UTC ({@code 2027-11-28T00:00:00Z}); an instant with
     * {@code Z} or an offset is taken as it is.
     */
    static Instant parseDate(String text) {
        String t = text.strip();
        try {
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (t.endsWith("Z") || t.endsWith("z")) {
                return Instant.parse(t.toUpperCase(Locale.ROOT));
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new CliException("cannot read the date '" + text + "': write 2027-11-28 (the start of that day, UTC),"
                    + " or an instant such as 2027-11-28T00:00:00Z or 2027-11-28T00:00:00+01:00");
        }
    }

    static LockMode parseMode(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "compliance" -> LockMode.COMPLIANCE;
            case "governance" -> LockMode.GOVERNANCE;
            default -> throw new CliException("--mode is compliance or governance, not '" + text + "'");
        };
    }

    static boolean parseOnOff(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new CliException("--legal-hold is on or off, not '" + text + "'");
        };
    }

    /** Reads signed approval records; each is verified only when a change asks for its action. */
    static List<Approval> readApprovals(List<Path> files, Path keyFile) {
        if (files.isEmpty()) {
            return List.of();
        }
        if (keyFile == null) {
            throw new CliException("--approval needs the approval authority's public key: pass --approval-key FILE"
                    + " (PEM) or set CAIRN_APPROVAL_KEY");
        }
        PublicKey authority = readPublicKey(keyFile);
        List<Approval> out = new ArrayList<>();
        for (Path f : files) {
            String text;
            try {
                text = Files.readString(f, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new CliException("cannot read the approval " + f + ": " + e.getMessage(), e);
            }
            try {
                out.add(Approval.signed(SignedApproval.parse(text), authority, REQUIRED_APPROVERS));
            } catch (ApprovalFormatException e) {
                throw new CliException(f + " is not a signed approval record (" + e.getMessage()
                        + "); see docs/formats/approval-record.md", e);
            }
        }
        return out;
    }

    /** An EC public key as PEM ({@code -----BEGIN PUBLIC KEY-----}) or bare base64 of its X.509 encoding. */
    static PublicKey readPublicKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CliException("cannot read the approval key " + file + ": " + e.getMessage(), e);
        }
        String b64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new CliException(file + " is not an EC public key in PEM (-----BEGIN PUBLIC KEY-----)", e);
        }
    }

    // ---- output ----

    private void print(Locks.Target t, LockRecord record, LockResult result, Instant now) {
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(Json.write(json(t, record, result, now)));
        } else {
            RetentionLock lock = record == null ? null : record.lock();
            out.println("snapshot " + t.snapshot() + " (tenant " + t.tenant() + "): "
                    + (lock == null ? "no lock" : lock.describe() + (lock.activeAt(now) ? " (active)" : " (expired)")));
            if (result != null) {
                out.println(result.decision().changed()
                        ? "changed: " + String.join(", ", changeNames(result))
                        : "nothing to change");
                result.approvals().forEach((action, ref) -> out.println("approval " + ref + " used for " + action));
                if (result.immutable() != ImmutableReport.NONE) {
                    out.println(result.immutable().describe());
                }
                if (result.released() != null) {
                    out.println(result.released().describe());
                }
            }
        }
        if (result != null && !result.immutable().complete()) {
            spec.commandLine().getErr().println("cairn: warning: the immutable attribute is not on every file of this"
                    + " snapshot (" + result.immutable().describe() + "); the lock itself is in force");
        }
    }

    static Map<String, Object> json(Locks.Target t, LockRecord record, LockResult result, Instant now) {
        RetentionLock lock = record == null ? null : record.lock();
        Map<String, Object> m = Json.object("tenant", t.tenant(), "snapshot", t.snapshot(),
                "lock", lock == null ? null : Json.object("mode", lock.mode().name().toLowerCase(Locale.ROOT),
                        "retainUntil", lock.retainUntil().toString(), "legalHold", lock.legalHold(),
                        "createdAt", lock.createdAt().toString(), "active", lock.activeAt(now)),
                "history", record == null ? List.of() : record.history().stream().map(c -> Json.object("at", c.at().toString(),
                        "change", c.changeName(), "mode", c.mode().name().toLowerCase(Locale.ROOT),
                        "retainUntil", c.retainUntil().toString(), "legalHold", c.legalHold(), "approval", c.approval())).toList());
        if (result != null) {
            m.put("changed", result.decision().changed());
            m.put("changes", changeNames(result));
            m.put("approvals", result.approvals());
            ImmutableReport i = result.immutable();
            m.put("immutable", Json.object("files", i.files(), "unsupported", i.unsupported(), "problems", i.problems()));
            m.put("released", released(result.released()));
        }
        return m;
    }

    /** The changes as the lock file names them: create, extend, set-legal-hold, ... */
    static List<String> changeNames(LockResult r) {
        return r.decision().changes().stream().map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
    }

    static Map<String, Object> released(ReleaseReport r) {
        return r == null ? null : Json.object("snapshotFiles", r.snapshotFiles(), "lockFiles", r.lockFiles(),
                "packs", r.packs(), "activeLocks", r.activeLocks(), "problems", r.problems());
    }
}
