package dev.cairn.engine.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.engine.retention.LockChange;
import dev.cairn.engine.retention.LockMode;
import dev.cairn.engine.retention.RetentionLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file format of docs/formats/repository.md section 7, and failing closed on anything else. */
class LockStoreTest {
    static final String ID = "5e1f0c8a".repeat(8);
    static final String TENANT = "clinic-a";

    @TempDir
    Path repo;
    LockStore store;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(repo.resolve("tmp"));
        store = new LockStore(repo);
    }

    static LockRecord record() {
        Instant created = Instant.parse("2026-11-28T16:00:00Z");
        RetentionLock lock = new RetentionLock(LockMode.COMPLIANCE, Instant.parse("2027-11-28T00:00:00Z"), false, created);
        return new LockRecord(ID, TENANT, lock, List.of(
                new LockRecord.Change(created, LockChange.CREATE, LockMode.GOVERNANCE, Instant.parse("2027-01-01T00:00:00Z"), false, null),
                new LockRecord.Change(Instant.parse("2026-11-29T09:00:00Z"), LockChange.EXTEND, LockMode.COMPLIANCE,
                        Instant.parse("2027-11-28T00:00:00Z"), false, null),
                new LockRecord.Change(Instant.parse("2026-11-29T09:00:00Z"), LockChange.TO_COMPLIANCE, LockMode.COMPLIANCE,
                        Instant.parse("2027-11-28T00:00:00Z"), false, null)));
    }

    /** The exact bytes of the example in section 7 of the format document. */
    static final String DOCUMENTED = "{\"version\":1,\"snapshot\":\"" + ID + "\",\"tenant\":\"clinic-a\",\"mode\":\"compliance\","
            + "\"retainUntil\":\"2027-11-28T00:00:00Z\",\"legalHold\":false,\"createdAt\":\"2026-11-28T16:00:00Z\","
            + "\"history\":[{\"at\":\"2026-11-28T16:00:00Z\",\"change\":\"create\",\"mode\":\"governance\","
            + "\"retainUntil\":\"2027-01-01T00:00:00Z\",\"legalHold\":false,\"approval\":null},"
            + "{\"at\":\"2026-11-29T09:00:00Z\",\"change\":\"extend\",\"mode\":\"compliance\","
            + "\"retainUntil\":\"2027-11-28T00:00:00Z\",\"legalHold\":false,\"approval\":null},"
            + "{\"at\":\"2026-11-29T09:00:00Z\",\"change\":\"to-compliance\",\"mode\":\"compliance\","
            + "\"retainUntil\":\"2027-11-28T00:00:00Z\",\"legalHold\":false,\"approval\":null}]}\n";

    @Test
    void writesTheDocumentedBytesAndReadsThemBack() throws Exception {
        store.write(record());
        Path f = repo.resolve("locks/clinic-a/" + ID + ".lock");
        assertThat(Files.readString(f)).isEqualTo(DOCUMENTED);
        assertThat(store.read(TENANT, ID)).contains(record());
        assertThat(store.ids(TENANT)).containsExactly(ID);
        assertThat(Files.getPosixFilePermissions(f)).hasSize(2); // 0600
        assertThat(Files.list(repo.resolve("tmp"))).isEmpty();
    }

    @Test
    void anApprovalReferenceRoundTrips() {
        LockRecord r = record().next(record().lock().withLegalHold(true), List.of(new LockRecord.Change(
                Instant.parse("2026-12-01T00:00:00Z"), LockChange.RELEASE_LEGAL_HOLD, LockMode.COMPLIANCE,
                Instant.parse("2027-11-28T00:00:00Z"), false, "6f1c2e1a-0b7d-4c39-9a4e-2d5f8e3b7a10")));
        store.write(r);
        assertThat(store.read(TENANT, ID).orElseThrow().history().getLast().approval())
                .isEqualTo("6f1c2e1a-0b7d-4c39-9a4e-2d5f8e3b7a10");
    }

    @Test
    void noFileIsNoLockAndUnknownMembersAreIgnored() throws Exception {
        assertThat(store.read(TENANT, ID)).isEmpty();
        write(DOCUMENTED.replace("\"version\":1,", "\"version\":1,\"comment\":\"later field\","));
        assertThat(store.read(TENANT, ID)).contains(record());
    }

    @Test
    void everyDamageFailsClosedNamingTheSnapshotAndWhatToDo() throws Exception {
        String[] damaged = {
            "",
            "{not json",
            DOCUMENTED.substring(0, DOCUMENTED.length() / 2),
            "[1,2]",
            DOCUMENTED.replace("\"version\":1", "\"version\":2"),
            DOCUMENTED.replace("\"version\":1,", ""),
            DOCUMENTED.replace("\"snapshot\":\"5e1f", "\"snapshot\":\"6e1f"),
            DOCUMENTED.replace("\"tenant\":\"clinic-a\"", "\"tenant\":\"clinic-b\""),
            DOCUMENTED.replace("\"mode\":\"compliance\",\"retainUntil\":\"2027-11-28T00:00:00Z\",\"legalHold\":false,\"createdAt\"",
                    "\"mode\":\"none\",\"retainUntil\":\"2027-11-28T00:00:00Z\",\"legalHold\":false,\"createdAt\""),
            DOCUMENTED.replace("\"retainUntil\":\"2027-11-28T00:00:00Z\",\"legalHold\":false,\"createdAt\"",
                    "\"retainUntil\":\"next year\",\"legalHold\":false,\"createdAt\""),
            DOCUMENTED.replace("\"legalHold\":false,\"createdAt\"", "\"legalHold\":\"no\",\"createdAt\""),
            DOCUMENTED.substring(0, DOCUMENTED.indexOf(",\"history\"")) + ",\"history\":[]}",
            DOCUMENTED.replace("\"change\":\"create\"", "\"change\":\"rename\""),
            DOCUMENTED.replace("\"approval\":null}]", "}]"),
        };
        for (String text : damaged) {
            write(text);
            assertThatThrownBy(() -> store.read(TENANT, ID)).as(text)
                    .isInstanceOfSatisfying(LockFileException.class, e -> {
                        assertThat(e.snapshot()).isEqualTo(ID);
                        assertThat(e.tenant()).isEqualTo(TENANT);
                    })
                    .hasMessageContaining("snapshot " + ID)
                    .hasMessageContaining("treats the snapshot as locked forever")
                    .hasMessageContaining("Restore locks/clinic-a/" + ID + ".lock");
        }
    }

    @Test
    void anUnreadableFileFailsClosedToo() throws Exception {
        Files.createDirectories(repo.resolve("locks/clinic-a/" + ID + ".lock")); // a directory where the file should be
        assertThatThrownBy(() -> store.read(TENANT, ID)).isInstanceOf(LockFileException.class).hasMessageContaining(ID);
    }

    @Test
    void idsThatAreNotSnapshotIdsAreRefusedBeforeAnyPathIsBuilt() {
        assertThatThrownBy(() -> store.read(TENANT, "../../config")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.file(TENANT, ID.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesTheFile() {
        store.write(record());
        store.delete(TENANT, ID);
        assertThat(store.read(TENANT, ID)).isEmpty();
        assertThat(store.ids(TENANT)).isEmpty();
    }

    private void write(String text) throws Exception {
        Path f = repo.resolve("locks/clinic-a/" + ID + ".lock");
        Files.createDirectories(f.getParent());
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
    }
}
