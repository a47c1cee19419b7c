package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.tape.testing.EmulatedLibraryExtension;
import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn tape ...} run in-process through {@link Main#execute} against the emulated library
 * (tgtd, {@link EmulatedLibraryExtension}: 2 drives, slots 1000-1009 with CRN001L9-CRN004L9, CRNW05L9 and
 * CRNS06L9, mail slots 16-17 with CRN007L9 in 16).
 *
 * <p>The library is shared by the class. Every test puts the cartridges back where it found them, so the
 * order of tests does not matter; the qualification writes on CRN004L9 (slot 1003), which no other test
 * reads. The CLI opens and closes its iSCSI session per command, as an operator's shell would.
 */
class TapeCommandTest {
    @RegisterExtension
    static final EmulatedLibraryExtension VTL = new EmulatedLibraryExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A picocli or JVM stack trace line ("\tat dev.cairn...(Main.java:40)"). */
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/<>]+\\(.*\\)$");
    private static final int SLOT = VirtualTapeLibrary.FIRST_STORAGE;
    private static final int MAIL = VirtualTapeLibrary.FIRST_IMPORT_EXPORT;
    private static final int DRIVE_0 = VirtualTapeLibrary.FIRST_DRIVE;
    private static final int DRIVE_1 = VirtualTapeLibrary.FIRST_DRIVE + 1;
    /** The qualification's scratch cartridge (CRN004L9): blank until the qualification test writes on it. */
    private static final int SCRATCH = SLOT + 3;

    // ------------------------------------------------------------------ inventory

    @Test
    void inventoryJsonShowsEveryCartridgeOfTheLayoutInItsSlotAndBothDrives() throws IOException {
        VirtualTapeLibrary.Layout layout = VTL.library().layout();

        Run r = cairn("tape", "inventory", "--library", VTL.url(), "--json");

        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode inv = JSON.readTree(r.out());
        assertThat(inv.path("library").asText()).isEqualTo(VTL.url());
        assertThat(inv.path("changer").asText()).contains("IET").contains("VIRTUAL-CHANGER");
        JsonNode elements = inv.path("elements");
        assertThat(elements.size()).as(r.out()).isEqualTo(1 + layout.storageSlots() + layout.importExportSlots() + layout.drives());

        JsonNode transport = element(elements, VirtualTapeLibrary.TRANSPORT_ADDRESS);
        assertThat(transport.path("type").asText()).isEqualTo("transport");
        assertThat(transport.path("full").asBoolean()).isFalse();

        assertThat(layout.storage()).containsExactly("CRN001L9", "CRN002L9", "CRN003L9", "CRN004L9", "CRNW05L9", "CRNS06L9");
        for (int i = 0; i < layout.storageSlots(); i++) {
            JsonNode slot = element(elements, SLOT + i);
            assertThat(slot.path("type").asText()).isEqualTo("slot");
            assertThat(slot.path("drive").isNull()).isTrue();
            if (i < layout.storage().size()) {
                assertThat(slot.path("full").asBoolean()).as("slot " + (SLOT + i)).isTrue();
                assertThat(slot.path("barcode").asText()).isEqualTo(layout.storage().get(i));
            } else {
                assertThat(slot.path("full").asBoolean()).as("slot " + (SLOT + i)).isFalse();
                assertThat(slot.path("barcode").isNull()).as("an empty slot has no barcode").isTrue();
            }
        }

        JsonNode mail16 = element(elements, MAIL);
        assertThat(mail16.path("type").asText()).isEqualTo("mail-slot");
        assertThat(mail16.path("full").asBoolean()).isTrue();
        assertThat(mail16.path("barcode").asText()).isEqualTo("CRN007L9");
        JsonNode mail17 = element(elements, MAIL + 1);
        assertThat(mail17.path("type").asText()).isEqualTo("mail-slot");
        assertThat(mail17.path("full").asBoolean()).isFalse();

        JsonNode drive0 = element(elements, DRIVE_0);
        JsonNode drive1 = element(elements, DRIVE_1);
        assertThat(drive0.path("type").asText()).isEqualTo("drive");
        assertThat(drive1.path("type").asText()).isEqualTo("drive");
        assertThat(drive0.path("drive").isInt()).as(drive0.toString()).isTrue();
        assertThat(drive0.path("drive").asInt()).isZero();
        assertThat(drive1.path("drive").isInt()).as(drive1.toString()).isTrue();
        assertThat(drive1.path("drive").asInt()).isEqualTo(1);
        assertThat(drive0.path("full").asBoolean()).isFalse();
        assertThat(drive1.path("full").asBoolean()).isFalse();

        for (JsonNode e : elements) {
            assertThat(e.path("exception").isNull()).as("no element is in an exception state: " + e).isTrue();
        }
    }

    @Test
    void inventoryTextHasAHeaderRowAndOneLinePerElement() {
        VirtualTapeLibrary.Layout layout = VTL.library().layout();

        Run r = cairn("tape", "inventory", "--library", VTL.url());

        assertThat(r.code()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("changer IET").contains("VIRTUAL-CHANGER");
        String header = lines.get(1);
        assertThat(header.split("\\s+")).containsExactly("TYPE", "ADDRESS", "FULL", "BARCODE", "SOURCE", "DRIVE");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            rows.add(columns(header, line));
        }
        assertThat(rows).hasSize(1 + layout.storageSlots() + layout.importExportSlots() + layout.drives());

        assertRow(row(rows, VirtualTapeLibrary.TRANSPORT_ADDRESS), "transport", "no", "", "");
        for (int i = 0; i < layout.storageSlots(); i++) {
            boolean full = i < layout.storage().size();
            assertRow(row(rows, SLOT + i), "slot", full ? "yes" : "no", full ? layout.storage().get(i) : "", "");
        }
        assertRow(row(rows, MAIL), "mail-slot", "yes", "CRN007L9", "");
        assertRow(row(rows, MAIL + 1), "mail-slot", "no", "", "");
        assertRow(row(rows, DRIVE_0), "drive", "no", "", "drive 0 (LUN 1)");
        assertRow(row(rows, DRIVE_1), "drive", "no", "", "drive 1 (LUN 2)");
        for (Map<String, String> row : rows) {
            // where a cartridge last came from depends on earlier moves: a slot address, or nothing
            assertThat(row.get("SOURCE")).as(row.toString()).matches("[0-9]*");
        }
    }

    // ------------------------------------------------------------------ load, status, unload

    @Test
    void loadMakesDrive0ReadyAndUnloadPutsTheCartridgeBackInItsSlot() throws IOException {
        String barcode = barcodeAt(SLOT).orElseThrow();

        Run load = cairn("tape", "load", "--library", VTL.url(), "--slot", Integer.toString(SLOT), "--drive", "0");
        try {
            assertThat(load.code()).as(load.toString()).isZero();
            assertThat(load.out()).contains("loaded: " + SLOT + " -> " + DRIVE_0);

            Run status = cairn("tape", "status", "--library", VTL.url(), "--json");
            assertThat(status.code()).as(status.toString()).isZero();
            JsonNode drives = JSON.readTree(status.out()).path("drives");
            assertThat(drives.size()).isEqualTo(2);
            JsonNode d0 = drives.get(0);
            assertThat(d0.path("drive").asInt()).isZero();
            assertThat(d0.path("element").asInt()).isEqualTo(DRIVE_0);
            assertThat(d0.path("lun").asInt()).isEqualTo(1);
            assertThat(d0.path("vendor").asText()).isEqualTo("IET");
            assertThat(d0.path("ready").asBoolean()).as(d0.toString()).isTrue();
            assertThat(d0.path("mediumPresent").asBoolean()).isTrue();
            assertThat(d0.path("writeProtected").asBoolean()).isFalse();
            assertThat(d0.path("worm").isNull()).as("tgt's WORM flag cannot be trusted: unknown").isTrue();
            assertThat(d0.path("notReady").isNull()).isTrue();
            JsonNode d1 = drives.get(1);
            assertThat(d1.path("drive").asInt()).isEqualTo(1);
            assertThat(d1.path("ready").asBoolean()).isFalse();
            assertThat(d1.path("mediumPresent").asBoolean()).isFalse();
            assertThat(d1.path("notReady").asText()).contains("3A/00");

            JsonNode inDrive = element(inventory(), DRIVE_0);
            assertThat(inDrive.path("barcode").asText()).isEqualTo(barcode);
            assertThat(inDrive.path("source").asInt()).isEqualTo(SLOT);
            assertThat(element(inventory(), SLOT).path("full").asBoolean()).isFalse();

            Run unload = cairn("tape", "unload", "--library", VTL.url(), "--drive", "0");
            assertThat(unload.code()).as(unload.toString()).isZero();
            assertThat(unload.out()).contains("unloaded: " + DRIVE_0 + " -> " + SLOT);
        } finally {
            putBack(barcode, SLOT);
        }
        JsonNode inv = inventory();
        assertThat(element(inv, SLOT).path("barcode").asText()).isEqualTo(barcode);
        assertThat(element(inv, DRIVE_0).path("full").asBoolean()).isFalse();
        Run status = cairn("tape", "status", "--library", VTL.url(), "--json");
        assertThat(JSON.readTree(status.out()).path("drives").get(0).path("ready").asBoolean()).isFalse();
    }

    @Test
    void unloadReturnsTheCartridgeWhereItCameFromEvenAMailSlotRatherThanTheFirstEmptySlot() throws IOException {
        try {
            Run load = cairn("tape", "load", "--library", VTL.url(), "--slot", Integer.toString(MAIL), "--drive", "1");
            assertThat(load.code()).as(load.toString()).isZero();
            assertThat(load.out().strip()).isEqualTo("loaded: " + MAIL + " -> " + DRIVE_1);
            assertThat(barcodeAt(DRIVE_1)).contains("CRN007L9");

            Run unload = cairn("tape", "unload", "--library", VTL.url(), "--drive", "1", "--json");

            assertThat(unload.code()).as(unload.toString()).isZero();
            JsonNode result = JSON.readTree(unload.out());
            assertThat(result.path("result").asText()).isEqualTo("unloaded");
            assertThat(result.path("from").asInt()).isEqualTo(DRIVE_1);
            assertThat(result.path("to").asInt()).as("where it came from, not storage slot 1006").isEqualTo(MAIL);
            assertThat(barcodeAt(MAIL)).contains("CRN007L9");
            assertThat(barcodeAt(DRIVE_1)).isEmpty();
        } finally {
            putBack("CRN007L9", MAIL);
        }
    }

    // ------------------------------------------------------------------ move

    @Test
    void moveIntoAFullSlotOrFromAnEmptyOneFailsWithTheSenseCodeAndChangesNothing() throws IOException {
        JsonNode before = inventory();

        Run intoFull = cairn("tape", "move", "--library", VTL.url(), "--from", Integer.toString(SLOT + 1),
                "--to", Integer.toString(SLOT + 2));
        Run fromEmpty = cairn("tape", "move", "--library", VTL.url(), "--from", Integer.toString(SLOT + 9),
                "--to", Integer.toString(SLOT + 8));

        assertThat(intoFull.code()).as(intoFull.toString()).isEqualTo(1);
        assertThat(intoFull.err()).contains("MOVE MEDIUM").contains("3B/0D").contains("destination element is full");
        assertThat(intoFull.out()).isEmpty();
        assertNoStackTrace(intoFull);
        assertThat(fromEmpty.code()).as(fromEmpty.toString()).isEqualTo(1);
        assertThat(fromEmpty.err()).contains("MOVE MEDIUM").contains("3B/0E").contains("source element is empty");
        assertThat(fromEmpty.out()).isEmpty();
        assertNoStackTrace(fromEmpty);
        assertThat(inventory()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ export, import

    @Test
    void exportGoesToTheFirstEmptyMailSlotAndImportBackToTheFirstEmptyStorageSlot() throws IOException {
        String barcode = barcodeAt(SLOT + 1).orElseThrow();
        try {
            Run export = cairn("tape", "export", "--library", VTL.url(), "--slot", Integer.toString(SLOT + 1));
            assertThat(export.code()).as(export.toString()).isZero();
            assertThat(export.out().strip()).isEqualTo("exported: " + (SLOT + 1) + " -> " + (MAIL + 1));
            JsonNode inv = inventory();
            assertThat(element(inv, MAIL + 1).path("barcode").asText()).isEqualTo(barcode);
            assertThat(element(inv, MAIL).path("barcode").asText()).as("mail slot 16 is untouched").isEqualTo("CRN007L9");
            assertThat(element(inv, SLOT + 1).path("full").asBoolean()).isFalse();

            // the slot it left is now the first empty storage slot
            Run imported = cairn("tape", "import", "--library", VTL.url(), "--mail-slot", Integer.toString(MAIL + 1), "--json");
            assertThat(imported.code()).as(imported.toString()).isZero();
            JsonNode result = JSON.readTree(imported.out());
            assertThat(result.path("result").asText()).isEqualTo("imported");
            assertThat(result.path("from").asInt()).isEqualTo(MAIL + 1);
            assertThat(result.path("to").asInt()).isEqualTo(SLOT + 1);
            inv = inventory();
            assertThat(element(inv, SLOT + 1).path("barcode").asText()).isEqualTo(barcode);
            assertThat(element(inv, MAIL + 1).path("full").asBoolean()).isFalse();
        } finally {
            putBack(barcode, SLOT + 1);
        }
    }

    @Test
    void aCartridgeArrivingInAMailSlotIsImportedToTheFirstEmptyStorageSlotAndExportedBack() throws IOException {
        int firstEmptySlot = SLOT + VTL.library().layout().storage().size(); // 1006: slots 1000-1005 are full
        assertThat(barcodeAt(MAIL)).contains("CRN007L9");
        try {
            Run imported = cairn("tape", "import", "--library", VTL.url(), "--mail-slot", Integer.toString(MAIL));
            assertThat(imported.code()).as(imported.toString()).isZero();
            assertThat(imported.out().strip()).isEqualTo("imported: " + MAIL + " -> " + firstEmptySlot);
            assertThat(barcodeAt(firstEmptySlot)).contains("CRN007L9");
            assertThat(barcodeAt(MAIL)).isEmpty();

            // both mail slots are empty now: the first one is 16
            Run export = cairn("tape", "export", "--library", VTL.url(), "--slot", Integer.toString(firstEmptySlot), "--json");
            assertThat(export.code()).as(export.toString()).isZero();
            JsonNode result = JSON.readTree(export.out());
            assertThat(result.path("result").asText()).isEqualTo("exported");
            assertThat(result.path("from").asInt()).isEqualTo(firstEmptySlot);
            assertThat(result.path("to").asInt()).isEqualTo(MAIL);
            assertThat(barcodeAt(MAIL)).contains("CRN007L9");
            assertThat(barcodeAt(firstEmptySlot)).isEmpty();
        } finally {
            putBack("CRN007L9", MAIL);
        }
    }

    @Test
    void exportWithNoEmptyMailSlotSaysSoAndMovesNothing() throws IOException {
        String barcode = barcodeAt(SLOT + 2).orElseThrow();
        try {
            Run fill = cairn("tape", "move", "--library", VTL.url(), "--from", Integer.toString(SLOT + 2), "--to", Integer.toString(MAIL + 1));
            assertThat(fill.code()).as(fill.toString()).isZero();
            assertThat(fill.out().strip()).isEqualTo("moved: " + (SLOT + 2) + " -> " + (MAIL + 1));
            JsonNode before = inventory();

            Run export = cairn("tape", "export", "--library", VTL.url(), "--slot", Integer.toString(SLOT));

            assertThat(export.code()).as(export.toString()).isEqualTo(1);
            assertThat(export.err()).contains("no empty mail slot");
            assertNoStackTrace(export);
            assertThat(inventory()).isEqualTo(before);
        } finally {
            putBack(barcode, SLOT + 2);
        }
        assertThat(barcodeAt(SLOT + 2)).contains(barcode);
    }

    // ------------------------------------------------------------------ qualify

    @Test
    void qualifyPassesOnABlankCartridgeAndRefusesItOnceItHoldsData() throws IOException {
        String barcode = barcodeAt(SCRATCH).orElseThrow();
        try {
            Run first = cairn("tape", "qualify", "--library", VTL.url(), "--slot", Integer.toString(SCRATCH), "--drive", "1",
                    "--size-mb", "16", "--json");

            assertThat(first.code()).as(first.toString()).isZero();
            JsonNode report = JSON.readTree(first.out());
            assertThat(report.path("passed").asBoolean()).as(first.out()).isTrue();
            assertThat(report.path("barcode").asText()).isEqualTo(barcode);
            assertThat(report.path("slot").asInt()).isEqualTo(SCRATCH);
            assertThat(report.path("element").asInt()).isEqualTo(DRIVE_1);
            assertThat(report.path("bytesWritten").asLong()).isEqualTo(16L << 20);
            assertThat(report.path("writeMiBps").asDouble()).isPositive();
            assertThat(report.path("readMiBps").asDouble()).isPositive();
            JsonNode checks = report.path("checks");
            assertThat(check(checks, "blank cartridge")).isEqualTo("PASS");
            assertThat(check(checks, "end of data")).isEqualTo("PASS");
            assertThat(check(checks, "space and read")).isEqualTo("PASS");
            assertThat(check(checks, "read")).isEqualTo("PASS");
            assertThat(check(checks, "unload")).isEqualTo("PASS");
            assertThat(namesWith(checks, "UNSUPPORTED"))
                    .containsExactlyInAnyOrder("WORM flag", "TapeAlert", "encryption", "READ POSITION", "LOCATE");
            assertThat(namesWith(checks, "FAIL")).isEmpty();
            assertThat(barcodeAt(SCRATCH)).as("back in its slot after the qualification").contains(barcode);

            Run second = cairn("tape", "qualify", "--library", VTL.url(), "--slot", Integer.toString(SCRATCH), "--drive", "1",
                    "--size-mb", "16", "--json");

            assertThat(second.code()).as(second.toString()).isEqualTo(1);
            JsonNode refused = JSON.readTree(second.out());
            assertThat(refused.path("passed").asBoolean()).isFalse();
            assertThat(refused.path("bytesWritten").asLong()).as("nothing was written on the refused cartridge").isZero();
            assertThat(check(refused.path("checks"), "blank cartridge")).isEqualTo("FAIL");
            assertThat(detail(refused.path("checks"), "blank cartridge")).contains(barcode).contains("holds data");
            assertThat(check(refused.path("checks"), "unload")).isEqualTo("PASS");
            assertThat(namesWith(refused.path("checks"), "FAIL")).containsExactly("blank cartridge");
            assertThat(barcodeAt(SCRATCH)).as("back in its slot after the refusal").contains(barcode);
            assertThat(element(inventory(), DRIVE_1).path("full").asBoolean()).isFalse();
        } finally {
            putBack(barcode, SCRATCH);
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aLibraryThatIsNotAnIscsiUrlIsRefusedWithTheExpectedForm() {
        Run r = cairn("tape", "inventory", "--library", "/dev/sg3");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("iscsi://");
        assertThat(r.out()).isEmpty();
        assertNoStackTrace(r);
    }

    @Test
    void aLibraryOnAClosedPortFailsWithCannotLogInAndNoStackTrace() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String url = "iscsi://127.0.0.1:" + closed + "/iqn.2026-11.dev.cairn:nobody";

        Run r = cairn("tape", "inventory", "--library", url);

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("cannot log in").contains("127.0.0.1:" + closed);
        assertThat(r.out()).isEmpty();
        assertNoStackTrace(r);
    }

    @Test
    void anUnknownDriveIndexFailsBeforeAnyCartridgeMoves() throws IOException {
        JsonNode before = inventory();

        Run r = cairn("tape", "load", "--library", VTL.url(), "--slot", Integer.toString(SLOT), "--drive", "2");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("drive 2 does not exist").contains("2 drives");
        assertNoStackTrace(r);
        assertThat(inventory()).isEqualTo(before);
    }

    @Test
    void qualifyWithoutASlotIsAUsageError() {
        Run r = cairn("tape", "qualify", "--library", VTL.url(), "--drive", "1");

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--slot");
        assertNoStackTrace(r);
    }

    // ------------------------------------------------------------------ vtl

    @Test
    void vtlStartRunsALibraryOnItsPortAndVtlStopEndsTheDaemon(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("vtl");
        Run start = cairn("tape", "vtl", "start", "--dir", dir.toString(), "--json");
        try {
            assertThat(start.code()).as(start.toString()).isZero();
            JsonNode started = JSON.readTree(start.out());
            int port = started.path("port").asInt();
            long pid = started.path("pid").asLong();
            assertThat(port).isPositive();
            assertThat(started.path("url").asText()).isEqualTo("iscsi://127.0.0.1:" + port + "/iqn.2026-11.dev.cairn:vtl-" + port);
            assertThat(started.path("dir").asText()).isEqualTo(dir.toAbsolutePath().toString());
            assertThat(started.path("drives").asInt()).isEqualTo(2);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("tgtd pid " + pid).contains(true);
            assertThat(ProcessHandle.of(pid).flatMap(h -> h.info().command()).orElse("")).endsWith("tgtd");
            assertThat(answers(port)).as("port " + port + " answers").isTrue();
            assertThat(Files.readString(dir.resolve("vtl.properties"))).contains("pid=" + pid);

            Run stop = cairn("tape", "vtl", "stop", "--dir", dir.toString());

            assertThat(stop.code()).as(stop.toString()).isZero();
            assertThat(stop.out().strip()).isEqualTo("stopped " + started.path("url").asText());
            assertThat(exited(pid)).as("tgtd pid " + pid + " is gone").isTrue();
            assertThat(answers(port)).as("port " + port + " is closed").isFalse();
            assertThat(dir.resolve("tgtd.sock.0")).doesNotExist();
        } finally {
            stopIfRunning(dir);
        }
    }

    // ------------------------------------------------------------------ helpers

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the command line in-process. */
    private static Run cairn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertNoStackTrace(Run r) {
        assertThat(STACK_FRAME.matcher(r.err()).find()).as("stack trace on stderr:\n" + r.err()).isFalse();
        assertThat(STACK_FRAME.matcher(r.out()).find()).as("stack trace on stdout:\n" + r.out()).isFalse();
        assertThat(r.err()).doesNotContain("Exception in thread").doesNotContain("Caused by:").doesNotContain("unexpected");
    }

    private static JsonNode inventory() throws IOException {
        Run r = cairn("tape", "inventory", "--library", VTL.url(), "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        return JSON.readTree(r.out()).path("elements");
    }

    private static JsonNode element(JsonNode elements, int address) {
        for (JsonNode e : elements) {
            if (e.path("address").asInt() == address) {
                return e;
            }
        }
        throw new AssertionError("no element " + address + " in\n" + elements.toPrettyString());
    }

    private static Optional<String> barcodeAt(int address) throws IOException {
        JsonNode e = element(inventory(), address);
        return e.path("full").asBoolean() ? Optional.of(e.path("barcode").asText()) : Optional.empty();
    }

    /** A text row cut at the header's column starts: column name to its trimmed text. */
    private static Map<String, String> columns(String header, String line) {
        String[] names = {"TYPE", "ADDRESS", "FULL", "BARCODE", "SOURCE", "DRIVE"};
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            int from = header.indexOf(names[i]);
            int to = i + 1 < names.length ? header.indexOf(names[i + 1]) : Integer.MAX_VALUE;
            out.put(names[i], from >= line.length() ? "" : line.substring(from, Math.min(to, line.length())).strip());
        }
        return out;
    }

    private static Map<String, String> row(List<Map<String, String>> rows, int address) {
        return rows.stream().filter(r -> r.get("ADDRESS").equals(Integer.toString(address))).findFirst()
                .orElseThrow(() -> new AssertionError("no row for element " + address + " in " + rows));
    }

    private static void assertRow(Map<String, String> row, String type, String full, String barcode, String drive) {
        assertThat(row.get("TYPE")).as(row.toString()).isEqualTo(type);
        assertThat(row.get("FULL")).as(row.toString()).isEqualTo(full);
        assertThat(row.get("BARCODE")).as(row.toString()).isEqualTo(barcode);
        assertThat(row.get("DRIVE")).as(row.toString()).isEqualTo(drive);
    }

    private static String check(JsonNode checks, String name) {
        return find(checks, name).path("result").asText();
    }

    private static String detail(JsonNode checks, String name) {
        return find(checks, name).path("detail").asText();
    }

    private static JsonNode find(JsonNode checks, String name) {
        for (JsonNode c : checks) {
            if (name.equals(c.path("check").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check '" + name + "' in\n" + checks.toPrettyString());
    }

    private static List<String> namesWith(JsonNode checks, String result) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : checks) {
            if (result.equals(c.path("result").asText())) {
                out.add(c.path("check").asText());
            }
        }
        return out;
    }

    /**
     * After a test that moved {@code barcode}: if it is not back in {@code slot} (the test failed half way),
     * move it there, so the next test finds the standard layout. Does nothing when it is already there.
     */
    private static void putBack(String barcode, int slot) throws IOException {
        JsonNode elements = inventory();
        for (JsonNode e : elements) {
            if (e.path("full").asBoolean() && barcode.equals(e.path("barcode").asText()) && e.path("address").asInt() != slot) {
                Run r = cairn("tape", "move", "--library", VTL.url(), "--from", e.path("address").asText(), "--to", Integer.toString(slot));
                assertThat(r.code()).as("putting " + barcode + " back in " + slot + ": " + r).isZero();
            }
        }
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True once process {@code pid} has exited. The daemon started in-process is this JVM's child: the
     * JDK's reaper collects it just after {@code vtl stop} saw it exit, so a zombie may linger for a moment;
     * wait for it (at most 10 s) rather than report a live daemon.
     */
    private static boolean exited(long pid) {
        for (int i = 0; i < 100; i++) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Cleans up after a failed vtl test: stops a daemon still recorded in {@code dir}. */
    private static void stopIfRunning(Path dir) {
        if (Files.exists(dir.resolve("vtl.properties"))) {
            VirtualTapeLibrary v = VirtualTapeLibrary.open(dir);
            if (v.running()) {
                v.stop();
            }
        }
    }
}
