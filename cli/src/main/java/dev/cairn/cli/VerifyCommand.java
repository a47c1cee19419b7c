package dev.cairn.cli;

import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.verify.Subset;
import dev.cairn.engine.verify.Verify;
import dev.cairn.engine.verify.VerifyReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cairn verify}: checks the repository's structure and, with {@code --read-data}, every blob
 * (docs/cli-verify.md). Exit 0 when nothing is found, 1 on any finding (or failure), 2 on bad usage. It
 * never repairs anything. The report names snapshots and paths: it goes to the operator's terminal or
 * file, never to a general log.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check the repository: snapshots, trees, index and pack footers; with --read-data every blob.")
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RepoOptions options;

    @Option(names = "--read-data", description = "also read, decrypt and check every blob (reads the whole repository)")
    boolean readData;

    @Option(names = "--subset", paramLabel = "n/m",
            description = "read the data of part n of m of the packs only (implies --read-data); runs 1/m..m/m read each pack once")
    String subset;

    @Option(names = "--tenant", paramLabel = "T", description = "check only this tenant's snapshots and packs")
    String tenant;

    @Override
    public Integer call() {
        Subset part = null;
        if (subset != null) {
            try {
                part = Subset.parse(subset);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--subset: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean data = readData || part != null;
        VerifyReport report;
        try (RepoOptions.Opened opened = options.open(Repository.LockMode.SHARED)) {
            try (ProgressMeter meter = ProgressMeter.forTerminal(err, "verify", options.json)) {
                report = Verify.run(opened.repo(), new Verify.Options(data, part, tenant, meter::update));
            }
        }
        if (options.json) {
            out.println(Json.write(json(report, data, part)));
        } else {
            print(out, report, data, part);
        }
        return report.clean() ? 0 : 1;
    }

    /** The documented JSON shape (docs/cli-verify.md), field by field. */
    Map<String, Object> json(VerifyReport r, boolean data, Subset part) {
        VerifyReport.Counts c = r.counts();
        List<Object> findings = new ArrayList<>();
        for (VerifyReport.Finding f : r.findings()) {
            List<Object> hits = new ArrayList<>();
            for (VerifyReport.Hit h : f.hits()) {
                hits.add(Json.object("snapshot", h.snapshot(), "paths", h.paths(), "omitted", h.omitted()));
            }
            findings.add(Json.object("kind", f.kind().name(), "tenant", f.tenant(), "pack", f.pack(), "blob", f.blob(),
                    "blobType", f.blobType(), "detail", f.detail(), "hits", hits));
        }
        return Json.object("clean", r.clean(), "readData", data, "subset", part == null ? null : part.toString(), "tenant", tenant,
                "counts", Json.object("snapshots", c.snapshots(), "trees", c.trees(), "blobs", c.blobs(), "packs", c.packs(),
                        "packsRead", c.packsRead(), "bytesRead", c.bytesRead()),
                "findings", findings);
    }

    private void print(PrintWriter out, VerifyReport r, boolean data, Subset part) {
        VerifyReport.Counts c = r.counts();
        out.println("checked " + c.snapshots() + " snapshots, " + c.trees() + " trees, " + c.blobs() + " blobs, " + c.packs() + " packs"
                + (data ? "; read " + c.packsRead() + " packs (" + ProgressMeter.size(c.bytesRead()) + ")"
                + (part != null ? " of subset " + part : "") : "; data not read (add --read-data)"));
        if (r.clean()) {
            out.println("no findings");
            return;
        }
        Map<VerifyReport.Kind, List<VerifyReport.Finding>> byKind = new LinkedHashMap<>();
        r.findings().forEach(f -> byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(f));
        out.println(r.findings().size() + " finding" + (r.findings().size() == 1 ? "" : "s") + ":");
        byKind.forEach((kind, list) -> {
            out.println();
            out.println(kind + " (" + list.size() + "): " + meaning(kind));
            for (VerifyReport.Finding f : list) {
                StringBuilder line = new StringBuilder("  ");
                if (f.blob() != null) {
                    line.append(f.blobType()).append(" blob ").append(f.blob());
                    if (f.pack() != null) {
                        line.append(" in pack ").append(f.pack());
                    }
                } else if (f.pack() != null) {
                    line.append("pack ").append(f.pack());
                } else if (f.kind() == VerifyReport.Kind.SNAPSHOT_UNREADABLE && !f.hits().isEmpty()) {
                    line.append("snapshot ").append(f.hits().getFirst().snapshot());
                } else {
                    line.append("repository");
                }
                if (f.tenant() != null) {
                    line.append(" (tenant ").append(f.tenant()).append(')');
                }
                out.println(line.append(": ").append(f.detail()));
                if (f.kind() == VerifyReport.Kind.SNAPSHOT_UNREADABLE) {
                    continue;
                }
                for (VerifyReport.Hit h : f.hits()) {
                    out.println("    snapshot " + h.snapshot().substring(0, 8) + ":");
                    h.paths().forEach(p -> out.println("      " + p));
                    if (h.omitted() > 0) {
                        out.println("      ... and " + h.omitted() + " more");
                    }
                }
            }
            out.println("  what to do: " + advice(kind));
        });
    }

    static String meaning(VerifyReport.Kind k) {
        return switch (k) {
            case INDEX_INCOMPLETE -> "the index is incomplete (deleted, or a rebuild did not finish)";
            case SNAPSHOT_UNREADABLE -> "a snapshot file cannot be read or does not authenticate";
            case TREE_UNREADABLE -> "a directory listing cannot be read; everything below it is lost in these snapshots";
            case BLOB_NOT_IN_INDEX -> "referenced data the index does not know";
            case PACK_MISSING -> "a pack file is missing";
            case PACK_NOT_INDEXED -> "a pack file the index does not list";
            case PACK_TRUNCATED -> "a pack file is shorter than it was written";
            case PACK_FOOTER_BAD -> "a pack's header or footer is damaged";
            case PACK_UNREADABLE -> "a pack file cannot be read (I/O error)";
            case BLOB_OUT_OF_RANGE -> "data lies past the end of its pack file";
            case INDEX_MISMATCH -> "the index and a pack disagree about where data is";
            case BLOB_CORRUPT -> "data is damaged (fails its authentication tag)";
            case BLOB_ID_MISMATCH -> "data decrypts but does not match its id";
        };
    }

    static String advice(VerifyReport.Kind k) {
        return switch (k) {
            case INDEX_INCOMPLETE, PACK_NOT_INDEXED, INDEX_MISMATCH, BLOB_NOT_IN_INDEX ->
                    "run `cairn repo rebuild-index`, then `cairn verify` again; what is still named after that is lost";
            case SNAPSHOT_UNREADABLE -> "the snapshot cannot be restored; restore from another copy (tape) if it is needed";
            default -> "the files named above are lost in those snapshots: restore them from another copy (tape), and check"
                    + " the disk (dmesg, SMART); the next backup stores files again that are still on the source";
        };
    }
}
