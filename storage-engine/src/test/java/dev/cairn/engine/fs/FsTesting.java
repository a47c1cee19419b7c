package dev.cairn.engine.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for the filesystem-layer tests. */
final class FsTesting {
    private FsTesting() {
    }

    static NativeName name(String s) {
        return NativeName.of(s);
    }

    static NativeName name(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return NativeName.of(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes {@code content} to a new file {@code n} in {@code dir}. */
    static void writeFile(Dir dir, NativeName n, byte[] content) {
        try (OpenFile f = dir.create(n, 0644)) {
            f.write(0, content, 0, content.length);
        }
    }

    /** Reads all of {@code n} in {@code dir} through positional reads. */
    static byte[] readFile(Dir dir, NativeName n) {
        try (OpenFile f = dir.openRead(n)) {
            long size = f.stat().size();
            byte[] out = new byte[Math.toIntExact(size)];
            int pos = 0;
            while (pos < out.length) {
                int r = f.read(pos, out, pos, out.length - pos);
                if (r < 0) {
                    throw new IllegalStateException("early end of file");
                }
                pos += r;
            }
            return out;
        }
    }

    /**
     * Removes {@code name} and everything below it through {@link Dir}, for trees java.nio cannot delete
     * (deeper than PATH_MAX).
     */
    static void removeTree(Dir parent, NativeName name) {
        if (parent.stat(name).type() == FileType.DIRECTORY) {
            try (Dir d = parent.openDir(name)) {
                for (NativeName child : d.list()) {
                    removeTree(d, child);
                }
            }
            parent.rmdir(name);
        } else {
            parent.unlink(name);
        }
    }

    /** Runs a command, fails on a non-zero exit, returns its standard output. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        String s = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + s);
        }
        return s;
    }

    static boolean isRoot() {
        try {
            return run(List.of("id", "-u")).strip().equals("0");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static boolean onPath(String tool) {
        try {
            run(List.of("sh", "-c", "command -v " + tool));
            return true;
        } catch (IOException | InterruptedException | IllegalStateException e) {
            return false;
        }
    }
}
