package dev.cairn.engine.retention;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which snapshots of a group to keep (docs/retention.md, "The policy language"). A snapshot is kept
 * if any rule keeps it; everything else of the group is forgotten, except snapshots with an active
 * lock, which no policy can forget.
 *
 * <p>The bucket counts are {@code >= 0}, or {@link #UNLIMITED} ({@code -1}) to keep the newest
 * snapshot of every bucket that exists. {@code 0} switches a rule off.
 *
 * <p><b>An empty policy is refused.</b> A policy that keeps nothing by any rule ({@link #isEmpty()})
 * would forget every unlocked snapshot. restic treats an empty policy as "keep everything"; Cairn
 * refuses it instead ({@link RetentionPlanner#plan} throws), so that a missing option can neither
 * delete a clinic's backups nor silently do nothing while the operator believes retention runs.
 *
 * @param keepLast    keep the newest N snapshots
 * @param keepHourly  keep the newest snapshot of each of the newest N hours that have one
 * @param keepDaily   ... of each of the newest N days
 * @param keepWeekly  ... of each of the newest N ISO weeks (Monday to Sunday, ISO week-based year)
 * @param keepMonthly ... of each of the newest N calendar months
 * @param keepYearly  ... of each of the newest N calendar years
 * @param keepWithin  keep every snapshot taken after {@code now - keepWithin}; {@link Duration#ZERO} switches it off
 * @param keepTags    keep every snapshot that has at least one of these tags (copied; may be empty)
 * @param zone        the time zone in which hours, days, weeks, months and years begin
 */
public record KeepPolicy(
        int keepLast,
        int keepHourly,
        int keepDaily,
        int keepWeekly,
        int keepMonthly,
        int keepYearly,
        Duration keepWithin,
        Set<String> keepTags,
        ZoneId zone) {

    /** A count that keeps the newest snapshot of every bucket (every snapshot, for {@code keepLast}). */
    public static final int UNLIMITED = -1;

    public KeepPolicy {
        requireCount(keepLast, "keepLast");
        requireCount(keepHourly, "keepHourly");
        requireCount(keepDaily, "keepDaily");
        requireCount(keepWeekly, "keepWeekly");
        requireCount(keepMonthly, "keepMonthly");
        requireCount(keepYearly, "keepYearly");
        Objects.requireNonNull(keepWithin, "keepWithin");
        if (keepWithin.isNegative()) {
            throw new IllegalArgumentException("keepWithin must not be negative, was " + keepWithin);
        }
        Objects.requireNonNull(keepTags, "keepTags");
        for (String tag : keepTags) {
            if (tag == null || tag.isBlank() || tag.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("keepTags must not contain a blank tag or control characters");
            }
        }
        keepTags = Set.copyOf(keepTags);
        Objects.requireNonNull(zone, "zone");
    }

    /** The same policy with buckets in UTC. */
    public KeepPolicy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly,
                      Duration keepWithin, Set<String> keepTags) {
        this(keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly, keepWithin, keepTags, ZoneOffset.UTC);
    }

    /** A builder with every rule off (counts 0, within zero, no tags) and zone UTC. */
    public static Builder builder() {
        return new Builder();
    }

    /** True if no rule is on: every count 0, {@code keepWithin} zero and no tags. Such a policy is refused by the planner. */
    public boolean isEmpty() {
        return keepLast == 0 && keepHourly == 0 && keepDaily == 0 && keepWeekly == 0 && keepMonthly == 0
                && keepYearly == 0 && keepWithin.isZero() && keepTags.isEmpty();
    }

    /**
     * One line for humans and audit records, rules in a fixed order, for example
     * {@code keep last 3, daily 7, monthly all, within 30d, tag legal (zone Europe/Berlin)}.
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        count(parts, "last", keepLast);
        count(parts, "hourly", keepHourly);
        count(parts, "daily", keepDaily);
        count(parts, "weekly", keepWeekly);
        count(parts, "monthly", keepMonthly);
        count(parts, "yearly", keepYearly);
        if (!keepWithin.isZero()) {
            parts.add("within " + formatDuration(keepWithin));
        }
        for (String tag : new TreeSet<>(keepTags)) {
            parts.add("tag " + tag);
        }
        String rules = parts.isEmpty() ? "nothing (empty policy)" : String.join(", ", parts);
        return "keep " + rules + " (zone " + zone.getId() + ")";
    }

    private static void count(List<String> parts, String name, int n) {
        if (n == UNLIMITED) {
            parts.add(name + " all");
        } else if (n > 0) {
            parts.add(name + " " + n);
        }
    }

    private static void requireCount(int n, String name) {
        if (n < UNLIMITED) {
            throw new IllegalArgumentException(name + " must be >= 0, or -1 for unlimited, was " + n);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /**
     * Parses the {@code --keep-within} syntax: days, hours, minutes and seconds in that order, each
     * optional, at least one present: {@code 30d}, {@code 1d12h}, {@code 90m}. There are no months
     * or years, because they are not fixed durations: write {@code 365d}. {@code 0d} is zero (off).
     *
     * @throws IllegalArgumentException with the accepted syntax if {@code text} does not match
     */
    public static Duration parseDuration(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text
                    + "'; write days, hours, minutes, seconds like 30d, 1d12h, 90m (no months or years: write 365d)");
        }
        try {
            Duration d = Duration.ZERO;
            if (m.group(1) != null) {
                d = d.plusDays(Long.parseLong(m.group(1)));
            }
            if (m.group(2) != null) {
                d = d.plusHours(Long.parseLong(m.group(2)));
            }
            if (m.group(3) != null) {
                d = d.plusMinutes(Long.parseLong(m.group(3)));
            }
            if (m.group(4) != null) {
                d = d.plusSeconds(Long.parseLong(m.group(4)));
            }
            return d;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration too large: '" + text + "'", e);
        }
    }

    /**
     * The inverse of {@link #parseDuration} for whole seconds: {@code 30d}, {@code 1d12h}, {@code 0s}.
     * A duration with a fraction of a second is written in ISO-8601 ({@link Duration#toString()}).
     */
    public static String formatDuration(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative() || d.getNano() != 0) {
            return d.toString();
        }
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, d.toDaysPart(), "d");
        append(sb, d.toHoursPart(), "h");
        append(sb, d.toMinutesPart(), "m");
        append(sb, d.toSecondsPart(), "s");
        return sb.toString();
    }

    private static void append(StringBuilder sb, long value, String unit) {
        if (value != 0) {
            sb.append(value).append(unit);
        }
    }

    /**
     * Builds a {@link KeepPolicy}. Defaults: every count 0 (rule off), {@code keepWithin}
     * {@link Duration#ZERO}, no tags, zone UTC. Not thread-safe; {@link #build()} validates.
     */
    public static final class Builder {
        private int last;
        private int hourly;
        private int daily;
        private int weekly;
        private int monthly;
        private int yearly;
        private Duration within = Duration.ZERO;
        private final Set<String> tags = new TreeSet<>();
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        public Builder keepLast(int n) {
            this.last = n;
            return this;
        }

        public Builder keepHourly(int n) {
            this.hourly = n;
            return this;
        }

        public Builder keepDaily(int n) {
            this.daily = n;
            return this;
        }

        public Builder keepWeekly(int n) {
            this.weekly = n;
            return this;
        }

        public Builder keepMonthly(int n) {
            this.monthly = n;
            return this;
        }

        public Builder keepYearly(int n) {
            this.yearly = n;
            return this;
        }

        public Builder keepWithin(Duration d) {
            this.within = d;
            return this;
        }

        /** Adds tags; may be called repeatedly, like {@code --keep-tag}. */
        public Builder keepTag(String... tags) {
            this.tags.addAll(List.of(tags));
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = zone;
            return this;
        }

        public KeepPolicy build() {
            return new KeepPolicy(last, hourly, daily, weekly, monthly, yearly, within, tags, zone);
        }
    }
}
