package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.hsm.SoftHsmProvisioner;
import dev.cairn.hsm.testing.SoftHsm;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn keys ...} run in-process through {@link Main#execute} against real SoftHSM2 tokens.
 *
 * <p>Every token here is a {@link SoftHsmExtension} token (its own copy of libsofthsm2.so), and
 * {@code init-softhsm} is given a fresh copy through {@code --library}: one JVM can use SoftHSM2 only
 * through independent copies of the library (see {@link SoftHsm}). The CLI opens and closes the vault
 * per command, so the commands of one test run one after the other on the same token.
 *
 * <p>Each test works on its own tenant (or its own tokens), so the tests do not depend on their order.
 * Every command's stdout and stderr is checked for the PINs of every token made here: a PIN must never
 * be printed, neither on success nor on failure.
 */
class KeysCommandTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A picocli or JVM stack trace line ("\tat dev.cairn...(Main.java:40)"). */
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/<>]+\\(.*\\)$");
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----\\n([A-Za-z0-9+/=\\n]+)-----END PUBLIC KEY-----\\n?");

    /** The PINs of every token made by this class; none may ever appear in any output. */
    private static final List<String> SECRETS = new ArrayList<>();
    /** Everything any command printed, for the final check in {@link #noCommandEverPrintedAPin()}. */
    private static final StringBuilder ALL_OUTPUT = new StringBuilder();

    // ------------------------------------------------------------------ init-softhsm

    @Test
    void initSoftHsmWritesConfigurationAndPinFilesReadableOnlyByTheOwner(@TempDir Path tmp) throws IOException {
        Path library = freshLibraryCopy(tmp.resolve("lib"));
        Path dir = tmp.resolve("token");

        Run r = cairn("keys", "init-softhsm", dir.toString(), "--library", library.toString(), "--label", "clinic-test");
        rememberPins(dir);

        assertThat(r.code()).as(r.toString()).isZero();
        for (String name : List.of("hsm.conf", "user.pin", "so.pin")) {
            Path f = dir.resolve(name);
            assertThat(f).as(name).isRegularFile();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(name).isEqualTo("rw-------");
        }
        String conf = Files.readString(dir.resolve("hsm.conf"));
        assertThat(conf).contains("library = " + library).contains("token.label = clinic-test").contains("pin.file = user.pin");
        assertThat(Files.readString(dir.resolve("user.pin")).strip()).isNotEmpty()
                .isNotEqualTo(Files.readString(dir.resolve("so.pin")).strip());
        assertThat(r.out()).contains(dir.resolve("hsm.conf").toString());
    }

    @Test
    void initSoftHsmRefusesANonEmptyDirectoryAndLeavesItAlone(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("not-empty");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "someone else's file\n");
        // The check comes before the module is loaded, so this library copy is never used.
        Path library = freshLibraryCopy(tmp.resolve("lib"));

        Run r = cairn("keys", "init-softhsm", dir.toString(), "--library", library.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(dir.toString()).contains("not empty");
        assertNoStackTrace(r);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("notes.txt");
        }
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("someone else's file\n");
    }

    @Test
    void initSoftHsmRunTwiceOnTheSameDirectoryRefusesTheSecondTime(@TempDir Path tmp) throws IOException {
        Path library = freshLibraryCopy(tmp.resolve("lib"));
        Path dir = tmp.resolve("token");
        Run first = cairn("keys", "init-softhsm", dir.toString(), "--library", library.toString());
        rememberPins(dir);
        assertThat(first.code()).as(first.toString()).isZero();
        String confBefore = Files.readString(dir.resolve("hsm.conf"));
        String pinBefore = Files.readString(dir.resolve("user.pin"));

        Run second = cairn("keys", "init-softhsm", dir.toString(), "--library", library.toString());

        assertThat(second.code()).as(second.toString()).isEqualTo(1);
        assertThat(second.err()).contains(dir.toString());
        assertNoStackTrace(second);
        assertThat(Files.readString(dir.resolve("hsm.conf"))).isEqualTo(confBefore);
        assertThat(Files.readString(dir.resolve("user.pin"))).isEqualTo(pinBefore);
    }

    // ------------------------------------------------------------------ create-kek, status, rotate, roll-forward

    @Test
    void createKekMakesASensitiveNonExtractableKekAndVersion1DataKeys() throws IOException {
        String conf = conf(hsm.token());
        Run created = cairn("keys", "create-kek", "--hsm", conf, "--tenant", "create-a", "--rotate-every", "90d");
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(created.out()).contains("cairn/create-a/kek/1").contains("P90D");

        JsonNode status = statusJson(conf);

        JsonNode kek = key(status, "cairn/create-a/kek/1");
        assertThat(kek.path("kind").asText()).isEqualTo("kek");
        assertThat(kek.path("tenant").asText()).isEqualTo("create-a");
        assertThat(kek.path("generation").asInt()).isEqualTo(1);
        assertThat(kek.path("state").asText()).isEqualTo("active");
        assertThat(kek.path("origin").asText()).isEqualTo("generated");
        assertThat(kek.path("sensitive").isBoolean()).isTrue();
        assertThat(kek.path("sensitive").asBoolean()).isTrue();
        assertThat(kek.path("extractable").isBoolean()).isTrue();
        assertThat(kek.path("extractable").asBoolean()).isFalse();
        assertThat(kek.path("neverExtractable").asBoolean()).isTrue();

        JsonNode tenant = tenant(status, "create-a");
        assertThat(tenant.path("rotationPeriod").asText()).isEqualTo("P90D");
        Map<String, String> fingerprints = fingerprints(tenant);
        assertThat(fingerprints).containsOnlyKeys("data-v1", "dedupe-v1");
        assertThat(fingerprints.values()).allMatch(f -> f.matches("[0-9a-f]{32}")).doesNotHaveDuplicates();
    }

    @Test
    void statusAsTextShowsTheKekAttributesAndTheTenantsDataKeys() throws IOException {
        String conf = conf(hsm.token());
        assertThat(cairn("keys", "create-kek", "--hsm", conf, "--tenant", "text-a").code()).isZero();
        Map<String, String> fingerprints = fingerprints(tenant(statusJson(conf), "text-a"));

        Run r = cairn("keys", "status", "--hsm", conf);

        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("(?m)^cairn/text-a/kek/1\\s+1\\s+active\\s+generated\\s+true\\s+false\\s+true\\s*$");
        assertThat(r.out()).contains("tenant text-a: next rotation due ");
        assertThat(r.out()).contains("data v1 (current) fingerprint " + fingerprints.get("data-v1"));
        assertThat(r.out()).contains("dedupe v1 (current) fingerprint " + fingerprints.get("dedupe-v1"));
    }

    @Test
    void createKekTwiceForTheSameTenantIsRefused() throws IOException {
        String conf = conf(hsm.token());
        assertThat(cairn("keys", "create-kek", "--hsm", conf, "--tenant", "twice-a").code()).isZero();

        Run again = cairn("keys", "create-kek", "--hsm", conf, "--tenant", "twice-a");

        assertThat(again.code()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("twice-a").contains("rotate");
        assertNoStackTrace(again);
        assertThat(fingerprints(tenant(statusJson(conf), "twice-a"))).containsOnlyKeys("data-v1", "dedupe-v1");
    }

    @Test
    void rotateMakesGeneration2ActiveRetiresGeneration1AndKeepsEveryFingerprint() throws IOException {
        String conf = conf(hsm.token());
        assertThat(cairn("keys", "create-kek", "--hsm", conf, "--tenant", "rotate-a").code()).isZero();
        Map<String, String> before = fingerprints(tenant(statusJson(conf), "rotate-a"));

        Run rotated = cairn("keys", "rotate", "--hsm", conf, "--tenant", "rotate-a");

        assertThat(rotated.code()).as(rotated.toString()).isZero();
        assertThat(rotated.out()).contains("KEK generation 2 is active").contains("generation 1 retired");
        assertThat(rotated.out()).contains("data v1 re-wrapped, fingerprint " + before.get("data-v1") + " unchanged");
        assertThat(rotated.out()).contains("dedupe v1 re-wrapped, fingerprint " + before.get("dedupe-v1") + " unchanged");

        JsonNode after = statusJson(conf);
        assertThat(key(after, "cairn/rotate-a/kek/1").path("state").asText()).isEqualTo("retired");
        JsonNode gen2 = key(after, "cairn/rotate-a/kek/2");
        assertThat(gen2.path("state").asText()).isEqualTo("active");
        assertThat(gen2.path("sensitive").asBoolean()).isTrue();
        assertThat(gen2.path("extractable").asBoolean()).isFalse();
        JsonNode tenant = tenant(after, "rotate-a");
        assertThat(fingerprints(tenant)).isEqualTo(before);
        for (JsonNode d : tenant.path("dataKeys")) {
            assertThat(ints(d.path("kekGenerations"))).as(d.toString()).contains(2);
        }
    }

    @Test
    void rotateJsonReportsBothGenerationsAndTheRewrappedKeys() throws IOException {
        String conf = conf(hsm.token());
        assertThat(cairn("keys", "create-kek", "--hsm", conf, "--tenant", "rotate-json").code()).isZero();
        Map<String, String> before = fingerprints(tenant(statusJson(conf), "rotate-json"));

        Run rotated = cairn("keys", "rotate", "--hsm", conf, "--tenant", "rotate-json", "--json");

        assertThat(rotated.code()).as(rotated.toString()).isZero();
        JsonNode report = JSON.readTree(rotated.out());
        assertThat(report.path("fromGeneration").asInt()).isEqualTo(1);
        assertThat(report.path("toGeneration").asInt()).isEqualTo(2);
        Map<String, String> rewrapped = new TreeMap<>();
        for (JsonNode w : report.path("rewrapped")) {
            rewrapped.put(w.path("purpose").asText() + "-v" + w.path("version").asInt(), w.path("fingerprint").asText());
        }
        assertThat(rewrapped).isEqualTo(before);
    }

    @Test
    void rollForwardMakesDataKeyVersion2CurrentAndKeepsVersion1Readable() throws IOException {
        String conf = conf(hsm.token());
        assertThat(cairn("keys", "create-kek", "--hsm", conf, "--tenant", "roll-a").code()).isZero();
        Map<String, String> before = fingerprints(tenant(statusJson(conf), "roll-a"));

        Run rolled = cairn("keys", "roll-forward", "--hsm", conf, "--tenant", "roll-a");

        assertThat(rolled.code()).as(rolled.toString()).isZero();
        assertThat(rolled.out()).contains("roll-a").contains("data key version 2");
        JsonNode tenant = tenant(statusJson(conf), "roll-a");
        Map<String, String> after = fingerprints(tenant);
        assertThat(after).containsOnlyKeys("data-v1", "data-v2", "dedupe-v1");
        assertThat(after).containsAllEntriesOf(before);
        assertThat(after.get("data-v2")).isNotIn(before.values());
        assertThat(dataKey(tenant, "data", 2).path("current").asBoolean()).isTrue();
        assertThat(dataKey(tenant, "data", 1).path("current").asBoolean()).isFalse();
        assertThat(dataKey(tenant, "dedupe", 1).path("current").asBoolean()).isTrue();
    }

    @Test
    void rollForwardOfTheDedupeKeyLeavesTheDataKeyAlone() throws IOException {
        String conf = conf(hsm.token());
        assertThat(cairn("keys", "create-kek", "--hsm", conf, "--tenant", "roll-b").code()).isZero();

        Run rolled = cairn("keys", "roll-forward", "--hsm", conf, "--tenant", "roll-b", "--purpose", "dedupe", "--json");

        assertThat(rolled.code()).as(rolled.toString()).isZero();
        JsonNode report = JSON.readTree(rolled.out());
        assertThat(report.path("purpose").asText()).isEqualTo("dedupe");
        assertThat(report.path("version").asInt()).isEqualTo(2);
        assertThat(fingerprints(tenant(statusJson(conf), "roll-b"))).containsOnlyKeys("data-v1", "dedupe-v1", "dedupe-v2");
    }

    // ------------------------------------------------------------------ BYOK

    @Test
    void transportKeyIsAnRsa3072PublicKeyInPemAndJsonNamesTheOaepHash() throws Exception {
        String conf = conf(hsm.token());

        Run pem = cairn("keys", "transport-key", "--hsm", conf);
        assertThat(pem.code()).as(pem.toString()).isZero();
        RSAPublicKey key = parsePem(pem.out());
        assertThat(key.getModulus().bitLength()).isEqualTo(3072);
        assertThat(pem.err()).contains("openssl pkeyutl -encrypt");

        Run json = cairn("keys", "transport-key", "--hsm", conf, "--json");
        assertThat(json.code()).as(json.toString()).isZero();
        JsonNode t = JSON.readTree(json.out());
        assertThat(t.path("oaepHash").asText()).isIn("SHA-256", "SHA-1");
        assertThat(t.path("algorithm").asText()).isEqualTo("RSA-3072");
        assertThat(parsePem(t.path("pem").asText()).getModulus()).as("the same key both times").isEqualTo(key.getModulus());
        assertThat(key(statusJson(conf), t.path("label").asText()).path("kind").asText()).isEqualTo("transport");
    }

    @Test
    void importKekAcceptsAKeyWrappedToTheTransportKeyAndPrintsItsCheckValue(@TempDir Path tmp) throws Exception {
        String conf = conf(hsm.token());
        Run json = cairn("keys", "transport-key", "--hsm", conf, "--json");
        assertThat(json.code()).as(json.toString()).isZero();
        JsonNode t = JSON.readTree(json.out());
        RSAPublicKey transport = parsePem(t.path("pem").asText());
        String hash = t.path("oaepHash").asText();

        byte[] customerKey = new byte[32];
        new SecureRandom().nextBytes(customerKey);
        Path wrapped = tmp.resolve("wrapped.bin");
        Files.write(wrapped, oaepWrap(transport, hash, customerKey));
        String expectedCheckValue = checkValue(customerKey);

        Run imported = cairn("keys", "import-kek", "--hsm", conf, "--tenant", "byok-a", "--in", wrapped.toString());

        assertThat(imported.code()).as(imported.toString()).isZero();
        Matcher m = Pattern.compile("key check value ([0-9a-f]{16})").matcher(imported.out());
        assertThat(m.find()).as(imported.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(expectedCheckValue);
        assertThat(imported.out()).contains("KEK generation 1 is active");
        assertThat(imported.out() + imported.err()).doesNotContain(HexFormat.of().formatHex(customerKey));

        JsonNode status = statusJson(conf);
        JsonNode kek = key(status, "cairn/byok-a/kek/1");
        assertThat(kek.path("origin").asText()).isEqualTo("imported");
        assertThat(kek.path("state").asText()).isEqualTo("active");
        assertThat(kek.path("sensitive").asBoolean()).isTrue();
        assertThat(kek.path("extractable").asBoolean()).isFalse();
        assertThat(fingerprints(tenant(status, "byok-a"))).containsOnlyKeys("data-v1", "dedupe-v1");
    }

    @Test
    void importKekWithAWrongCheckValueIsRefusedAndTheRightOneIsAccepted(@TempDir Path tmp) throws Exception {
        String conf = conf(hsm.token());
        JsonNode t = JSON.readTree(cairn("keys", "transport-key", "--hsm", conf, "--json").out());
        byte[] customerKey = new byte[32];
        new SecureRandom().nextBytes(customerKey);
        Path wrapped = tmp.resolve("wrapped.bin");
        Files.write(wrapped, oaepWrap(parsePem(t.path("pem").asText()), t.path("oaepHash").asText(), customerKey));

        Run wrong = cairn("keys", "import-kek", "--hsm", conf, "--tenant", "byok-kcv", "--in", wrapped.toString(),
                "--check-value", "0123456789abcdef");
        assertThat(wrong.code()).as(wrong.toString()).isEqualTo(1);
        assertThat(wrong.err()).contains("Nothing was imported");
        assertThat(tenantNames(statusJson(conf))).doesNotContain("byok-kcv");

        Run right = cairn("keys", "import-kek", "--hsm", conf, "--tenant", "byok-kcv", "--in", wrapped.toString(),
                "--check-value", checkValue(customerKey).toUpperCase(java.util.Locale.ROOT));
        assertThat(right.code()).as(right.toString()).isZero();
        assertThat(tenantNames(statusJson(conf))).contains("byok-kcv");
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"init-softhsm", "status", "create-kek", "rotate", "roll-forward", "transport-key",
                "import-kek", "recovery-kit", "recover"}) {
            Run r = cairn("keys", c, "--help");
            assertThat(r.code()).as(c + ": " + r).isZero();
            assertThat(r.out()).contains("Usage: cairn keys " + c);
        }
    }

    @Test
    void importKekOfAWrongSizeFileNamesTheExpectedSizeAndCreatesNothing(@TempDir Path tmp) throws IOException {
        String conf = conf(hsm.token());
        Path wrapped = tmp.resolve("short.bin");
        Files.write(wrapped, new byte[100]);

        Run r = cairn("keys", "import-kek", "--hsm", conf, "--tenant", "byok-bad", "--in", wrapped.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("100 bytes").contains("384"); // 3072 bits
        assertNoStackTrace(r);
        assertThat(tenantNames(statusJson(conf))).doesNotContain("byok-bad");
    }

    // ------------------------------------------------------------------ recovery kit

    @Test
    void recoveryKitSharesRestoreTheTenantOnANewTokenButTwoOfThreeDoNot(@TempDir Path tmp) throws IOException {
        SoftHsm old = hsm.newToken();
        SoftHsm replacement = hsm.newToken();
        rememberPins(old);
        rememberPins(replacement);
        String oldConf = old.hsmConf().toString();
        String newConf = replacement.hsmConf().toString();
        assertThat(cairn("keys", "create-kek", "--hsm", oldConf, "--tenant", "rec-a").code()).isZero();
        assertThat(cairn("keys", "roll-forward", "--hsm", oldConf, "--tenant", "rec-a").code()).isZero();
        Map<String, String> original = fingerprints(tenant(statusJson(oldConf), "rec-a"));
        assertThat(original).containsOnlyKeys("data-v1", "data-v2", "dedupe-v1");

        Path kit = tmp.resolve("kit");
        Run made = cairn("keys", "recovery-kit", "--hsm", oldConf, "--shares", "5", "--threshold", "3", "--out", kit.toString());

        assertThat(made.code()).as(made.toString()).isZero();
        List<Path> shares;
        try (Stream<Path> s = Files.list(kit)) {
            shares = s.sorted().toList();
        }
        assertThat(shares).hasSize(5);
        for (Path share : shares) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(share))).as(share.toString())
                    .isEqualTo("rw-------");
            assertThat(Files.readString(share)).as(share.toString()).contains("CRS1-");
        }
        JsonNode oldStatus = statusJson(oldConf);
        assertThat(oldStatus.path("recoveryKit").path("threshold").asInt()).isEqualTo(3);
        assertThat(oldStatus.path("recoveryKit").path("shares").asInt()).isEqualTo(5);
        for (JsonNode d : tenant(oldStatus, "rec-a").path("dataKeys")) {
            assertThat(d.path("sealedForRecovery").asBoolean()).as(d.toString()).isTrue();
        }

        // A second kit into the same directory is refused, and the first kit's sheets stay as they were.
        String firstSheet = Files.readString(shares.getFirst());
        Run again = cairn("keys", "recovery-kit", "--hsm", oldConf, "--shares", "5", "--threshold", "3", "--out", kit.toString());
        assertThat(again.code()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains(kit.toString()).contains("not empty");
        assertNoStackTrace(again);
        assertThat(Files.readString(shares.getFirst())).isEqualTo(firstSheet);
        try (Stream<Path> s = Files.list(kit)) {
            assertThat(s.count()).isEqualTo(5);
        }

        String records = old.stateDir().toString();

        // Two sheets of a 3-of-5 kit rebuild nothing, and the new token gets no tenant.
        Run tooFew = cairn("keys", "recover", "--hsm", newConf, "--share", shares.get(0).toString(),
                "--share", shares.get(3).toString(), "--records", records);
        assertThat(tooFew.code()).as(tooFew.toString()).isEqualTo(1);
        assertThat(tooFew.err()).contains("need 3 shares, got 2");
        assertNoStackTrace(tooFew);
        assertThat(tenantNames(statusJson(newConf))).isEmpty();

        // Any three sheets restore the tenant under a new KEK with the very same data keys.
        Run recovered = cairn("keys", "recover", "--hsm", newConf, "--share", shares.get(4).toString(),
                "--share", shares.get(1).toString(), "--share", shares.get(2).toString(), "--records", records);
        assertThat(recovered.code()).as(recovered.toString()).isZero();
        assertThat(recovered.out()).contains("restored tenant rec-a: 3 data keys");

        JsonNode newStatus = statusJson(newConf);
        assertThat(fingerprints(tenant(newStatus, "rec-a"))).isEqualTo(original);
        assertThat(dataKey(tenant(newStatus, "rec-a"), "data", 2).path("current").asBoolean()).isTrue();
        JsonNode newKek = key(newStatus, "cairn/rec-a/kek/1");
        assertThat(newKek.path("state").asText()).isEqualTo("active");
        assertThat(newKek.path("sensitive").asBoolean()).isTrue();
        assertThat(newKek.path("extractable").asBoolean()).isFalse();

        // recovering again onto the same token is refused up front, and nothing changes
        Run twice = cairn("keys", "recover", "--hsm", newConf, "--share", shares.get(4).toString(),
                "--share", shares.get(1).toString(), "--share", shares.get(2).toString(), "--records", records);
        assertThat(twice.code()).as(twice.toString()).isEqualTo(1);
        assertThat(twice.err()).contains("already exist").contains("Nothing was restored");
        assertThat(fingerprints(tenant(statusJson(newConf), "rec-a"))).isEqualTo(original);
    }

    @Test
    void aDamagedRecordOfOneTenantStopsTheWholeRecovery(@TempDir Path tmp) throws IOException {
        SoftHsm old = hsm.newToken();
        SoftHsm replacement = hsm.newToken();
        rememberPins(old);
        rememberPins(replacement);
        String oldConf = old.hsmConf().toString();
        assertThat(cairn("keys", "create-kek", "--hsm", oldConf, "--tenant", "dmg-a").code()).isZero();
        assertThat(cairn("keys", "create-kek", "--hsm", oldConf, "--tenant", "dmg-b").code()).isZero();
        Path kit = tmp.resolve("kit");
        assertThat(cairn("keys", "recovery-kit", "--hsm", oldConf, "--shares", "2", "--threshold", "2", "--out", kit.toString()).code()).isZero();
        List<Path> shares;
        try (Stream<Path> s = Files.list(kit)) {
            shares = s.sorted().toList();
        }
        Path sealedB;
        try (Stream<Path> s = Files.list(old.stateDir().resolve("tenants/dmg-b/keys"))) {
            sealedB = s.filter(p -> p.getFileName().toString().startsWith("data-v1.recovery-")).findFirst().orElseThrow();
        }
        byte[] b = Files.readAllBytes(sealedB);
        b[b.length - 1] ^= 1; // one bit of dmg-b's sealed data key
        Files.write(sealedB, b);

        Run r = cairn("keys", "recover", "--hsm", replacement.hsmConf().toString(), "--share", shares.get(0).toString(),
                "--share", shares.get(1).toString(), "--records", old.stateDir().toString());
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("dmg-b").contains("Nothing was restored");
        assertNoStackTrace(r);
        assertThat(tenantNames(statusJson(replacement.hsmConf().toString()))).isEmpty();
    }

    // ------------------------------------------------------------------ errors

    @Test
    void aVaultCommandWithoutHsmOrCairnHsmSaysToPassHsm() {
        assumeTrue(System.getenv("CAIRN_HSM") == null,
                "CAIRN_HSM is set in this environment; CliProcessTest covers this case with a clean environment");

        Run r = cairn("keys", "status");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("--hsm").contains("CAIRN_HSM");
        assertThat(r.out()).isEmpty();
        assertNoStackTrace(r);
    }

    @Test
    void anUnreadableRotationPeriodIsRefusedWithAnExample() throws IOException {
        String conf = conf(hsm.token());

        Run r = cairn("keys", "create-kek", "--hsm", conf, "--tenant", "period-a", "--rotate-every", "ten days");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("'ten days'").contains("90d");
        assertNoStackTrace(r);
        assertThat(tenantNames(statusJson(conf))).doesNotContain("period-a");
    }

    @Test
    void rotatingAnUnknownTenantNamesTheTenant() {
        Run r = cairn("keys", "rotate", "--hsm", conf(hsm.token()), "--tenant", "no-such-clinic");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("no-such-clinic").contains("create-kek");
        assertThat(r.err()).doesNotContain("unexpected");
        assertNoStackTrace(r);
    }

    @Test
    void anInvalidTenantIdIsRefusedWithTheAllowedAlphabet() {
        Run r = cairn("keys", "create-kek", "--hsm", conf(hsm.token()), "--tenant", "Clinic A");

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("invalid tenant id").contains("a-z");
        assertNoStackTrace(r);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run r = cairn("keys", "status", "--hsm", conf(hsm.token()), "--no-such-option");

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--no-such-option");
        assertNoStackTrace(r);
    }

    @Test
    void aMissingRequiredOptionIsAUsageError() {
        Run r = cairn("keys", "rotate", "--hsm", conf(hsm.token()));

        assertThat(r.code()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--tenant");
        assertNoStackTrace(r);
    }

    @Test
    void aMissingHsmConfFileIsAnOperationFailureNamingTheFile(@TempDir Path tmp) {
        Path missing = tmp.resolve("nowhere/hsm.conf");

        Run r = cairn("keys", "status", "--hsm", missing.toString());

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(missing.toString());
        assertNoStackTrace(r);
    }

    // ------------------------------------------------------------------ secrets

    /**
     * Runs last in the class lifecycle (before the extension deletes the tokens): the output of every
     * command of every test, checked once more against every PIN, including PINs learned after the
     * command ran.
     */
    @AfterAll
    static void noCommandEverPrintedAPin() {
        assertThat(SECRETS).as("the tests recorded the PINs they check for").isNotEmpty();
        assertThat(ALL_OUTPUT).as("the tests recorded output").isNotEmpty();
        for (String secret : SECRETS) {
            assertThat(ALL_OUTPUT.toString().contains(secret)).as("a PIN was printed").isFalse();
        }
    }

    // ------------------------------------------------------------------ helpers

    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs the command line in-process and checks its output against every PIN known so far. */
    private static Run cairn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        Run r = new Run(code, out.toString(), err.toString());
        synchronized (ALL_OUTPUT) {
            ALL_OUTPUT.append(r.out()).append(r.err());
        }
        // contains(...).isFalse(): a failure message must not repeat the PIN it found
        for (String secret : secrets()) {
            assertThat(r.out().contains(secret)).as("stdout of " + Arrays.toString(args) + " shows a PIN").isFalse();
            assertThat(r.err().contains(secret)).as("stderr of " + Arrays.toString(args) + " shows a PIN").isFalse();
        }
        return r;
    }

    private static List<String> secrets() {
        synchronized (SECRETS) {
            rememberPins(hsm.token());
            return List.copyOf(SECRETS);
        }
    }

    private static String conf(SoftHsm token) {
        rememberPins(token);
        return token.hsmConf().toString();
    }

    private static void rememberPins(SoftHsm token) {
        rememberPins(token.hsmConf().getParent());
    }

    private static void rememberPins(Path tokenDir) {
        synchronized (SECRETS) {
            for (String name : List.of("user.pin", "so.pin")) {
                Path f = tokenDir.resolve(name);
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                try {
                    String pin = Files.readString(f, StandardCharsets.UTF_8).strip();
                    assertThat(pin).as(f.toString()).hasSizeGreaterThanOrEqualTo(8);
                    if (!SECRETS.contains(pin)) {
                        SECRETS.add(pin);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static void assertNoStackTrace(Run r) {
        assertThat(STACK_FRAME.matcher(r.err()).find()).as("stack trace on stderr:\n" + r.err()).isFalse();
        assertThat(STACK_FRAME.matcher(r.out()).find()).as("stack trace on stdout:\n" + r.out()).isFalse();
        assertThat(r.err()).doesNotContain("Exception in thread").doesNotContain("Caused by:");
    }

    private static Path freshLibraryCopy(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path copy = dir.resolve("libsofthsm2.so");
        Files.copy(SoftHsmProvisioner.defaultLibrary().toRealPath(), copy);
        return copy;
    }

    private static JsonNode statusJson(String conf) throws IOException {
        Run r = cairn("keys", "status", "--hsm", conf, "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode status = JSON.readTree(r.out());
        assertThat(status.path("healthy").asBoolean()).as(r.out()).isTrue();
        return status;
    }

    private static JsonNode key(JsonNode status, String label) {
        for (JsonNode k : status.path("keys")) {
            if (label.equals(k.path("label").asText())) {
                return k;
            }
        }
        throw new AssertionError("status lists no key " + label + ":\n" + status.toPrettyString());
    }

    private static JsonNode tenant(JsonNode status, String name) {
        for (JsonNode t : status.path("tenants")) {
            if (name.equals(t.path("tenant").asText())) {
                return t;
            }
        }
        throw new AssertionError("status lists no tenant " + name + ":\n" + status.toPrettyString());
    }

    private static List<String> tenantNames(JsonNode status) {
        List<String> out = new ArrayList<>();
        status.path("tenants").forEach(t -> out.add(t.path("tenant").asText()));
        return out;
    }

    private static JsonNode dataKey(JsonNode tenant, String purpose, int version) {
        for (JsonNode d : tenant.path("dataKeys")) {
            if (purpose.equals(d.path("purpose").asText()) && d.path("version").asInt() == version) {
                return d;
            }
        }
        throw new AssertionError("tenant has no " + purpose + " v" + version + ":\n" + tenant.toPrettyString());
    }

    /** "data-v1" -> fingerprint, for every data key of the tenant. */
    private static Map<String, String> fingerprints(JsonNode tenant) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode d : tenant.path("dataKeys")) {
            String previous = out.put(d.path("purpose").asText() + "-v" + d.path("version").asInt(), d.path("fingerprint").asText());
            assertThat(previous).as("a data key listed twice").isNull();
        }
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static RSAPublicKey parsePem(String text) throws GeneralSecurityException {
        Matcher m = PEM.matcher(text);
        assertThat(m.find()).as("a PEM public key in:\n" + text).isTrue();
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        assertThat(key).isInstanceOf(RSAPublicKey.class);
        return (RSAPublicKey) key;
    }

    /** RSA-OAEP as the customer does it: {@code hash} for both OAEP and MGF1, empty label. */
    private static byte[] oaepWrap(RSAPublicKey key, String hash, byte[] plaintext) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
        c.init(Cipher.ENCRYPT_MODE, key,
                new OAEPParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), PSource.PSpecified.DEFAULT));
        return c.doFinal(plaintext);
    }

    /** Key check value: the first 8 bytes of AES-ECB(key, 16 zero bytes), in hex. */
    private static String checkValue(byte[] key) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return HexFormat.of().formatHex(Arrays.copyOf(c.doFinal(new byte[16]), 8));
    }
}
