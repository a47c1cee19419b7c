package dev.cairn.mgmt.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The host's clock-sync state from {@code chronyc -n tracking}, else {@code timedatectl show -p
 * NTPSynchronized --value}, else {@link ClockSync#UNKNOWN} (docs/formats/audit-log.md, section 7). Each
 * command gets {@link #COMMAND_TIMEOUT}; the answer is cached for {@link #CACHE_FOR} by the injected clock.
 * Thread safe.
 */
public final class SystemClockSyncProbe implements ClockSyncProbe {
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration CACHE_FOR = Duration.ofSeconds(60);

    private final Clock clock;
    private final Function<List<String>, String> runner;
    private ClockSync cached;
    private Instant cachedAt;

    /** The real commands. */
    public SystemClockSyncProbe(Clock clock) {
        this(clock, SystemClockSyncProbe::run);
    }

    /** With a command runner that returns a command's stdout, or null when it did not answer (tests). */
    SystemClockSyncProbe(Clock clock, Function<List<String>, String> runner) {
        this.clock = clock;
        this.runner = runner;
    }

    @Override
    public synchronized ClockSync current() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(cachedAt.plus(CACHE_FOR)) || now.isBefore(cachedAt)) {
            cached = probe();
            cachedAt = now;
        }
        return cached;
    }

    private ClockSync probe() {
        ClockSync c = parseChrony(runner.apply(List.of("chronyc", "-n", "tracking")));
        if (c != ClockSync.UNKNOWN) {
            return c;
        }
        return parseTimedatectl(runner.apply(List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value")));
    }

    static ClockSync parseChrony(String out) {
        if (out == null) {
            return ClockSync.UNKNOWN;
        }
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("Leap status")) {
                String v = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                if (v.equals("normal") || v.equals("insert second") || v.equals("delete second")) {
                    return ClockSync.SYNCHRONIZED;
                }
                if (v.equals("not synchronised")) {
                    return ClockSync.UNSYNCHRONIZED;
                }
            }
        }
        return ClockSync.UNKNOWN;
    }

    static ClockSync parseTimedatectl(String out) {
        if (out == null) {
            return ClockSync.UNKNOWN;
        }
        return switch (out.trim()) {
            case "yes" -> ClockSync.SYNCHRONIZED;
            case "no" -> ClockSync.UNSYNCHRONIZED;
            default -> ClockSync.UNKNOWN;
        };
    }

    /** stdout of a command that exited 0 within the timeout, else null. */
    private static String run(List<String> command) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null; // not installed
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) {
                return null;
            }
            try (InputStream in = p.getInputStream()) {
                return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        }
    }
}
