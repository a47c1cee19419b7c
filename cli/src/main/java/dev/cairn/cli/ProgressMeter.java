package dev.cairn.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One line of progress on stderr for long commands: files, bytes, rate and, when the total is known, an
 * ETA. It draws only when stderr is a terminal (a pipe or a log gets nothing, so scripts and --json
 * output stay clean), at most four times a second, redrawing the same line with {@code \r}. It never
 * prints names: a progress line may end up in a screenshot or a ticket.
 */
final class ProgressMeter implements AutoCloseable {
    private static final long INTERVAL_NS = 250_000_000L;

    private final PrintWriter err;
    private final String verb;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastWidth;

    ProgressMeter(PrintWriter err, String verb, boolean enabled) {
        this.err = err;
        this.verb = verb;
        this.enabled = enabled;
    }

    /** A meter that draws when the process's stderr is a terminal and output is not JSON. */
    static ProgressMeter forTerminal(PrintWriter err, String verb, boolean json) {
        return new ProgressMeter(err, verb, !json && System.console() != null && System.console().isTerminal());
    }

    /**
     * Updates the counters; draws when due. {@code totalBytes} below zero means unknown (no ETA).
     * Safe to call from several threads.
     */
    synchronized void update(long files, long bytes, long totalBytes) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < INTERVAL_NS) {
            return;
        }
        lastDraw = now;
        draw(line(files, bytes, totalBytes, (now - start) / 1e9));
    }

    /** The text of one progress line (package-private for tests). */
    String line(long files, long bytes, long totalBytes, double seconds) {
        double rate = seconds > 0 ? bytes / seconds : 0;
        StringBuilder s = new StringBuilder(verb).append(' ').append(files).append(" files, ").append(size(bytes));
        if (totalBytes >= 0) {
            s.append(" of ").append(size(totalBytes));
        }
        s.append(", ").append(size((long) rate)).append("/s");
        if (totalBytes > 0 && rate > 0 && bytes <= totalBytes) {
            long eta = (long) ((totalBytes - bytes) / rate);
            s.append(String.format(Locale.ROOT, ", ETA %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
        }
        return s.toString();
    }

    private void draw(String text) {
        int pad = Math.max(0, lastWidth - text.length());
        err.print("\r" + text + " ".repeat(pad));
        err.flush();
        lastWidth = text.length();
    }

    /** Clears the line so the command's own output starts on a clean line. */
    @Override
    public synchronized void close() {
        if (enabled && lastWidth > 0) {
            err.print("\r" + " ".repeat(lastWidth) + "\r");
            err.flush();
        }
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
