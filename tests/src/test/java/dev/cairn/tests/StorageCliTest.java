package dev.cairn.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.testing.TreeListing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage commands as an operator runs them, each in its own JVM (the launcher's way): repo init,
 * add-tenant, backup of a tree with every kind of content and metadata, snapshots, ls, find, a second backup
 * after changes and diff, restore into a directory (compared with the source, metadata included) and one
 * file to stdout.
 */
class StorageCliTest {
    private static final String TENANT = "clinic-a";

    @TempDir
    static Path tmp;
    static CairnProcess cairn;
    static Path hsmConf;
    static Path repo;
    static Path src;
    static String[] opts;

    @BeforeAll
    static void tokenRepositoryAndTenant() throws Exception {
        cairn = new CairnProcess(tmp, Duration.ofSeconds(120));
        CairnProcess.Result token = cairn.run("keys", "init-softhsm", tmp.resolve("token").toString());
        assertThat(token.code()).as(token.toString()).isZero();
        hsmConf = tmp.resolve("token/hsm.conf");
        repo = tmp.resolve("repo");
        opts = new String[] {"--repo", repo.toString(), "--hsm", hsmConf.toString()};
        src = tmp.resolve("clinic");
        SampleTree.varied(src, 42);
    }

    static String[] cmd(String command, String... rest) {
        List<String> a = new ArrayList<>();
        a.addAll(List.of(command.split(" ")));
        a.addAll(List.of(opts));
        a.addAll(List.of(rest));
        return a.toArray(String[]::new);
    }

    static CairnProcess.Result ok(String command, String... rest) {
        CairnProcess.Result r = cairn.run(cmd(command, rest));
        assertThat(r.code()).as("cairn " + command + " " + String.join(" ", rest) + "\n" + r).isZero();
        return r;
    }

    /** Where {@code src} lands under a restore target: its whole path below the target. */
    static Path restored(Path target) {
        return target.resolve(src.toString().substring(1));
    }

    @Test
    void roundTripThroughTheCommandLine() throws Exception {
        JsonNode init = ok("repo init", "--json").json();
        assertThat(init.path("id").asText()).hasSize(64);
        CairnProcess.Result again = cairn.run(cmd("repo init"));
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("not empty");
        JsonNode tenant = ok("repo add-tenant", "--tenant", TENANT, "--json").json();
        assertThat(tenant.path("kekCreated").asBoolean()).isTrue();

        // ---- first backup
        List<String> before = TreeListing.of(src);
        JsonNode b1 = ok("backup", "--tenant", TENANT, "--tag", "nightly", "--tag", "day-1", src.toString(), "--json").json();
        String s1 = b1.path("id").asText();
        assertThat(b1.path("summary").path("errors").asLong()).as(b1.toPrettyString()).isZero();
        long files = before.stream().filter(l -> l.contains(" FILE ")).count();
        assertThat(b1.path("summary").path("files").asLong()).isEqualTo(files);
        CairnProcess.Result text = ok("backup", src.toString());
        assertThat(text.out()).containsPattern("snapshot [0-9a-f]{64} saved \\(tenant clinic-a, parent " + s1.substring(0, 8) + "\\)")
                .contains("files " + files + ", dirs ").contains("bytes read 0 B").contains("new blobs ");

        // ---- snapshots
        JsonNode list = ok("snapshots", "--json").json();
        assertThat(list.path("tenant").asText()).isEqualTo(TENANT);
        JsonNode first = list.path("snapshots").get(0);
        assertThat(first.path("id").asText()).isEqualTo(s1);
        assertThat(first.path("tags").toString()).isEqualTo("[\"day-1\",\"nightly\"]");
        assertThat(first.path("paths").get(0).asText()).isEqualTo(src.toString());
        assertThat(list.path("snapshots").size()).isEqualTo(2);

        // ---- ls: entries with type, mode, size, mtime, owner; the odd name through its escapes
        JsonNode ls = ok("ls", s1.substring(0, 8), src.toString(), "--json").json();
        Map<String, JsonNode> byName = new TreeMap<>();
        ls.path("entries").forEach(e -> byName.put(e.path("path").asText().substring(src.toString().length() + 1), e));
        assertThat(byName).containsKeys("docs", "db", "pipe", "disk.raw", "setuid-tool", SampleTree.ODD_DISPLAY, "caf\u00e9-r\u00e9sum\u00e9.txt");
        assertThat(byName.get("setuid-tool").path("mode").asText()).isEqualTo("4755");
        assertThat(byName.get("shared").path("mode").asText()).isEqualTo("1777");
        assertThat(byName.get("pipe").path("type").asText()).isEqualTo("fifo");
        assertThat(byName.get("disk.raw").path("size").asLong()).isEqualTo(64L << 20);
        assertThat(byName.get("dangling").path("linkTarget").asText()).isEqualTo("/nonexistent/clinic/target");
        assertThat(Instant.parse(byName.get("exec.sh").path("mtime").asText()))
                .isEqualTo(Files.getLastModifiedTime(src.resolve("exec.sh")).toInstant());
        assertThat(Base64.getDecoder().decode(byName.get(SampleTree.ODD_DISPLAY).path("pathBase64").asText()))
                .endsWith(SampleTree.ODD_NAME);
        if (SampleTree.ROOT) {
            assertThat(byName.get("owned-by-another").path("uid").asLong()).isEqualTo(1234);
            assertThat(byName.get("owned-by-another").path("gid").asLong()).isEqualTo(5678);
            assertThat(byName.get("null-device").path("type").asText()).isEqualTo("chardev");
        }
        CairnProcess.Result odd = ok("ls", "latest", src + "/" + SampleTree.ODD_DISPLAY);
        assertThat(odd.out()).containsPattern("^-rw-r----- \\S+ +14 2017-07-14T02:40:00Z  " + java.util.regex.Pattern.quote(src + "/"
                + SampleTree.ODD_DISPLAY) + "\\n$");
        CairnProcess.Result deep = ok("ls", "latest", src + "/deep", "--recursive");
        assertThat(deep.out().lines().count()).isEqualTo(26);
        assertThat(deep.out()).contains("/level-24/bottom.txt");

        // ---- find: a name glob across both snapshots, and a path
        JsonNode found = ok("find", "*.sql", "--json").json();
        List<String> hits = new ArrayList<>();
        found.path("matches").forEach(m -> hits.add(m.path("snapshot").asText().substring(0, 8) + " "
                + m.path("path").asText().substring(src.toString().length())));
        String s2 = list.path("snapshots").get(1).path("id").asText();
        assertThat(hits).containsExactly(s1.substring(0, 8) + " /db/clinic-hardlink.sql", s1.substring(0, 8) + " /db/clinic.sql",
                s2.substring(0, 8) + " /db/clinic-hardlink.sql", s2.substring(0, 8) + " /db/clinic.sql");
        assertThat(found.path("matches").get(1).path("size").asLong()).isEqualTo(2_000_000);
        CairnProcess.Result byPath = ok("find", src + "/images/*.img");
        assertThat(byPath.out()).contains(src + "/images/scan-001.img").contains("2 matches");
        CairnProcess.Result odds = ok("find", "scan\\xff*");
        assertThat(odds.out()).contains(src + "/" + SampleTree.ODD_DISPLAY).contains("2 matches");

        // ---- change things, back up again, diff
        SampleTree.text(src.resolve("db/clinic.sql"), 2_100_000, 7); // through the hardlink too
        Files.writeString(src.resolve("docs/new.txt"), "a new letter\n");
        Files.delete(src.resolve("images/photo.jpg"));
        Files.setPosixFilePermissions(src.resolve("exec.sh"), PosixFilePermissions.fromString("rwx------"));
        Files.setLastModifiedTime(src.resolve("docs/report-2.txt"), FileTime.from(Instant.parse("2025-05-05T05:05:05.123456789Z")));
        List<String> after = TreeListing.of(src);
        JsonNode b3 = ok("backup", src.toString(), "--json").json();
        String s3 = b3.path("id").asText();
        assertThat(b3.path("parent").asText()).isEqualTo(s2);
        JsonNode diff = ok("diff", s1.substring(0, 8), s3.substring(0, 8), "--json").json();
        Map<String, String> changes = new TreeMap<>();
        diff.path("changes").forEach(c -> {
            String p = c.path("path").asText();
            if (p.startsWith(src + "/")) {
                changes.put(p.substring(src.toString().length() + 1), c.path("change").asText()
                        + (c.path("change").asText().equals("modified") ? " content=" + c.path("content").asBoolean() + " " + c.path("metadata") : ""));
            }
        });
        assertThat(changes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "db/clinic.sql", "modified content=true [\"mtime\"]",
                "db/clinic-hardlink.sql", "modified content=true [\"mtime\"]",
                "docs", "modified content=false [\"mtime\"]",
                "docs/new.txt", "added",
                "docs/report-2.txt", "modified content=false [\"mtime\"]",
                "exec.sh", "modified content=false [\"mode\"]",
                "images", "modified content=false [\"mtime\"]",
                "images/photo.jpg", "removed"));
        CairnProcess.Result diffText = ok("diff", s1.substring(0, 8), s3.substring(0, 8));
        assertThat(diffText.out()).contains("+ " + src + "/docs/new.txt\n").contains("- " + src + "/images/photo.jpg\n")
                .contains("M " + src + "/db/clinic.sql (content, mtime)\n").contains("U " + src + "/exec.sh (mode)\n");

        // ---- restore both versions and compare with the source, metadata included
        Path t3 = tmp.resolve("restore-3");
        JsonNode r3 = ok("restore", "latest", "--target", t3.toString(), "--json").json();
        assertThat(r3.path("skipped").size()).as(r3.toPrettyString()).isZero();
        assertThat(TreeListing.of(restored(t3))).containsExactlyElementsOf(after);
        Path t1 = tmp.resolve("restore-1");
        ok("restore", s1.substring(0, 8), "--target", t1.toString());
        assertThat(TreeListing.of(restored(t1))).containsExactlyElementsOf(before);
        assertThat(Files.size(restored(t1).resolve("disk.raw"))).isEqualTo(64L << 20);

        // ---- chosen paths only, and one file to stdout
        Path part = tmp.resolve("restore-part");
        ok("restore", s1.substring(0, 8), "--target", part.toString(), "--path", src + "/docs", "--path", src + "/" + SampleTree.ODD_DISPLAY);
        try (var s = Files.list(restored(part))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).hasSize(2).contains("docs");
        }
        CairnProcess.Result one = ok("restore", s1.substring(0, 8), "--path", src + "/db/clinic.sql", "--stdout");
        assertThat(one.stdout()).isEqualTo(Files.readAllBytes(restored(t1).resolve("db/clinic.sql")));
        CairnProcess.Result sparse = ok("restore", "latest", "--path", src + "/disk.raw", "--stdout");
        assertThat(sparse.stdout()).isEqualTo(Files.readAllBytes(src.resolve("disk.raw")));
        CairnProcess.Result oddOut = ok("restore", "latest", "--path", src + "/" + SampleTree.ODD_DISPLAY, "--stdout");
        assertThat(new String(oddOut.stdout(), StandardCharsets.US_ASCII)).isEqualTo("not utf-8 name");

        // ---- a second tenant: --tenant becomes required, and the error names no tenant
        ok("repo add-tenant", "--tenant", "clinic-b");
        CairnProcess.Result which = cairn.run(cmd("snapshots"));
        assertThat(which.code()).isEqualTo(1);
        assertThat(which.err()).contains("--tenant").doesNotContain(TENANT).doesNotContain("clinic-b");
        assertThat(ok("snapshots", "--tenant", "clinic-b", "--json").json().path("snapshots").size()).isZero();
    }

    /**
     * A backup that cannot read a file still writes its snapshot, says so, lists the file and exits 1. Root
     * reads every file, so the CLI runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (setpriv).
     */
    @Test
    void aBackupThatCannotReadAFileWritesTheSnapshotListsTheFileAndExits1() throws Exception {
        Path repo2 = tmp.resolve("repo-unreadable");
        String[] o = {"--repo", repo2.toString(), "--hsm", hsmConf.toString()};
        assertThat(cairn.run(concat(new String[] {"repo", "init"}, o)).code()).isZero();
        assertThat(cairn.run(concat(new String[] {"repo", "add-tenant", "--tenant", "clinic-u"}, o)).code()).isZero();
        Path dir = tmp.resolve("unreadable");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("readable.txt"), "fine");
        Files.writeString(dir.resolve("locked.txt"), "secret");
        Files.setPosixFilePermissions(dir.resolve("locked.txt"), PosixFilePermissions.fromString("---------"));
        List<String> prefix = SampleTree.ROOT ? List.of("setpriv", "--bounding-set", "-dac_override,-dac_read_search") : List.of();

        CairnProcess.Result r = cairn.runWith(prefix, concat(new String[] {"backup"}, o, new String[] {dir.toString()}));

        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).containsPattern("snapshot [0-9a-f]{64} saved").contains("errors 1");
        assertThat(r.err()).contains("could not be backed up completely").contains("was written")
                .contains(dir + "/locked.txt: cannot read: EACCES");
        JsonNode snaps = cairn.run(concat(new String[] {"snapshots", "--json"}, o)).json();
        assertThat(snaps.path("snapshots").size()).isEqualTo(1);
        assertThat(snaps.path("snapshots").get(0).path("summary").path("errors").asLong()).isEqualTo(1);
        JsonNode ls = cairn.run(concat(new String[] {"ls", "latest", dir + "/locked.txt", "--json"}, o)).json();
        assertThat(ls.path("entries").get(0).path("incomplete").asBoolean()).isTrue();
        assertThat(ls.path("entries").get(0).path("error").asText()).isEqualTo("cannot read: EACCES");
    }

    static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(List.of(p));
        }
        return all.toArray(String[]::new);
    }
}
