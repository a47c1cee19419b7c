package dev.cairn.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as the {@code ./cairn} launcher runs it: a separate JVM with
 * {@code cli/target/cli.jar:cli/target/lib/*} on the class path and {@code -Dcairn.home} set to the
 * repository, its real exit code, the system SoftHSM2 library (a process of its own may load it directly),
 * tgtd for the emulated tape library, and a controlled environment. The cli module is
 * packaged before this module in the reactor, so the jar and its lib directory exist at {@code verify}.
 *
 * <p>One token for the class, made through the CLI itself in {@link #makeTokenWithTheCli()}. No output of
 * any process may contain the token's PIN.
 */
class CliProcessTest {
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/<>]+\\(.*\\)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "clinic-a";

    @TempDir
    static Path tmp;
    private static Path token;
    private static Path hsmConf;
    private static String pin;
    private static final List<String> SECRETS = new ArrayList<>();

    @BeforeAll
    static void makeTokenWithTheCli() throws Exception {
        token = tmp.resolve("token");

        Result init = cairn(Map.of(), "keys", "init-softhsm", token.toString());
        assertThat(init.code()).as(init.toString()).isZero();
        hsmConf = token.resolve("hsm.conf");
        pin = Files.readString(token.resolve("user.pin"), StandardCharsets.UTF_8).strip();
        SECRETS.add(pin);
        SECRETS.add(Files.readString(token.resolve("so.pin"), StandardCharsets.UTF_8).strip());
        assertThat(pin).hasSizeGreaterThanOrEqualTo(8);
        checkNoSecret(init); // the PIN was unknown while init-softhsm ran: check its output now

        Result kek = cairn(Map.of(), "keys", "create-kek", "--hsm", hsmConf.toString(), "--tenant", TENANT);
        assertThat(kek.code()).as(kek.toString()).isZero();
    }

    @Test
    void statusJsonShowsTheKekGeneratedInsideTheToken() throws IOException {
        Result status = cairn(Map.of(), "keys", "status", "--hsm", hsmConf.toString(), "--json");

        assertThat(status.code()).as(status.toString()).isZero();
        assertKekIsSensitiveAndNotExtractable(JSON.readTree(status.out()));
    }

    @Test
    void cairnHsmInTheEnvironmentStandsForHsm() throws IOException {
        Result status = cairn(Map.of("CAIRN_HSM", hsmConf.toString()), "keys", "status", "--json");

        assertThat(status.code()).as(status.toString()).isZero();
        assertKekIsSensitiveAndNotExtractable(JSON.readTree(status.out()));
    }

    @Test
    void withoutHsmOrCairnHsmTheCommandFailsAndSaysToPassHsm() {
        Result status = cairn(Map.of(), "keys", "status");

        assertThat(status.code()).as(status.toString()).isEqualTo(1);
        assertThat(status.err()).contains("--hsm").contains("CAIRN_HSM");
        assertNoStackTrace(status);
    }

    @Test
    void anUnknownOptionExitsWithTheUsageCode() {
        Result r = cairn(Map.of(), "keys", "status", "--hsm", hsmConf.toString(), "--no-such-option");

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--no-such-option");
        assertNoStackTrace(r);
    }

    @Test
    void aWrongPinIsRefusedByTheTokenAndNeverPrinted() throws IOException {
        String wrongPin = randomPin();
        assertThat(wrongPin).isNotEqualTo(pin);
        SECRETS.add(wrongPin);
        Path wrongPinFile = token.resolve("wrong.pin");
        Files.writeString(Files.createFile(wrongPinFile,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), wrongPin + "\n");
        String conf = Files.readString(hsmConf);
        assertThat(conf).containsPattern("(?m)^pin.file = .*$");
        // Beside the original, so the relative state.dir still names the same state directory.
        Path wrongConf = token.resolve("hsm-wrong-pin.conf");
        Files.writeString(wrongConf, conf.replaceFirst("(?m)^pin.file = .*$", "pin.file = " + wrongPinFile));

        Result refused = cairn(Map.of(), "keys", "status", "--hsm", wrongConf.toString());

        assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("CKR_PIN_INCORRECT").contains(wrongPinFile.toString());
        assertNoStackTrace(refused);

        // One wrong PIN did not lock the token: the right one still opens it.
        Result status = cairn(Map.of(), "keys", "status", "--hsm", hsmConf.toString(), "--json");
        assertThat(status.code()).as(status.toString()).isZero();
    }

    // ------------------------------------------------------------------ tape

    /**
     * Acceptance line 2 of the tape issue, as an operator types it: {@code vtl start} with a fixed
     * {@code --port} (the acceptance says 3270; the test picks a free port, so a busy 3270 cannot fail it)
     * prints the URL, {@code inventory} on that URL from another process lists the cartridges of the standard
     * layout, and {@code vtl stop} from a third process ends the daemon that the first one left running.
     */
    @Test
    void tapeVtlStartInventoryAndStopEachInTheirOwnProcess() throws IOException {
        Path dir = tmp.resolve("vtl");
        int port = freeLoopbackPort();
        String url = "iscsi://127.0.0.1:" + port + "/iqn.2026-11.dev.cairn:vtl-" + port;
        try {
            Result start = cairn(Map.of(), "tape", "vtl", "start", "--dir", dir.toString(), "--port", Integer.toString(port));

            assertThat(start.code()).as(start.toString()).isZero();
            assertThat(start.out().strip()).isEqualTo(url);
            long pid = Long.parseLong(vtlProperties(dir).getProperty("pid"));
            assertThat(start.err()).contains("tgtd pid " + pid).contains("cairn tape vtl stop --dir " + dir);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("tgtd (pid " + pid + ") outlives the JVM that started it").contains(true);

            Result inventory = cairn(Map.of(), "tape", "inventory", "--library", start.out().strip(), "--json");

            assertThat(inventory.code()).as(inventory.toString()).isZero();
            JsonNode listed = JSON.readTree(inventory.out());
            assertThat(listed.path("library").asText()).isEqualTo(url);
            Map<Integer, String> barcodes = new TreeMap<>();
            for (JsonNode e : listed.path("elements")) {
                if (e.path("full").asBoolean()) {
                    barcodes.put(e.path("address").asInt(), e.path("barcode").asText());
                }
            }
            Map<Integer, String> expected = Map.of(1000, "CRN001L9", 1001, "CRN002L9", 1002, "CRN003L9", 1003, "CRN004L9",
                    1004, "CRNW05L9", 1005, "CRNS06L9", 16, "CRN007L9");
            assertThat(barcodes).as(inventory.out()).isEqualTo(expected);

            Result stop = cairn(Map.of(), "tape", "vtl", "stop", "--dir", dir.toString());

            assertThat(stop.code()).as(stop.toString()).isZero();
            assertThat(stop.out().strip()).isEqualTo("stopped " + url);
            assertThat(exited(pid)).as("tgtd (pid " + pid + ") is gone").isTrue();
            assertThat(dir.resolve("tgtd.sock.0")).doesNotExist();
        } finally {
            // whatever failed above, the daemon must not outlive the test
            if (Files.exists(dir.resolve("vtl.properties"))) {
                VirtualTapeLibrary v = VirtualTapeLibrary.open(dir);
                if (v.running()) {
                    v.stop();
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private static void assertKekIsSensitiveAndNotExtractable(JsonNode status) {
        assertThat(status.path("healthy").asBoolean()).as(status.toPrettyString()).isTrue();
        JsonNode kek = null;
        for (JsonNode k : status.path("keys")) {
            if (("cairn/" + TENANT + "/kek/1").equals(k.path("label").asText())) {
                kek = k;
            }
        }
        assertThat(kek).as("the KEK of " + TENANT + " in\n" + status.toPrettyString()).isNotNull();
        assertThat(kek.path("state").asText()).isEqualTo("active");
        assertThat(kek.path("sensitive").isBoolean()).isTrue();
        assertThat(kek.path("sensitive").asBoolean()).isTrue();
        assertThat(kek.path("extractable").isBoolean()).isTrue();
        assertThat(kek.path("extractable").asBoolean()).isFalse();
        assertThat(kek.path("neverExtractable").asBoolean()).isTrue();
    }

    private static void assertNoStackTrace(Result r) {
        assertThat(STACK_FRAME.matcher(r.err()).find()).as("stack trace on stderr:\n" + r.err()).isFalse();
        assertThat(r.err()).doesNotContain("Exception in thread").doesNotContain("Caused by:");
    }

    private static void checkNoSecret(Result r) {
        // contains(...).isFalse(): a failure message must not repeat the PIN it found
        for (String secret : SECRETS) {
            assertThat(r.out().contains(secret)).as("stdout shows a PIN").isFalse();
            assertThat(r.err().contains(secret)).as("stderr shows a PIN").isFalse();
        }
    }

    private static String randomPin() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder("wrong-");
        for (int i = 0; i < 18; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Properties vtlProperties(Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("vtl.properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /**
     * True once process {@code pid} has exited. The daemon's parent JVM has exited, so init reaps it; a
     * zombie may linger for a moment: wait for it (at most 10 s) rather than report a live daemon.
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

    /** {@code ../cli/target} seen from this module, with the packaged jar and its dependencies. */
    private static Path cliTarget() {
        Path basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path target = basedir.resolve("../cli/target").normalize();
        if (!Files.isRegularFile(target.resolve("cli.jar")) || !Files.isDirectory(target.resolve("lib"))) {
            fail(target + "/cli.jar or " + target + "/lib/ is missing: the cli module must be packaged before these "
                    + "tests run. Run them through the reactor: ./mvnw -B verify -pl tests -am");
        }
        return target;
    }

    /**
     * Runs {@code java ... dev.cairn.cli.Main args} as the launcher does (same JVM options, class path and
     * {@code cairn.home}), with {@code env} added to an
     * environment cleared of every CAIRN_ variable; stops it after {@value #TIMEOUT_SECONDS} seconds.
     */
    private static Result cairn(Map<String, String> env, String... args) {
        Path target = cliTarget();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Dcairn.home=" + target.getParent().getParent(),
                "-cp", target.resolve("cli.jar") + ":" + target.resolve("lib") + "/*",
                "dev.cairn.cli.Main"));
        command.addAll(List.of(args));
        Process p = null;
        try {
            Path io = Files.createTempDirectory(tmp, "run-");
            Path out = io.resolve("stdout");
            Path err = io.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("CAIRN_") || k.equals("SOFTHSM2_CONF"));
            pb.environment().putAll(env);
            p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                fail("cairn " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s; "
                        + "stderr so far:\n" + Files.readString(err));
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            checkNoSecret(r);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            if (p != null && p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
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
