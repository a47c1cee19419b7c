package dev.cairn.cli;

import dev.cairn.tape.device.MediaChanger;
import dev.cairn.tape.device.TapeDrive;
import dev.cairn.tape.device.TapeLibrary;
import dev.cairn.tape.qualify.DriveQualifier;
import dev.cairn.tape.scsi.ElementType;
import dev.cairn.tape.transport.iscsi.IscsiTransport;
import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn tape ...}: tape libraries (docs/tape.md). {@code --library} is an iSCSI URL
 * ({@code iscsi://HOST:PORT/IQN}); drives are numbered from 0 in the order of their element addresses;
 * slots are element addresses as {@code tape inventory} shows them.
 */
@Command(name = "tape", mixinStandardHelpOptions = true, description = "Tape libraries: inventory, moves, drive status, qualification, the emulated library.",
        subcommands = {TapeCommand.Vtl.class})
final class TapeCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "print JSON (documented in docs/tape.md)")
    boolean json;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private static TapeLibrary open(String url) {
        if (url == null || url.isBlank()) {
            throw new CliException("name the library with --library iscsi://HOST:PORT/IQN (`cairn tape vtl start` prints one)");
        }
        return TapeLibrary.open(IscsiTransport.connect(url));
    }

    @Command(name = "inventory", mixinStandardHelpOptions = true, description = "Every element of the changer, with barcodes.")
    int inventory(@Option(names = "--library", required = true, paramLabel = "URL") String url) {
        try (TapeLibrary lib = open(url)) {
            MediaChanger.Inventory inv = lib.changer().inventory();
            if (json) {
                out().println(Json.write(Json.object("library", url, "changer", lib.changer().identity().toString(),
                        "elements", inv.all().stream().map(e -> elementJson(e, lib)).toList())));
                return 0;
            }
            out().println("changer " + lib.changer().identity());
            out().printf(Locale.ROOT, "%-15s %-7s %-5s %-16s %-7s %s%n", "TYPE", "ADDRESS", "FULL", "BARCODE", "SOURCE", "DRIVE");
            for (MediaChanger.Element e : inv.all()) {
                out().printf(Locale.ROOT, "%-15s %-7d %-5s %-16s %-7s %s%n", typeName(e.type()), e.address(), e.full() ? "yes" : "no",
                        e.barcode(), e.sourceAddress().map(String::valueOf).orElse(""), driveLabel(e, lib));
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each drive: identity, quirks, cartridge, position, TapeAlert.")
    int status(@Option(names = "--library", required = true, paramLabel = "URL") String url) {
        try (TapeLibrary lib = open(url)) {
            List<Object> drives = new ArrayList<>();
            int i = 0;
            for (Map.Entry<Integer, TapeDrive> e : lib.drives().entrySet()) {
                TapeDrive d = e.getValue();
                TapeDrive.Status s = d.status();
                Optional<?> alerts = s.ready() ? d.tapeAlerts() : Optional.empty();
                drives.add(Json.object("drive", i, "element", e.getKey(), "lun", d.lun(), "vendor", d.identity().vendor(),
                        "product", d.identity().product(), "revision", d.identity().revision(), "serial", d.identity().serial(),
                        "quirks", d.quirks().name(), "ready", s.ready(), "mediumPresent", s.mediumPresent(),
                        "writeProtected", s.writeProtected(), "worm", s.wormMedium(), "notReady", s.notReadyReason(),
                        "tapeAlerts", alerts.map(Object::toString).orElse(null)));
                if (!json) {
                    out().println("drive " + i + " (element " + e.getKey() + ", LUN " + d.lun() + "): " + d.identity() + " [" + d.quirks().name() + "]");
                    out().println("  " + (s.ready() ? "ready" + (s.writeProtected() ? ", write protected" : "")
                            + ", WORM " + (s.wormMedium() == null ? "unknown" : s.wormMedium()) : "not ready: " + s.notReadyReason()));
                }
                i++;
            }
            if (json) {
                out().println(Json.write(Json.object("library", url, "drives", drives)));
            }
            return 0;
        }
    }

    @Command(name = "move", mixinStandardHelpOptions = true, description = "MOVE MEDIUM between two element addresses.")
    int move(@Option(names = "--library", required = true, paramLabel = "URL") String url,
             @Option(names = "--from", required = true, paramLabel = "ADDRESS") int from,
             @Option(names = "--to", required = true, paramLabel = "ADDRESS") int to) {
        try (TapeLibrary lib = open(url)) {
            MediaChanger.Inventory inv = lib.changer().inventory();
            for (int address : new int[] {from, to}) {
                if (inv.at(address).isEmpty()) {
                    throw new CliException("element " + address + " does not exist in this library; `cairn tape inventory` lists the addresses");
                }
            }
            lib.changer().move(from, to);
            report("moved", from, to);
            return 0;
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true, description = "Moves the cartridge in SLOT into drive N and loads it.")
    int load(@Option(names = "--library", required = true, paramLabel = "URL") String url,
             @Option(names = "--slot", required = true, paramLabel = "S") int slot,
             @Option(names = "--drive", defaultValue = "0", paramLabel = "N") int drive) {
        try (TapeLibrary lib = open(url)) {
            int element = lib.driveElement(drive);
            lib.changer().move(slot, element);
            try {
                lib.drive(drive).load();
            } catch (RuntimeException e) {
                throw new CliException(e.getMessage() + ". The cartridge is now in drive " + drive + " (element " + element
                        + "); put it back with `cairn tape unload --library " + url + " --drive " + drive + "`.", e);
            }
            report("loaded", slot, element);
            return 0;
        }
    }

    @Command(name = "unload", mixinStandardHelpOptions = true, description = "Unloads drive N and puts the cartridge back (into --slot, else where it came from).")
    int unload(@Option(names = "--library", required = true, paramLabel = "URL") String url,
               @Option(names = "--drive", defaultValue = "0", paramLabel = "N") int drive,
               @Option(names = "--slot", paramLabel = "S") Integer slot) {
        try (TapeLibrary lib = open(url)) {
            int element = lib.driveElement(drive);
            MediaChanger.Inventory inv = lib.changer().inventory();
            MediaChanger.Element e = inv.at(element).orElseThrow();
            if (!e.full()) {
                throw new CliException("drive " + drive + " (element " + element + ") is empty");
            }
            int to = slot != null ? slot : e.sourceAddress().filter(a -> inv.at(a).map(x -> !x.full()).orElse(false))
                    .orElseGet(() -> firstEmpty(inv.storage(), "storage slot"));
            lib.drive(drive).unload();
            lib.changer().move(element, to);
            report("unloaded", element, to);
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Moves the cartridge in SLOT to a mail slot, for a courier to take.")
    int export(@Option(names = "--library", required = true, paramLabel = "URL") String url,
               @Option(names = "--slot", required = true, paramLabel = "S") int slot,
               @Option(names = "--mail-slot", paramLabel = "M") Integer mail) {
        try (TapeLibrary lib = open(url)) {
            int to = mail != null ? mail : firstEmpty(lib.changer().inventory().importExport(), "mail slot");
            lib.changer().move(slot, to);
            report("exported", slot, to);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true, description = "Moves a cartridge from a mail slot into a storage slot.")
    int importCartridge(@Option(names = "--library", required = true, paramLabel = "URL") String url,
                        @Option(names = "--mail-slot", required = true, paramLabel = "M") int mail,
                        @Option(names = "--slot", paramLabel = "S") Integer slot) {
        try (TapeLibrary lib = open(url)) {
            int to = slot != null ? slot : firstEmpty(lib.changer().inventory().storage(), "storage slot");
            lib.changer().move(mail, to);
            report("imported", mail, to);
            return 0;
        }
    }

    @Command(name = "qualify", mixinStandardHelpOptions = true,
            description = "Qualifies drive N on the scratch cartridge in SLOT: write, filemarks, rewind, space, read, end of data; speed.")
    int qualify(@Option(names = "--library", required = true, paramLabel = "URL") String url,
                @Option(names = "--drive", defaultValue = "0", paramLabel = "N") int drive,
                @Option(names = "--slot", required = true, paramLabel = "S") int slot,
                @Option(names = "--size-mb", defaultValue = "64", paramLabel = "MB", description = "how much the timed write writes (default: ${DEFAULT-VALUE})") int sizeMb,
                @Option(names = "--overwrite", description = "allow a cartridge that already holds data (it is overwritten)") boolean overwrite) {
        if (sizeMb < 1 || sizeMb > 1 << 20) {
            throw new CliException("--size-mb is 1 to 1048576");
        }
        try (TapeLibrary lib = open(url)) {
            DriveQualifier.Report r = DriveQualifier.run(lib, drive, slot,
                    new DriveQualifier.Options((long) sizeMb << 20, 256 << 10, overwrite));
            if (json) {
                out().println(Json.write(Json.object("drive", r.drive().toString(), "element", r.driveElement(), "slot", r.slot(),
                        "barcode", r.barcode(), "quirks", r.quirks(), "passed", r.passed(),
                        "writeMiBps", Math.round(r.writeMiBps() * 10) / 10.0, "readMiBps", Math.round(r.readMiBps() * 10) / 10.0,
                        "bytesWritten", r.bytesWritten(),
                        "checks", r.checks().stream().map(c -> Json.object("check", c.name(), "result", c.result().name(), "detail", c.detail())).toList())));
            } else {
                out().println("drive " + r.drive() + " [" + r.quirks() + "], cartridge " + r.barcode() + " from slot " + r.slot());
                out().printf(Locale.ROOT, "%-16s %-12s %s%n", "CHECK", "RESULT", "DETAIL");
                for (DriveQualifier.Check c : r.checks()) {
                    out().printf(Locale.ROOT, "%-16s %-12s %s%n", c.name(), c.result(), c.detail());
                }
                out().printf(Locale.ROOT, "%s: write %.1f MiB/s, read %.1f MiB/s%n", r.passed() ? "PASSED" : "FAILED", r.writeMiBps(), r.readMiBps());
            }
            return r.passed() ? 0 : 1;
        }
    }

    private void report(String what, int from, int to) {
        out().println(json ? Json.write(Json.object("result", what, "from", from, "to", to)) : what + ": " + from + " -> " + to);
    }

    private static int firstEmpty(List<MediaChanger.Element> elements, String what) {
        return elements.stream().filter(e -> !e.full()).findFirst().map(MediaChanger.Element::address)
                .orElseThrow(() -> new CliException("no empty " + what));
    }

    private static Map<String, Object> elementJson(MediaChanger.Element e, TapeLibrary lib) {
        return Json.object("type", typeName(e.type()), "address", e.address(), "full", e.full(), "barcode", e.full() ? e.barcode() : null,
                "source", e.sourceAddress().orElse(null), "drive", driveIndex(e, lib), "exception", e.exception() ? e.exceptionText() : null);
    }

    private static Integer driveIndex(MediaChanger.Element e, TapeLibrary lib) {
        if (e.type() != ElementType.DATA_TRANSFER) {
            return null;
        }
        int i = new ArrayList<>(lib.drives().keySet()).indexOf(e.address());
        return i < 0 ? null : i;
    }

    private static String driveLabel(MediaChanger.Element e, TapeLibrary lib) {
        Integer i = driveIndex(e, lib);
        return i == null ? "" : "drive " + i + " (LUN " + lib.drive(i).lun() + ")";
    }

    static String typeName(ElementType t) {
        return switch (t) {
            case MEDIUM_TRANSPORT -> "transport";
            case STORAGE -> "slot";
            case IMPORT_EXPORT -> "mail-slot";
            case DATA_TRANSFER -> "drive";
            case ALL -> "all";
        };
    }

    /** {@code cairn tape vtl ...}: the emulated library (tgtd) for demos and tests. */
    @Command(name = "vtl", mixinStandardHelpOptions = true, description = "The emulated tape library (tgtd on 127.0.0.1).")
    static final class Vtl {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.ParentCommand
        TapeCommand parent;

        @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts an emulated library in DIR and prints its URL.")
        int start(@Option(names = "--dir", required = true, paramLabel = "DIR") Path dir,
                  @Option(names = "--port", defaultValue = "0", paramLabel = "P", description = "loopback port (default: a free one)") int port) {
            VirtualTapeLibrary v = VirtualTapeLibrary.start(dir, VirtualTapeLibrary.Layout.standard(), port);
            PrintWriter out = spec.commandLine().getOut();
            if (parent.json) {
                out.println(Json.write(Json.object("url", v.url(), "port", v.port(), "pid", v.pid(), "dir", v.dir().toString(),
                        "drives", v.layout().drives(), "slots", v.layout().storageSlots(), "mailSlots", v.layout().importExportSlots())));
            } else {
                out.println(v.url());
                spec.commandLine().getErr().println("emulated library running (tgtd pid " + v.pid() + "); stop it with: cairn tape vtl stop --dir " + dir);
            }
            return 0;
        }

        @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the emulated library in DIR.")
        int stop(@Option(names = "--dir", required = true, paramLabel = "DIR") Path dir) {
            VirtualTapeLibrary v = VirtualTapeLibrary.open(dir);
            boolean wasRunning = v.running();
            v.stop();
            spec.commandLine().getOut().println(parent.json ? Json.write(Json.object("stopped", v.url(), "wasRunning", wasRunning))
                    : (wasRunning ? "stopped " : "was not running: ") + v.url());
            return 0;
        }
    }
}
