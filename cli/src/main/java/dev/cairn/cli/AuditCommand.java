package dev.cairn.cli;

import dev.cairn.mgmt.audit.AuditEntry;
import dev.cairn.mgmt.audit.AuditQuery;
import dev.cairn.mgmt.audit.AuditReport;
import dev.cairn.mgmt.audit.AuditSearch;
import dev.cairn.mgmt.audit.AuditVerifier;
import dev.cairn.mgmt.audit.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn audit ...}: the offline audit trail tools (docs/cli-audit.md, format in
 * docs/formats/audit-log.md). {@code verify} and {@code search} read the log directory only and need no
 * token; {@code pubkey} reads the audit public key from the token, for {@code verify --pubkey}.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Audit trail: offline verification and search.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Search.class, AuditCommand.Pubkey.class})
final class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: `cairn audit verify` or `cairn audit search`");
    }

    static Path directory(CommandSpec spec, Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no audit log directory at " + dir);
        }
        return dir;
    }

    /** {@code cairn audit verify DIR --pubkey PEM [--json]}: exit 0 clean, 1 findings, 2 bad usage. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Verify the hash chain and the signed checkpoints of an audit log with the audit public key only.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "the audit log directory")
        Path dir;

        @Option(names = "--pubkey", required = true, paramLabel = "PEM",
                description = "the audit public key (a PEM file, as `cairn audit pubkey` prints it)")
        Path pubkey;

        @Option(names = "--json", description = "print the report as JSON (docs/cli-audit.md)")
        boolean json;

        @Override
        public Integer call() {
            directory(spec, dir);
            PublicKey key;
            try {
                key = AuditVerifier.readPublicKey(Files.readString(pubkey, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read --pubkey " + pubkey + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--pubkey " + pubkey + ": " + e.getMessage());
            }
            AuditReport r;
            try {
                r = AuditVerifier.verify(dir, key);
            } catch (IOException e) {
                throw new CliException("cannot read the audit log " + dir + ": " + e.getMessage()
                        + "; check the path and that you may read it (the directory is mode 0700)", e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.write(json(r)));
            } else {
                print(out, r);
            }
            return r.clean() ? 0 : 1;
        }

        static Map<String, Object> json(AuditReport r) {
            return Json.object("clean", r.clean(), "entries", r.entries(), "checkpoints", r.checkpoints(),
                    "lastSeq", r.lastSeq(), "lastSignedSeq", r.lastSignedSeq(), "unsigned", r.unsigned(),
                    "findings", findings(r.findings()), "notices", findings(r.notices()));
        }

        private static List<Object> findings(List<AuditReport.Finding> list) {
            List<Object> out = new ArrayList<>();
            for (AuditReport.Finding f : list) {
                out.add(Json.object("kind", f.kind().wire(), "seq", f.seq(), "segment", f.segment(), "line", f.line(),
                        "detail", f.detail()));
            }
            return out;
        }

        private static void print(PrintWriter out, AuditReport r) {
            out.println("checked " + r.entries() + " entries and " + r.checkpoints() + " checkpoints; last seq " + r.lastSeq()
                    + ", signed up to " + r.lastSignedSeq() + (r.unsigned() > 0 ? " (" + r.unsigned()
                    + " later entries are chained but not yet signed)" : ""));
            for (AuditReport.Finding n : r.notices()) {
                out.println("notice: " + n.kind().wire() + " at seq " + n.seq() + " (" + n.segment() + " line " + n.line() + "): " + n.detail());
            }
            if (r.clean()) {
                out.println("no findings");
                return;
            }
            out.println(r.findings().size() + " finding" + (r.findings().size() == 1 ? "" : "s") + ":");
            for (AuditReport.Finding f : r.findings()) {
                out.println("  " + f.kind().wire() + " at seq " + f.seq() + " (" + f.segment() + " line " + f.line() + "): " + f.detail());
            }
            out.println("what to do: keep the directory as evidence (copy it read-only), compare it with an earlier copy or "
                    + "export, and report it to the security officer; do not let the writer extend it until that is done");
        }
    }

    /** {@code cairn audit pubkey --hsm FILE [--json]}: the audit public key as PEM, created in the token on first use. */
    @Command(name = "pubkey", mixinStandardHelpOptions = true,
            description = "Print the audit public key (PEM) for `cairn audit verify --pubkey`; creates the key in the token on first use.")
    static final class Pubkey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @CommandLine.Mixin
        KeysCommand.VaultOptions options;

        @Override
        public Integer call() {
            try (dev.cairn.hsm.KeyVault vault = options.open()) {
                dev.cairn.hsm.AuditSigner signer = vault.auditSigner();
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(Json.write(Json.object("label", signer.label(), "algorithm", dev.cairn.hsm.AuditSigner.ALGORITHM,
                            "pem", signer.publicKeyPem())));
                } else {
                    out.print(signer.publicKeyPem());
                }
                return 0;
            }
        }
    }

    /** {@code cairn audit search DIR [filters] [--limit N] [--cursor C] [--json]}. */
    @Command(name = "search", mixinStandardHelpOptions = true,
            description = "List audit entries matching filters, a page at a time (it does not verify: use `cairn audit verify`).")
    static final class Search implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "the audit log directory")
        Path dir;

        @Option(names = "--actor", paramLabel = "A", description = "only entries of this actor")
        String actor;

        @Option(names = "--action", paramLabel = "X", description = "only this action, e.g. keys.rotate")
        String action;

        @Option(names = "--target", paramLabel = "ID", description = "only entries with this target ID")
        String target;

        @Option(names = "--outcome", paramLabel = "O", description = "success, denied or failure")
        String outcome;

        @Option(names = "--from", paramLabel = "T", description = "from this UTC time, inclusive (2026-11-28T10:00:00Z)")
        String from;

        @Option(names = "--to", paramLabel = "T", description = "before this UTC time, exclusive")
        String to;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "at most N entries, 1 to 1000 (default 50)")
        int limit;

        @Option(names = "--cursor", paramLabel = "C", description = "the cursor a previous page printed, for the next page")
        String cursor;

        @Option(names = "--json", description = "print JSON (docs/cli-audit.md)")
        boolean json;

        @Override
        public Integer call() {
            directory(spec, dir);
            AuditQuery q;
            try {
                q = new AuditQuery(time("--from", from), time("--to", to), actor, action, target,
                        outcome == null ? null : Outcome.fromWire(outcome), limit, cursor);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            AuditSearch.Page page;
            try {
                page = AuditSearch.search(dir, q);
            } catch (IOException e) {
                throw new CliException("cannot read the audit log " + dir + ": " + e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Object> entries = new ArrayList<>();
                page.entries().forEach(e -> entries.add(entry(e)));
                out.println(Json.write(Json.object("entries", entries, "nextCursor", page.nextCursor())));
            } else {
                for (AuditEntry e : page.entries()) {
                    out.println(e.seq() + "  " + dev.cairn.mgmt.audit.AuditCodec.formatTime(e.time()) + "  " + e.event().actor()
                            + "  " + e.event().action() + "  " + e.event().outcome().wire() + "  " + String.join(",", e.event().targets())
                            + (e.event().reason().isEmpty() ? "" : "  (" + e.event().reason() + ")"));
                }
                out.println(page.entries().size() + " entr" + (page.entries().size() == 1 ? "y" : "ies")
                        + (page.nextCursor() == null ? "" : "; more with --cursor " + page.nextCursor()));
            }
            return 0;
        }

        private static Instant time(String option, String value) {
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(option + " must be a UTC time like 2026-11-28T10:00:00Z");
            }
        }

        static Map<String, Object> entry(AuditEntry e) {
            return Json.object("seq", e.seq(), "time", dev.cairn.mgmt.audit.AuditCodec.formatTime(e.time()),
                    "clockSync", e.clockSync().wire(), "actor", e.event().actor(), "authMethod", e.event().authMethod(),
                    "sourceIp", e.event().sourceIp(), "userAgent", e.event().userAgent(), "action", e.event().action(),
                    "targets", e.event().targets(), "outcome", e.event().outcome().wire(), "reason", e.event().reason());
        }
    }
}
