package dev.cairn.mgmt.audit;

import static dev.cairn.mgmt.audit.AuditFixture.editable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Search filters and paging over a log of 60 entries in several segments, written with a real audit key. */
class AuditSearchTest {
    @RegisterExtension
    static final SoftHsmExtension hsm = new SoftHsmExtension();

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeLog() {
        try (Pkcs11KeyVault vault = hsm.token().open()) {
            // entry i at START + (i-1) s; actor user(i%3); action by parity; targets tenant:clinic-(i%4), item:i;
            // outcome denied when i%5==0. A new segment after every checkpoint (every 8).
            AuditFixture.write(dir, vault.auditSigner(), editable(8).withMaxSegmentBytes(1), 60);
        }
    }

    private static AuditQuery q(Instant from, Instant to, String actor, String action, String target, Outcome outcome,
                                int limit, String cursor) {
        return new AuditQuery(from, to, actor, action, target, outcome, limit, cursor);
    }

    private static List<Long> seqs(AuditSearch.Page p) {
        return p.entries().stream().map(AuditEntry::seq).toList();
    }

    @Test
    void filtersCombine() throws IOException {
        assertThat(Segments.list(dir)).hasSizeGreaterThan(5);
        assertThat(seqs(AuditSearch.search(dir, q(null, null, "user1", null, null, null, 1000, null))))
                .containsExactly(1L, 4L, 7L, 10L, 13L, 16L, 19L, 22L, 25L, 28L, 31L, 34L, 37L, 40L, 43L, 46L, 49L, 52L, 55L, 58L);
        assertThat(seqs(AuditSearch.search(dir, q(null, null, "user1", "snapshot.list", null, null, 1000, null))))
                .containsExactly(4L, 10L, 16L, 22L, 28L, 34L, 40L, 46L, 52L, 58L);
        assertThat(seqs(AuditSearch.search(dir, q(null, null, null, null, "item:17", null, 1000, null)))).containsExactly(17L);
        assertThat(seqs(AuditSearch.search(dir, q(null, null, null, null, "tenant:clinic-3", Outcome.DENIED, 1000, null))))
                .containsExactly(15L, 35L, 55L);
        Instant from = AuditFixture.START.plusSeconds(9);  // entry 10
        Instant to = AuditFixture.START.plusSeconds(14);   // entry 15, exclusive
        assertThat(seqs(AuditSearch.search(dir, q(from, to, null, null, null, null, 1000, null))))
                .containsExactly(10L, 11L, 12L, 13L, 14L);
        assertThat(AuditSearch.search(dir, q(null, null, "nobody", null, null, null, 10, null)).entries()).isEmpty();
    }

    @Test
    void pagesFollowTheCursorWithoutOverlapOrLoss() throws IOException {
        List<Long> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            AuditSearch.Page p = AuditSearch.search(dir, q(null, null, null, "keys.rotate", null, null, 7, cursor));
            assertThat(p.entries()).hasSizeLessThanOrEqualTo(7);
            all.addAll(seqs(p));
            cursor = p.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(5); // 30 odd entries: 7, 7, 7, 7, 2
        List<Long> odd = new ArrayList<>();
        for (long i = 1; i <= 60; i += 2) {
            odd.add(i);
        }
        assertThat(all).isEqualTo(odd);

        AuditSearch.Page first = AuditSearch.search(dir, q(null, null, null, null, null, null, 10, null));
        assertThat(first.nextCursor()).isEqualTo("s10");
        assertThat(seqs(AuditSearch.search(dir, q(null, null, null, null, null, null, 3, "s10")))).containsExactly(11L, 12L, 13L);
        assertThat(AuditSearch.search(dir, q(null, null, null, null, null, null, 10, "s50")).nextCursor()).isNull();
    }

    @Test
    void badQueriesSayWhatIsWrong() {
        assertThatThrownBy(() -> q(null, null, null, null, null, null, 0, null)).hasMessageContaining("limit must be 1 to 1000");
        assertThatThrownBy(() -> q(null, null, null, null, null, null, 10, "xyz")).hasMessageContaining("cursor");
        assertThatThrownBy(() -> q(AuditFixture.START, AuditFixture.START, null, null, null, null, 10, null))
                .hasMessageContaining("from must be before to");
    }
}
