package dev.cairn.mgmt.audit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Search over an audit log directory (docs/formats/audit-log.md, section 10): entries in seq order that
 * match an {@link AuditQuery}, a page at a time. It reads, it does not verify: run {@link AuditVerifier}
 * for that. Lines that do not decode, checkpoints and torn tails are skipped. Stateless and thread safe.
 */
public final class AuditSearch {

    private AuditSearch() {
    }

    /**
     * One page of results.
     *
     * @param entries    the matching entries, in seq order
     * @param nextCursor pass it back for the next page; null when this page is the last
     */
    public record Page(List<AuditEntry> entries, String nextCursor) {
        public Page {
            entries = List.copyOf(entries);
        }
    }

    public static Page search(Path dir, AuditQuery q) throws IOException {
        long after = q.cursor() == null ? 0 : AuditQuery.afterSeq(q.cursor());
        List<AuditEntry> page = new ArrayList<>();
        List<Path> files = Segments.list(dir);
        for (Path file : files) {
            for (byte[] bytes : Segments.read(file).lines()) {
                AuditCodec.Line line;
                try {
                    line = AuditCodec.decode(bytes);
                } catch (AuditCodec.FormatException e) {
                    continue;
                }
                if (!(line instanceof AuditCodec.EntryLine el) || el.entry().seq() <= after || !q.matches(el.entry())) {
                    continue;
                }
                if (page.size() == q.limit()) {
                    AuditEntry last = page.getLast();
                    return new Page(page, "s" + last.seq());
                }
                page.add(el.entry());
            }
        }
        return new Page(page, null);
    }
}
