package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.hsm.testing.SoftHsm;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage commands in-process through {@link Main#execute} against real SoftHSM2 tokens and real
 * repositories: the JSON shapes docs/cli.md promises, exit codes, and the errors an operator meets. The
 * full round trip and the faults run as separate processes in the tests module.
 */
class StorageCommandsTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/<>]+\\(.*\\)$");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    @TempDir
    Path tmp;

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

    static Run cairn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        Run r = new Run(code, out.toString(), err.toString());
        assertThat(STACK_FRAME.matcher(r.err()).find()).as("stack trace in\n" + r).isFalse();
        return r;
    }

    /** A new token and an initialised repository with the given tenants; returns {repo, hsm.conf}. */
    private String[] repoWith(String... tenants) {
        SoftHsm token = hsm.newToken();
        String repo = tmp.resolve("repo").toString();
        String conf = token.hsmConf().toString();
        Run init = cairn("repo", "init", "--repo", repo, "--hsm", conf);
        assertThat(init.code()).as(init.toString()).isZero();
        for (String t : tenants) {
            Run add = cairn("repo", "add-tenant", "--repo", repo, "--hsm", conf, "--tenant", t);
            assertThat(add.code()).as(add.toString()).isZero();
        }
        return new String[] {"--repo", repo, "--hsm", conf};
    }

    private static String[] args(String[] repo, String... rest) {
        List<String> a = new ArrayList<>(List.of(rest));
        a.addAll(1, List.of(repo)); // after the command name
        return a.toArray(String[]::new);
    }

    // ------------------------------------------------------------------ repo

    @Test
    void repoInitPrintsItsIdAndRefusesANonEmptyDirectory() throws IOException {
        SoftHsm token = hsm.newToken();
        Path repo = tmp.resolve("r");
        Run init = cairn("repo", "init", "--repo", repo.toString(), "--hsm", token.hsmConf().toString(), "--json");
        assertThat(init.code()).as(init.toString()).isZero();
        JsonNode j = init.json();
        assertThat(j.path("id").asText()).matches(HEX64);
        assertThat(j.path("version").asInt()).isEqualTo(1);
        assertThat(j.path("repo").asText()).isEqualTo(repo.toString());
        assertThat(Files.isRegularFile(repo.resolve("config.json"))).isTrue();

        Run again = cairn("repo", "init", "--repo", repo.toString(), "--hsm", token.hsmConf().toString());
        assertThat(again.code()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("not empty");
    }

    @Test
    void repoInitWithAnHsmThatDoesNotOpenCreatesNothing() {
        Path repo = tmp.resolve("never");
        Run init = cairn("repo", "init", "--repo", repo.toString(), "--hsm", tmp.resolve("missing/hsm.conf").toString());
        assertThat(init.code()).as(init.toString()).isEqualTo(1);
        assertThat(repo).doesNotExist();
    }

    @Test
    void addTenantCreatesTheKekWhenAbsentAndIsIdempotent() {
        SoftHsm token = hsm.newToken();
        String repo = tmp.resolve("repo").toString();
        String conf = token.hsmConf().toString();
        assertThat(cairn("repo", "init", "--repo", repo, "--hsm", conf).code()).isZero();

        Run first = cairn("repo", "add-tenant", "--repo", repo, "--hsm", conf, "--tenant", "clinic-a", "--json");
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.json().path("kekCreated").asBoolean()).isTrue();
        assertThat(first.json().path("alreadyRegistered").asBoolean()).isFalse();
        assertThat(first.json().path("tenantNumber").asInt()).isEqualTo(1);
        Run status = cairn("keys", "status", "--hsm", conf, "--json");
        assertThat(status.out()).contains("cairn/clinic-a/kek/1");

        Run second = cairn("repo", "add-tenant", "--repo", repo, "--hsm", conf, "--tenant", "clinic-a", "--json");
        assertThat(second.json().path("kekCreated").asBoolean()).isFalse();
        assertThat(second.json().path("alreadyRegistered").asBoolean()).isTrue();
        assertThat(second.json().path("tenantNumber").asInt()).isEqualTo(1);

        // a KEK made beforehand with keys create-kek is used, not replaced
        assertThat(cairn("keys", "create-kek", "--hsm", conf, "--tenant", "clinic-b").code()).isZero();
        Run b = cairn("repo", "add-tenant", "--repo", repo, "--hsm", conf, "--tenant", "clinic-b", "--json");
        assertThat(b.json().path("kekCreated").asBoolean()).isFalse();
        assertThat(b.json().path("tenantNumber").asInt()).isEqualTo(2);

        Run wrongRepo = cairn("repo", "add-tenant", "--repo", tmp.resolve("nothing").toString(), "--hsm", conf, "--tenant", "clinic-c");
        assertThat(wrongRepo.code()).isEqualTo(1);
        assertThat(wrongRepo.err()).contains("repo init");
        assertThat(cairn("keys", "status", "--hsm", conf).out()).as("nothing created for a wrong --repo").doesNotContain("clinic-c");
    }

    @Test
    void withSeveralTenantsTenantIsRequiredAndTheErrorNamesNoTenant() {
        String[] repo = repoWith("clinic-a", "clinic-b");
        for (String cmd : List.of("snapshots", "find")) {
            Run r = cmd.equals("find") ? cairn(args(repo, cmd, "*")) : cairn(args(repo, cmd));
            assertThat(r.code()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("--tenant").doesNotContain("clinic-a").doesNotContain("clinic-b");
        }
        Run named = cairn(args(repo, "snapshots", "--tenant", "clinic-b", "--json"));
        assertThat(named.code()).as(named.toString()).isZero();
        assertThat(named.json().path("tenant").asText()).isEqualTo("clinic-b");
        assertThat(named.json().path("snapshots").size()).isZero();
        Run unknown = cairn(args(repo, "snapshots", "--tenant", "clinic-z"));
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("add-tenant");
    }

    // ------------------------------------------------------------------ backup and browsing

    @Test
    void backupSnapshotsLsFindDiffAndRestoreGiveTheDocumentedJson() throws IOException {
        String[] repo = repoWith("clinic-a");
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("db"));
        Files.writeString(src.resolve("db/clinic.sql"), "insert 1;\n");
        Files.writeString(src.resolve("notes.txt"), "notes");
        Files.createSymbolicLink(src.resolve("link"), Path.of("notes.txt"));

        Run b1 = cairn(args(repo, "backup", "--tag", "nightly", "--tag", "manual", "--host", "appliance", src.toString(), "--json"));
        assertThat(b1.code()).as(b1.toString()).isZero();
        JsonNode s1 = b1.json();
        assertThat(s1.path("id").asText()).matches(HEX64);
        assertThat(s1.path("shortId").asText()).isEqualTo(s1.path("id").asText().substring(0, 8));
        assertThat(s1.path("tenant").asText()).isEqualTo("clinic-a");
        assertThat(s1.path("hostname").asText()).isEqualTo("appliance");
        assertThat(s1.path("paths").get(0).asText()).isEqualTo(src.toString());
        assertThat(s1.path("tags").toString()).isEqualTo("[\"manual\",\"nightly\"]");
        assertThat(s1.path("parent").isNull()).isTrue();
        assertThat(s1.path("summary").path("files").asLong()).isEqualTo(2);
        assertThat(s1.path("summary").path("errors").asLong()).isZero();
        assertThat(s1.path("incomplete").isArray()).isTrue();

        Run list = cairn(args(repo, "snapshots", "--json"));
        assertThat(list.json().path("snapshots").get(0).path("id").asText()).isEqualTo(s1.path("id").asText());
        assertThat(cairn(args(repo, "snapshots", "--tag", "nightly", "--json")).json().path("snapshots").size()).isEqualTo(1);
        assertThat(cairn(args(repo, "snapshots", "--tag", "weekly", "--json")).json().path("snapshots").size()).isZero();
        Run shown = cairn(args(repo, "snapshots", s1.path("id").asText().substring(0, 6), "--json"));
        assertThat(shown.code()).as(shown.toString()).isZero();
        assertThat(shown.json().path("id").asText()).isEqualTo(s1.path("id").asText());
        assertThat(shown.json().path("summary").path("files").asLong()).isEqualTo(2);
        Run shownText = cairn(args(repo, "snapshots", "latest"));
        assertThat(shownText.out()).contains("snapshot   " + s1.path("id").asText()).contains("tags       manual,nightly");
        Run noSuch = cairn(args(repo, "snapshots", "ffffffff"));
        assertThat(noSuch.code()).isEqualTo(1);

        Run ls = cairn(args(repo, "ls", "latest", src.toString(), "--json"));
        assertThat(ls.code()).as(ls.toString()).isZero();
        JsonNode entries = ls.json().path("entries");
        assertThat(entries.size()).isEqualTo(3);
        JsonNode link = entries.get(1);
        assertThat(link.path("path").asText()).isEqualTo(src + "/link");
        assertThat(link.path("type").asText()).isEqualTo("symlink");
        assertThat(link.path("linkTarget").asText()).isEqualTo("notes.txt");
        JsonNode notes = entries.get(2);
        assertThat(notes.path("size").asLong()).isEqualTo(5);
        assertThat(notes.path("mode").asText()).matches("0[0-7]{3}");
        assertThat(java.util.Base64.getDecoder().decode(notes.path("pathBase64").asText())).isEqualTo((src + "/notes.txt").getBytes());
        assertThat(java.time.Instant.parse(notes.path("mtime").asText()))
                .isEqualTo(Files.getLastModifiedTime(src.resolve("notes.txt")).toInstant());

        Files.writeString(src.resolve("db/clinic.sql"), "insert 2;\n");
        Files.writeString(src.resolve("new.txt"), "new");
        Run b2 = cairn(args(repo, "backup", src.toString(), "--json"));
        assertThat(b2.json().path("parent").asText()).isEqualTo(s1.path("id").asText());

        Run diff = cairn(args(repo, "diff", s1.path("shortId").asText(), "latest", "--json"));
        assertThat(diff.code()).as(diff.toString()).isZero();
        List<String> changes = new ArrayList<>();
        diff.json().path("changes").forEach(c -> {
            if (c.path("path").asText().startsWith(src + "/")) {
                changes.add(c.path("change").asText() + " " + c.path("path").asText().substring(src.toString().length())
                        + " " + c.path("type").asText() + " content=" + c.path("content").asBoolean() + " " + c.path("metadata"));
            }
        });
        assertThat(changes).containsExactly("modified /db/clinic.sql file content=true [\"mtime\"]", "added /new.txt file content=false []");
        assertThat(diff.json().path("summary").path("added").asLong()).isEqualTo(1);

        Run find = cairn(args(repo, "find", "*.sql", "--json"));
        assertThat(find.json().path("pattern").asText()).isEqualTo("*.sql");
        assertThat(find.json().path("matches").size()).isEqualTo(2);
        JsonNode m = find.json().path("matches").get(0);
        assertThat(m.path("snapshot").asText()).isEqualTo(s1.path("id").asText());
        assertThat(m.path("path").asText()).isEqualTo(src + "/db/clinic.sql");
        assertThat(m.path("size").asLong()).isEqualTo(10);

        Path target = tmp.resolve("restored");
        Run restore = cairn(args(repo, "restore", s1.path("id").asText(), "--target", target.toString(), "--json"));
        assertThat(restore.code()).as(restore.toString()).isZero();
        assertThat(restore.json().path("files").asLong()).isEqualTo(2);
        assertThat(restore.json().path("skipped").size()).isZero();
        assertThat(Files.readString(target.resolve(src.toString().substring(1)).resolve("db/clinic.sql"))).isEqualTo("insert 1;\n");

        Run text = cairn(args(repo, "ls", "latest", src + "/db", "--recursive"));
        assertThat(text.out()).containsPattern("(?m)^-rw.* 10 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  " + Pattern.quote(src + "/db/clinic.sql") + "$");
    }

    @Test
    void aRestoreThatSkipsASocketExits1AndSaysWhat() throws IOException {
        String[] repo = repoWith("clinic-a");
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("file"), "x");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(src.resolve("app.sock")));
            assertThat(cairn(args(repo, "backup", src.toString())).code()).isZero();
        }
        Run r = cairn(args(repo, "restore", "latest", "--target", tmp.resolve("t").toString()));
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("1 entry was not restored").contains(src + "/app.sock").contains("socket");
        assertThat(tmp.resolve("t").resolve(src.toString().substring(1)).resolve("file")).hasContent("x");
    }

    @Test
    void operatorMistakesGetAClearMessageAndTheRightExitCode() throws IOException {
        String[] repo = repoWith("clinic-a");
        Path src = tmp.resolve("src");
        Files.createDirectories(src);
        Files.writeString(src.resolve("a"), "a");

        Run missing = cairn(args(repo, "backup", tmp.resolve("no-such-dir").toString()));
        assertThat(missing.code()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.err()).contains("exists");

        assertThat(cairn(args(repo, "backup", src.toString())).code()).isZero();
        Run noSnap = cairn(args(repo, "ls", "ffff"));
        assertThat(noSnap.code()).isEqualTo(1);
        assertThat(noSnap.err()).contains("cairn snapshots");

        Run noPath = cairn(args(repo, "ls", "latest", src + "/absent"));
        assertThat(noPath.code()).isEqualTo(1);
        assertThat(noPath.err()).contains("has no " + src + "/absent");

        Run restorePath = cairn(args(repo, "restore", "latest", "--target", tmp.resolve("t").toString(), "--path", src + "/absent"));
        assertThat(restorePath.code()).isEqualTo(1);
        assertThat(restorePath.err()).contains("has no " + src + "/absent");
        assertThat(tmp.resolve("t")).as("nothing restored for a path that is not there").doesNotExist();

        Run noTarget = cairn(args(repo, "restore", "latest"));
        assertThat(noTarget.code()).isEqualTo(2);
        assertThat(noTarget.err()).contains("--target");
        Run stdoutJson = cairn(args(repo, "restore", "latest", "--path", src + "/a", "--stdout", "--json"));
        assertThat(stdoutJson.code()).isEqualTo(2);

        Path full = tmp.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("x"), "x");
        Run notEmpty = cairn(args(repo, "restore", "latest", "--target", full.toString()));
        assertThat(notEmpty.code()).isEqualTo(1);
        assertThat(notEmpty.err()).contains("--overwrite");

        Run badGlob = cairn(args(repo, "find", "[abc"));
        assertThat(badGlob.code()).isEqualTo(1);
        assertThat(badGlob.err()).contains("not closed");

        Run noRepo = cairn("snapshots", "--hsm", hsm.token().hsmConf().toString());
        assertThat(noRepo.code()).isEqualTo(1);
        assertThat(noRepo.err()).contains("--repo");
    }
}
