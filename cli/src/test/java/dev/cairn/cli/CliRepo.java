package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.hsm.testing.SoftHsm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A repository on a SoftHSM2 token driven through {@link Main#execute} in-process, for the maintenance
 * command tests: runs commands with {@code --repo} and {@code --hsm} added, makes small source trees of
 * random (incompressible) data, and compares what a restore wrote with what the source held at backup
 * time, byte for byte. (The storage engine's TreeListing is in its test-jar, which the cli module does
 * not depend on.)
 */
final class CliRepo {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/<>]+\\(.*\\)$");

    /** One command's exit code and output. */
    record Run(int code, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON:\n" + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Path tmp;
    final Path dir;
    final String tenant;
    private final String conf;

    /** A new repository in {@code tmp/repo} with {@code tenant} registered, on {@code token}. */
    CliRepo(SoftHsm token, Path tmp, String tenant) {
        this.tmp = tmp;
        this.dir = tmp.resolve("repo");
        this.tenant = tenant;
        this.conf = token.hsmConf().toString();
        ok(run("repo", "init"));
        ok(run("repo", "add-tenant", "--tenant", tenant));
    }

    /** Runs {@code cairn ARGS --repo DIR --hsm CONF}; stderr must never carry a stack trace. */
    Run run(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--repo", dir.toString(), "--hsm", conf));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
        Run r = new Run(code, out.toString(), err.toString());
        assertThat(STACK_FRAME.matcher(r.err()).find()).as("stack trace in\n" + r).isFalse();
        return r;
    }

    static Run ok(Run r) {
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    static Run exit(int code, Run r) {
        assertThat(r.code()).as(r.toString()).isEqualTo(code);
        return r;
    }

    /** Backs {@code src} up; returns the snapshot's full id. */
    String backup(Path src) {
        JsonNode s = ok(run("backup", "--json", src.toString())).json();
        assertThat(s.path("id").asText()).matches(HEX64);
        return s.path("id").asText();
    }

    /**
     * Sets {@code packTargetBytes} in config.json (docs/formats/repository.md section 2) so that a few MiB
     * of data make several packs; 1 MiB is the smallest the repository accepts.
     */
    void packTarget(long bytes) throws IOException {
        Path config = dir.resolve("config.json");
        ObjectNode c = (ObjectNode) JSON.readTree(config.toFile());
        c.put("packTargetBytes", bytes);
        JSON.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), c);
    }

    /** Every pack file: its id to its size. */
    Map<String, Long> packs() throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir.resolve("packs"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".pack")).toList()) {
                m.put(p.getFileName().toString().replace(".pack", ""), Files.size(p));
            }
        }
        return m;
    }

    Path packFile(String id) {
        return dir.resolve("packs").resolve(id.substring(0, 2)).resolve(id + ".pack");
    }

    Path snapshotFile(String id) {
        return dir.resolve("snapshots").resolve(tenant).resolve(id + ".snap");
    }

    /** The snapshot files: name to size and modification time, to show that nothing changed. */
    Map<String, String> snapshotFiles() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir.resolve("snapshots").resolve(tenant))) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    /** Writes {@code bytes} of random data from {@code seed} to {@code file}. */
    static void random(Path file, int bytes, long seed) throws IOException {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    /** Every regular file under {@code root}, by relative path, with its bytes; directories as empty entries ending in '/'. */
    static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isDirectory(p)) {
                    m.put(rel + "/", new byte[0]);
                } else {
                    m.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    /**
     * Restores snapshot {@code id} into a new directory and checks that {@code src} there holds exactly
     * {@code expected}: the same files and directories, each file byte-identical.
     */
    void assertRestores(String id, Path src, Map<String, byte[]> expected) throws IOException {
        Path target = Files.createTempDirectory(tmp, "restore-");
        Files.delete(target);
        ok(run("restore", id, "--target", target.toString()));
        Map<String, byte[]> got = contents(target.resolve(src.toString().substring(1)));
        assertThat(new TreeSet<>(got.keySet())).as("entries restored from " + id.substring(0, 8)).isEqualTo(new TreeSet<>(expected.keySet()));
        expected.forEach((path, bytes) -> assertThat(got.get(path)).as(path + " restored from " + id.substring(0, 8)).isEqualTo(bytes));
    }

    /**
     * Lifts the immutable attribute that active locks put on files under {@code tmp}, so that JUnit can
     * delete the temporary directory.
     */
    static void liftImmutable(Path tmp) throws IOException, InterruptedException {
        new ProcessBuilder("chattr", "-R", "-f", "-i", tmp.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
}
