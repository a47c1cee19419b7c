package dev.cairn.tape.vtl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * An emulated tape library for demos and tests: the Linux SCSI target daemon {@code tgtd} (Debian
 * package tgt) serving one iSCSI target on 127.0.0.1 with tape drives (LUNs 1..D) and a medium changer
 * (LUN D+1) whose cartridges are {@code tgtimg} image files. Each library has its own directory, its own
 * free loopback port and its own control socket, so several run side by side and none assumes 3260.
 *
 * <pre>
 * DIR/vtl.properties   what {@link #start} made: port, target name, pid, layout (read by {@link #stop})
 * DIR/tgtd.log         the daemon's output
 * DIR/tgtd.sock.0      its control socket (TGT_IPC_SOCKET=DIR/tgtd.sock, control port 0)
 * DIR/media/BARCODE    cartridge images (the file name must equal the barcode: tgt's media_home rule)
 * DIR/smc              the changer's dummy backing file
 * </pre>
 *
 * Element addresses: medium transport 1; storage slots from 1000; import/export slots from 16; drives
 * from 256. The inventory lives only in tgtd's memory: a restarted daemon starts from the layout again.
 * Quirks of the emulation are in docs/tape.md.
 */
public final class VirtualTapeLibrary implements AutoCloseable {
    public static final int TRANSPORT_ADDRESS = 1;
    public static final int FIRST_STORAGE = 1000;
    public static final int FIRST_IMPORT_EXPORT = 16;
    public static final int FIRST_DRIVE = 256;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Layout layout;
    private final int port;
    private final String targetName;
    private Process daemon;
    private long pid;

    /**
     * What to build.
     *
     * @param drives            tape drives (LUNs 1..drives)
     * @param storageSlots      storage slots
     * @param importExportSlots import/export (mail) slots
     * @param storage           barcodes placed in the first storage slots, in order
     * @param importExport      barcodes placed in the first import/export slots
     * @param worm              barcodes (among the above) made as WORM cartridges
     * @param cartridgeMb       size of each cartridge in MB (tgt reports EOM past it)
     * @param smallCartridges   barcodes (among the above) made 1 MB, to reach end of medium quickly
     */
    public record Layout(int drives, int storageSlots, int importExportSlots, List<String> storage,
                         List<String> importExport, List<String> worm, long cartridgeMb, List<String> smallCartridges) {
        public Layout {
            if (drives < 1 || drives > 16 || storageSlots < 1 || importExportSlots < 0 || storage.size() > storageSlots
                    || importExport.size() > importExportSlots) {
                throw new IllegalArgumentException("layout does not fit: " + drives + " drives, " + storageSlots
                        + " slots for " + storage.size() + " cartridges, " + importExportSlots + " mail slots for " + importExport.size());
            }
            for (String b : concat(storage, importExport)) {
                if (!b.matches("[A-Z0-9]{1,16}")) {
                    throw new IllegalArgumentException("barcode '" + b + "': use 1 to 16 characters A-Z and 0-9");
                }
            }
            storage = List.copyOf(storage);
            importExport = List.copyOf(importExport);
            worm = List.copyOf(worm);
            smallCartridges = List.copyOf(smallCartridges);
        }

        /** 2 drives, 10 slots with 6 cartridges (one WORM, one 1 MB), 2 mail slots with one cartridge. */
        public static Layout standard() {
            return new Layout(2, 10, 2, List.of("CRN001L9", "CRN002L9", "CRN003L9", "CRN004L9", "CRNW05L9", "CRNS06L9"),
                    List.of("CRN007L9"), List.of("CRNW05L9"), 512, List.of("CRNS06L9"));
        }

        int changerLun() {
            return drives + 1;
        }
    }

    private VirtualTapeLibrary(Path dir, Layout layout, int port, String targetName) {
        this.dir = dir;
        this.layout = layout;
        this.port = port;
        this.targetName = targetName;
    }

    /**
     * Creates the cartridges (when missing), starts tgtd on 127.0.0.1:{@code port} ({@code 0}: a free
     * port) and builds the library. Fails with a message naming the problem (tgt not installed, port in
     * use, a step that tgtadm refused).
     */
    public static VirtualTapeLibrary start(Path dir, Layout layout, int port) {
        requireTool("tgtd");
        requireTool("tgtadm");
        requireTool("tgtimg");
        if (Files.exists(dir.resolve("vtl.properties"))) {
            VirtualTapeLibrary running = open(dir);
            if (running.running()) {
                throw new VtlException("an emulated library is already running in " + dir + " (" + running.url()
                        + ", tgtd pid " + running.pid() + "); stop it first with `cairn tape vtl stop --dir " + dir + "`", null);
            }
        }
        try {
            Files.createDirectories(dir.resolve("media"));
            Path smc = dir.resolve("smc");
            if (!Files.exists(smc)) {
                Files.write(smc, new byte[1024]);
            }
            for (String barcode : concat(layout.storage(), layout.importExport())) {
                Path image = dir.resolve("media").resolve(barcode);
                if (!Files.exists(image)) {
                    run(dir, List.of("tgtimg", "--op", "new", "--device-type", "tape", "--barcode", barcode,
                            "--size", Long.toString(layout.smallCartridges().contains(barcode) ? 1 : layout.cartridgeMb()),
                            "--type", layout.worm().contains(barcode) ? "worm" : "data", "--file", image.toString()));
                }
            }
        } catch (IOException e) {
            throw new VtlException("cannot prepare the library directory " + dir + ": " + e.getMessage(), e);
        }
        int p = port != 0 ? port : freePort();
        String iqn = "iqn.2026-11.dev.cairn:vtl-" + p;
        VirtualTapeLibrary vtl = new VirtualTapeLibrary(dir.toAbsolutePath(), layout, p, iqn);
        vtl.startDaemon();
        try {
            vtl.build();
            vtl.save();
        } catch (RuntimeException e) {
            vtl.kill();
            throw e;
        }
        return vtl;
    }

    /** The library recorded in {@code dir}/vtl.properties, to stop or inspect it from another process. */
    public static VirtualTapeLibrary open(Path dir) {
        Properties p = new Properties();
        try {
            p.load(Files.newBufferedReader(dir.resolve("vtl.properties"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new VtlException("no emulated library in " + dir + " (no vtl.properties); start one with `cairn tape vtl start`", e);
        }
        Layout l = new Layout(Integer.parseInt(p.getProperty("drives")), Integer.parseInt(p.getProperty("storage.slots")),
                Integer.parseInt(p.getProperty("ie.slots")), list(p.getProperty("storage")), list(p.getProperty("ie")),
                list(p.getProperty("worm")), Long.parseLong(p.getProperty("cartridge.mb")), list(p.getProperty("small")));
        VirtualTapeLibrary v = new VirtualTapeLibrary(dir.toAbsolutePath(), l, Integer.parseInt(p.getProperty("port")),
                p.getProperty("target"));
        v.pid = Long.parseLong(p.getProperty("pid"));
        return v;
    }

    public String url() {
        return "iscsi://127.0.0.1:" + port + "/" + targetName;
    }

    public int port() {
        return port;
    }

    public String targetName() {
        return targetName;
    }

    public Layout layout() {
        return layout;
    }

    public Path dir() {
        return dir;
    }

    public int changerLun() {
        return layout.changerLun();
    }

    /** The drive LUNs, first drive first. */
    public List<Integer> driveLuns() {
        List<Integer> l = new ArrayList<>();
        for (int i = 1; i <= layout.drives(); i++) {
            l.add(i);
        }
        return l;
    }

    public long pid() {
        return pid;
    }

    /** True while our daemon runs: the pid is alive and is a tgtd (a stale pid reused by another program is not). */
    public boolean running() {
        return daemonHandle().isPresent();
    }

    private java.util.Optional<ProcessHandle> daemonHandle() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("/tgtd") || c.equals("tgtd")).orElse(false));
    }

    /** Simulates an operator inserting a cartridge into an import/export slot. */
    public void insertIntoMailSlot(int address, String barcode) {
        tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", Integer.toString(changerLun()),
                "--params", "element_type=3,address=" + address + ",barcode=" + barcode + ",sides=1");
    }

    /** Simulates an operator taking the cartridge out of an import/export slot. */
    public void removeFromMailSlot(int address) {
        tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", Integer.toString(changerLun()),
                "--params", "element_type=3,address=" + address + ",clear_slot=1");
    }

    /** Kills the daemon without any clean-up (kill -9), as a crash or power loss would. */
    public void kill() {
        daemonHandle().ifPresent(h -> {
            h.destroyForcibly();
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new VtlException("tgtd (pid " + pid + ") did not die", e);
            }
        });
        removeSocketFiles();
    }

    /** Starts the daemon again on the same port with the same layout (after {@link #kill()}). */
    public void restart() {
        if (running()) {
            throw new VtlException("tgtd is still running (pid " + pid + ")", null);
        }
        startDaemon();
        build();
        save();
    }

    /**
     * Clean teardown (notes §2.3): refuse new logins, drop live connections, delete the target and its
     * LUNs, stop the daemon, remove the control socket files. Kills the daemon if it does not exit.
     */
    public void stop() {
        if (running()) {
            try {
                tgtadm("--op", "unbind", "--mode", "target", "--tid", "1", "--initiator-address", "ALL");
                for (String sid : sessions()) {
                    tgtadmQuiet("--op", "delete", "--mode", "conn", "--tid", "1", "--sid", sid, "--cid", "0");
                }
                tgtadmQuiet("--op", "delete", "--mode", "target", "--tid", "2", "--force");
                tgtadmQuiet("--op", "delete", "--mode", "target", "--tid", "3", "--force");
                tgtadm("--op", "delete", "--mode", "target", "--tid", "1", "--force");
                tgtadm("--op", "delete", "--mode", "system");
                daemonHandle().ifPresent(h -> {
                    try {
                        h.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // handled below
                    }
                });
            } catch (VtlException e) {
                // fall through to the kill below
            }
        }
        kill();
    }

    @Override
    public void close() {
        stop();
    }

    /** Adds a second target (tid 2, LUN 0 only) that requires CHAP, for authentication tests. Returns its URL. */
    public String addChapTarget(String user, String secret) {
        String iqn = targetName + "-chap";
        tgtadm("--op", "new", "--mode", "target", "--tid", "2", "--targetname", iqn);
        tgtadm("--op", "new", "--mode", "account", "--user", user, "--password", secret);
        tgtadm("--op", "bind", "--mode", "account", "--tid", "2", "--user", user);
        tgtadm("--op", "bind", "--mode", "target", "--tid", "2", "--initiator-address", "ALL");
        return "iscsi://127.0.0.1:" + port + "/" + iqn;
    }

    /**
     * Adds a target (tid 3) whose LUN 1 is a 1 TB disk with tgt's null backing store (writes are dropped):
     * what the initiator alone can reach, for {@code cairn bench tape}. Returns its URL.
     */
    public String addNullDiskTarget() {
        String iqn = targetName + "-null";
        tgtadm("--op", "new", "--mode", "target", "--tid", "3", "--targetname", iqn);
        tgtadm("--op", "new", "--mode", "logicalunit", "--tid", "3", "--lun", "1", "--bstype", "null", "-b", dir.resolve("null-disk").toString());
        for (String[] kv : new String[][] {{"MaxRecvDataSegmentLength", "262144"}, {"MaxXmitDataSegmentLength", "262144"},
                {"MaxBurstLength", "1048576"}, {"FirstBurstLength", "262144"}, {"HeaderDigest", "None,CRC32C"}, {"DataDigest", "None,CRC32C"}}) {
            tgtadmQuiet("--op", "update", "--mode", "target", "--tid", "3", "--name", kv[0], "--value", kv[1]);
        }
        tgtadm("--op", "bind", "--mode", "target", "--tid", "3", "--initiator-address", "ALL");
        return "iscsi://127.0.0.1:" + port + "/" + iqn;
    }

    // ------------------------------------------------------------------ internals

    private void startDaemon() {
        Path log = dir.resolve("tgtd.log");
        removeSocketFiles();
        ProcessBuilder pb = new ProcessBuilder("setsid", "tgtd", "-f", "-C", "0", "--iscsi", "portal=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("TGT_IPC_SOCKET", dir.resolve("tgtd.sock").toString());
        try {
            daemon = pb.start();
        } catch (IOException e) {
            throw new VtlException("cannot start tgtd: " + e.getMessage(), e);
        }
        pid = daemon.pid();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new VtlException("tgtd exited at start (port " + port + " in use?); see " + log, null);
            }
            if (Files.exists(dir.resolve("tgtd.sock.0")) && portOpen()) {
                return;
            }
            sleep(50);
        }
        kill();
        throw new VtlException("tgtd did not open port " + port + " within 15 s; see " + log, null);
    }

    private void build() {
        String lun = Integer.toString(changerLun());
        tgtadm("--op", "new", "--mode", "target", "--tid", "1", "--targetname", targetName);
        for (int d = 1; d <= layout.drives(); d++) { // no backing store: an empty drive
            tgtadm("--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", Integer.toString(d), "--device-type", "tape");
        }
        tgtadm("--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", lun, "--device-type", "changer",
                "-b", dir.resolve("smc").toString());
        String params = "--params";
        tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params, "media_home=" + dir.resolve("media"));
        tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params,
                "element_type=1,start_address=" + TRANSPORT_ADDRESS + ",quantity=1");
        tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params,
                "element_type=2,start_address=" + FIRST_STORAGE + ",quantity=" + layout.storageSlots());
        if (layout.importExportSlots() > 0) {
            tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params,
                    "element_type=3,start_address=" + FIRST_IMPORT_EXPORT + ",quantity=" + layout.importExportSlots());
        }
        tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params,
                "element_type=4,start_address=" + FIRST_DRIVE + ",quantity=" + layout.drives());
        for (int d = 0; d < layout.drives(); d++) {
            tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params,
                    "element_type=4,address=" + (FIRST_DRIVE + d) + ",tid=1,lun=" + (d + 1));
        }
        for (int i = 0; i < layout.storage().size(); i++) {
            tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params,
                    "element_type=2,address=" + (FIRST_STORAGE + i) + ",barcode=" + layout.storage().get(i) + ",sides=1");
        }
        for (int i = 0; i < layout.importExport().size(); i++) {
            tgtadm("--op", "update", "--mode", "logicalunit", "--tid", "1", "--lun", lun, params,
                    "element_type=3,address=" + (FIRST_IMPORT_EXPORT + i) + ",barcode=" + layout.importExport().get(i) + ",sides=1");
        }
        // large PDUs both ways: tape writes are big, and tgt's default is 8 KiB
        for (String[] kv : new String[][] {{"MaxRecvDataSegmentLength", "262144"}, {"MaxXmitDataSegmentLength", "262144"},
                {"MaxBurstLength", "1048576"}, {"FirstBurstLength", "262144"},
                {"HeaderDigest", "None,CRC32C"}, {"DataDigest", "None,CRC32C"}}) {
            tgtadmQuiet("--op", "update", "--mode", "target", "--tid", "1", "--name", kv[0], "--value", kv[1]);
        }
        tgtadm("--op", "bind", "--mode", "target", "--tid", "1", "--initiator-address", "ALL");
    }

    private void save() {
        Properties p = new Properties();
        p.setProperty("port", Integer.toString(port));
        p.setProperty("target", targetName);
        p.setProperty("pid", Long.toString(pid));
        p.setProperty("url", url());
        p.setProperty("drives", Integer.toString(layout.drives()));
        p.setProperty("storage.slots", Integer.toString(layout.storageSlots()));
        p.setProperty("ie.slots", Integer.toString(layout.importExportSlots()));
        p.setProperty("storage", String.join(",", layout.storage()));
        p.setProperty("ie", String.join(",", layout.importExport()));
        p.setProperty("worm", String.join(",", layout.worm()));
        p.setProperty("small", String.join(",", layout.smallCartridges()));
        p.setProperty("cartridge.mb", Long.toString(layout.cartridgeMb()));
        try (var w = Files.newBufferedWriter(dir.resolve("vtl.properties"), StandardCharsets.UTF_8)) {
            p.store(w, "Cairn emulated tape library (tgtd); see docs/tape.md");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> sessions() {
        String out = tgtadm("--op", "show", "--mode", "conn", "--tid", "1");
        List<String> sids = new ArrayList<>();
        for (String line : out.split("\n")) {
            line = line.strip();
            if (line.startsWith("Session:")) {
                sids.add(line.substring("Session:".length()).strip());
            }
        }
        return sids;
    }

    private String tgtadm(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tgtadm", "-C", "0", "--lld", "iscsi"));
        cmd.addAll(List.of(args));
        return run(dir, cmd);
    }

    private void tgtadmQuiet(String... args) {
        try {
            tgtadm(args);
        } catch (VtlException ignored) {
            // best effort: the step may not apply (no such session or target)
        }
    }

    private static String run(Path dir, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TGT_IPC_SOCKET", dir.resolve("tgtd.sock").toString());
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VtlException(String.join(" ", cmd) + " did not finish in " + COMMAND_TIMEOUT.toSeconds() + " s", null);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new VtlException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + text.strip(), null);
            }
            return text;
        } catch (IOException e) {
            throw new VtlException("cannot run " + cmd.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VtlException("interrupted while running " + cmd.getFirst(), e);
        }
    }

    private static void requireTool(String tool) {
        for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return;
            }
        }
        throw new VtlException(tool + " is not installed: install the Debian package tgt (./cairn test does)", null);
    }

    private boolean portOpen() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new VtlException("no free loopback port", e);
        }
    }

    private void removeSocketFiles() {
        try {
            Files.deleteIfExists(dir.resolve("tgtd.sock.0"));
            Files.deleteIfExists(dir.resolve("tgtd.sock.0.lock"));
        } catch (IOException ignored) {
            // a stale file only matters to the next start, which recreates it
        }
    }

    private static List<String> list(String s) {
        return s == null || s.isEmpty() ? List.of() : List.of(s.split(","));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VtlException("interrupted", e);
        }
    }
}
