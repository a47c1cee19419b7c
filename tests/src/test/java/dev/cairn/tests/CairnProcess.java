package dev.cairn.tests;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the command line as the {@code ./cairn} launcher does: a separate JVM with
 * {@code cli/target/cli.jar:cli/target/lib/*} on the class path, the same JVM options and
 * {@code -Dcairn.home}, in an environment cleared of CAIRN_ variables and SOFTHSM2_CONF. The cli module is
 * packaged before this module in the reactor. {@link #start} leaves the process running (to kill it).
 */
final class CairnProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A JVM stack trace line ("\tat dev.cairn...(Main.java:40)"): never shown to an operator. */
    static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/<>]+\\(.*\\)$");

    private final Path workDir;
    private final Duration timeout;

    CairnProcess(Path workDir, Duration timeout) {
        this.workDir = workDir;
        this.timeout = timeout;
    }

    /** What a finished process left: exit code, stdout (as bytes and UTF-8 text) and stderr. */
    record Result(int code, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("stdout is not JSON:\n" + this, e);
            }
        }

        @Override
        public String toString() {
            String o = out();
            return "exit " + code + "\n--- stdout\n" + (o.length() > 4000 ? o.substring(0, 4000) + "...\n" : o) + "--- stderr\n" + err;
        }
    }

    /** {@code ../cli/target} seen from this module, with the packaged jar and its dependencies. */
    static Path cliTarget() {
        Path basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path target = basedir.resolve("../cli/target").normalize();
        if (!Files.isRegularFile(target.resolve("cli.jar")) || !Files.isDirectory(target.resolve("lib"))) {
            fail(target + "/cli.jar or " + target + "/lib/ is missing: the cli module must be packaged before these "
                    + "tests run. Run them through the reactor: ./mvnw -B verify -pl tests -am");
        }
        return target;
    }

    static List<String> command(String... args) {
        Path target = cliTarget();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dcairn.home=" + target.getParent().getParent(),
                "-cp", target.resolve("cli.jar") + ":" + target.resolve("lib") + "/*",
                "dev.cairn.cli.Main"));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code cairn args} with stdout and stderr going to the given files. */
    Process start(Path stdout, Path stderr, List<String> prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(command(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CAIRN_") || k.equals("SOFTHSM2_CONF"));
        return pb.start();
    }

    /** Runs {@code cairn args} to the end (at most the timeout). */
    Result run(String... args) {
        return runWith(List.of(), args);
    }

    /** Runs {@code prefix cairn args}: a prefix such as {@code setpriv ...} changes how the JVM starts. */
    Result runWith(List<String> prefix, String... args) {
        Process p = null;
        try {
            Path io = Files.createTempDirectory(workDir, "run-");
            Path out = io.resolve("stdout");
            Path err = io.resolve("stderr");
            p = start(out, err, prefix, args);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("cairn " + String.join(" ", args) + " did not finish within " + timeout.toSeconds() + " s; stderr so far:\n"
                        + Files.readString(err));
            }
            Result r = new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            Files.delete(io);
            if (STACK_FRAME.matcher(r.err()).find() || r.err().contains("Exception in thread")) {
                fail("a stack trace reached the operator:\n" + r);
            }
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run cairn " + String.join(" ", args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
