package dev.cairn.tests;

import dev.cairn.engine.fs.Dir;
import dev.cairn.engine.fs.FileType;
import dev.cairn.engine.fs.NativeName;
import dev.cairn.engine.fs.OpenFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Seeded file trees for the process tests: content of every kind (incompressible, compressible text, zeros,
 * sparse, empty, names chunked finely) and metadata of every kind (modes with setuid, setgid and sticky,
 * owners, nanosecond times, xattrs and a POSIX ACL, symlinks, hardlinks, a FIFO, a device node when root, a
 * name that is not UTF-8, a deep path). The same seed gives the same bytes.
 */
final class SampleTree {
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    /** A name that is not UTF-8 (0xff 0xfe never occur in UTF-8). */
    static final byte[] ODD_NAME = {'s', 'c', 'a', 'n', (byte) 0xff, (byte) 0xfe, '.', 'd', 'c', 'm'};
    /** How {@code ls} shows it, and how a command line names it. */
    static final String ODD_DISPLAY = "scan\\xff\\xfe.dcm";
    private static final byte[] CAFE = "caf\u00e9-r\u00e9sum\u00e9.txt".getBytes(StandardCharsets.UTF_8);

    private SampleTree() {
    }

    /** {@code bytes} of incompressible data from {@code seed}. */
    static void random(Path file, long bytes, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom r = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        ByteBuffer b = ByteBuffer.wrap(buf);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= buf.length) {
                b.clear();
                while (b.hasRemaining()) {
                    b.putLong(r.nextLong());
                }
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
    }

    /** {@code bytes} of SQL-like text (compresses about 3:1) from {@code seed}. */
    static void text(Path file, long bytes, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        try (OutputStream out = Files.newOutputStream(file)) {
            long written = 0;
            while (written < bytes) {
                sb.setLength(0);
                for (int i = 0; i < 2000; i++) {
                    sb.append(String.format(Locale.ROOT, "INSERT INTO visits VALUES (%d, 'p-%06d', '2026-%02d-%02d', %d, 'follow-up %x');%n",
                            r.nextInt(1_000_000), r.nextInt(1_000_000), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(500), r.nextLong()));
                }
                byte[] chunk = sb.toString().getBytes(StandardCharsets.US_ASCII);
                int n = (int) Math.min(chunk.length, bytes - written);
                out.write(chunk, 0, n);
                written += n;
            }
        }
    }

    /**
     * The metadata zoo with about 12 MiB of content (and a 64 MiB sparse file holding 76 KiB). Directory times
     * are set last, so what is listed is what was meant.
     */
    static void varied(Path root, long seed) throws IOException, InterruptedException {
        SplittableRandom r = new SplittableRandom(seed);
        Files.createDirectories(root);
        text(root.resolve("docs/report-1.txt"), 300_000, r.nextLong());
        text(root.resolve("docs/report-2.txt"), 200_000, r.nextLong());
        text(root.resolve("db/clinic.sql"), 2_000_000, r.nextLong());
        Files.createLink(root.resolve("db/clinic-hardlink.sql"), root.resolve("db/clinic.sql"));
        random(root.resolve("images/scan-001.img"), 4_000_000, r.nextLong());
        random(root.resolve("images/photo.jpg"), 3_000_000, r.nextLong());
        Files.write(root.resolve("zeros.bin"), new byte[1 << 20]);
        Files.write(root.resolve("empty"), new byte[0]);
        Files.createDirectories(root.resolve("empty-dir"));
        for (int i = 0; i < 120; i++) {
            random(root.resolve(String.format(Locale.ROOT, "small/f%03d.dat", i)), r.nextInt(20_000), r.nextLong());
        }
        Path deep = root.resolve("deep");
        for (int i = 0; i < 25; i++) {
            deep = deep.resolve("level-" + i);
        }
        Files.createDirectories(deep);
        Files.writeString(deep.resolve("bottom.txt"), "the bottom\n");
        Files.writeString(root.resolve("exec.sh"), "#!/bin/sh\necho clinic\n");
        Files.setPosixFilePermissions(root.resolve("exec.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("link-to-report"), Path.of("docs/report-1.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nonexistent/clinic/target"));
        Files.createDirectories(root.resolve("shared"));
        Files.createDirectories(root.resolve("private"));
        Files.createDirectories(root.resolve("setgid"));
        try (Dir d = Dir.open(root)) {
            try (OpenFile f = d.create(NativeName.of(ODD_NAME), 0640)) {
                f.write(0, "not utf-8 name".getBytes(StandardCharsets.US_ASCII), 0, 14);
            }
            try (OpenFile f = d.create(NativeName.of(CAFE), 0644)) {
                f.write(0, "r\u00e9sum\u00e9".getBytes(StandardCharsets.UTF_8), 0, 8);
            }
            try (OpenFile f = d.create(NativeName.of("disk.raw"), 0600)) {
                byte[] island = new byte[65536];
                new SplittableRandom(r.nextLong()).nextBytes(island);
                f.write(0, island, 0, 4096);
                f.write(8L << 20, island, 0, 65536);
                f.write((64L << 20) - 8192, island, 0, 8192);
                f.setLength(64L << 20);
            }
            try (OpenFile f = d.create(NativeName.of("setuid-tool"), 0755)) {
                f.write(0, new byte[] {0x7f, 'E', 'L', 'F'}, 0, 4);
            }
            d.chmod(NativeName.of("setuid-tool"), 04755);
            d.mkfifo(NativeName.of("pipe"), 0620);
            d.chmod(NativeName.of("shared"), 01777);
            d.chmod(NativeName.of("private"), 0700);
            d.chmod(NativeName.of("setgid"), 02750);
            if (ROOT) {
                try (OpenFile f = d.create(NativeName.of("owned-by-another"), 0600)) {
                    f.write(0, "x".getBytes(StandardCharsets.US_ASCII), 0, 1);
                }
                d.chown(NativeName.of("owned-by-another"), 1234, 5678);
                d.mknod(NativeName.of("null-device"), FileType.CHAR_DEVICE, 0644, dev.cairn.engine.fs.FileStat.makedev(1, 3));
            }
        }
        run("setfattr", "-n", "user.clinic.origin", "-v", "0x00ff10", root.resolve("docs/report-1.txt").toString());
        run("setfattr", "-n", "user.note", "-v", "ward-3", root.resolve("private").toString());
        run("setfacl", "-m", "u:1234:r-x", root.resolve("private").toString());
        setTimes(root, r);
    }

    /** Sets every entry's mtime (and atime) to a seeded instant with nanoseconds, deepest first. */
    static void setTimes(Path root, SplittableRandom r) throws IOException {
        long base = 1_600_000_000L;
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(root)).toList()) {
                long sec = base + r.nextLong(100_000_000L);
                long ns = sec * 1_000_000_000L + r.nextLong(1_000_000_000L);
                try (Dir d = Dir.open(p.getParent())) {
                    d.setTimes(NativeName.of(p.getFileName().toString().getBytes(StandardCharsets.UTF_8)), ns, ns);
                } catch (RuntimeException e) {
                    // the odd name does not survive the round trip through java.nio.file.Path: set it by bytes below
                }
            }
        }
        try (Dir d = Dir.open(root)) {
            d.setTimes(NativeName.of(ODD_NAME), 1_500_000_000_123_456_789L, 1_500_000_000_123_456_789L);
        }
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
