package dev.cairn.mgmt.audit;

import java.time.Instant;

/**
 * Filters and paging for {@link AuditSearch} (docs/formats/audit-log.md, section 10). Every filter is
 * optional (null means any); an entry must match all given ones.
 *
 * @param from    earliest time, inclusive
 * @param to      latest time, exclusive
 * @param actor   equal to the entry's actor
 * @param action  equal to the entry's action
 * @param target  equal to one of the entry's targets
 * @param outcome equal to the entry's outcome
 * @param limit   at most this many entries, 1 to {@link #MAX_LIMIT}
 * @param cursor  from a previous {@link AuditSearch.Page#nextCursor()}, or null for the first page
 */
public record AuditQuery(Instant from, Instant to, String actor, String action, String target, Outcome outcome,
                         int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the time range is empty: from must be before to");
        }
        if (cursor != null) {
            afterSeq(cursor);
        }
    }

    /** Everything, first page. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, null, DEFAULT_LIMIT, null);
    }

    /** The seq a cursor points after. */
    static long afterSeq(String cursor) {
        if (!cursor.matches("s[0-9]{1,16}")) {
            throw new IllegalArgumentException("not a search cursor (expected s<seq>, as a previous page returned it)");
        }
        return Long.parseLong(cursor.substring(1));
    }

    boolean matches(AuditEntry e) {
        AuditEvent ev = e.event();
        return (from == null || !e.time().isBefore(from))
                && (to == null || e.time().isBefore(to))
                && (actor == null || actor.equals(ev.actor()))
                && (action == null || action.equals(ev.action()))
                && (target == null || ev.targets().contains(target))
                && (outcome == null || outcome == ev.outcome());
    }
}
