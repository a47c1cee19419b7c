package dev.cairn.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One measured command, run like {@code ../shared/bench/anchors.sh} runs its tools: {@code sync} first (not
 * timed, so the previous step's dirty pages do not throttle this one), then the command under
 * {@code /usr/bin/time -v} for peak RSS and CPU time, with the wall time taken around it. Output goes to
 * files in the work directory. A command that runs past its time limit is killed with its children.
 *
 * @param wallSeconds wall time around the command
 * @param maxRssKib   "Maximum resident set size" from time -v, in KiB
 * @param cpuPercent  "Percent of CPU this job got"
 */
record TimedRun(double wallSeconds, long maxRssKib, double userSeconds, double sysSeconds, int cpuPercent, String stdout) {

    /** Runs {@code command} in {@code cwd} with {@code env} added; the step's files are {@code work/NAME.*}. */
    static TimedRun run(Path work, String name, Path cwd, Map<String, String> env, List<String> command, Duration limit) {
        Path timeFile = work.resolve("time." + name);
        Path out = work.resolve("stdout." + name);
        Path err = work.resolve("stderr." + name);
        Processes.run(List.of("sync"), null, Map.of(), Duration.ofMinutes(5));
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-v", "-o", timeFile.toString()));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        int code = Processes.waitFor(Processes.start(pb, name), name, limit);
        double wall = (System.nanoTime() - t0) / 1e9;
        try {
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (code != 0) {
                throw new BenchException(name + " failed with exit code " + code + ": " + tail(Files.readString(err, StandardCharsets.UTF_8))
                        + " (the work directory " + work + " keeps its output with --keep)");
            }
            return parse(Files.readString(timeFile, StandardCharsets.UTF_8), wall, stdout);
        } catch (IOException e) {
            throw new BenchException("cannot read the output of " + name + ": " + e.getMessage(), e);
        }
    }

    /** The figures of a {@code /usr/bin/time -v} report. */
    static TimedRun parse(String timeReport, double wall, String stdout) {
        long rss = -1;
        double user = -1;
        double sys = -1;
        int cpu = -1;
        for (String line : timeReport.split("\n")) {
            String l = line.strip();
            int colon = l.lastIndexOf(": ");
            if (colon < 0) {
                continue;
            }
            String v = l.substring(colon + 2).strip();
            if (l.startsWith("Maximum resident set size")) {
                rss = Long.parseLong(v);
            } else if (l.startsWith("User time")) {
                user = Double.parseDouble(v);
            } else if (l.startsWith("System time")) {
                sys = Double.parseDouble(v);
            } else if (l.startsWith("Percent of CPU")) {
                cpu = v.equals("?%") ? -1 : Integer.parseInt(v.replace("%", ""));
            }
        }
        if (rss < 0 || user < 0 || sys < 0) {
            throw new BenchException("/usr/bin/time -v printed no resource figures; is GNU time installed (apt-get install time)?");
        }
        return new TimedRun(wall, rss, user, sys, cpu, stdout);
    }

    double maxRssMib() {
        return maxRssKib / 1024.0;
    }

    static String tail(String s) {
        String t = s.strip();
        return t.length() > 2000 ? "..." + t.substring(t.length() - 2000) : t;
    }

    /** Starting, waiting for and killing child processes with a time limit. */
    static final class Processes {
        private Processes() {
        }

        static Process start(ProcessBuilder pb, String name) {
            try {
                return pb.start();
            } catch (IOException e) {
                throw new BenchException("cannot start " + name + " (" + pb.command().getFirst() + "): " + e.getMessage(), e);
            }
        }

        /** Waits up to {@code limit}; past it, kills the process and its descendants and fails. */
        static int waitFor(Process p, String name, Duration limit) {
            try {
                if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(p);
                    throw new BenchException(name + " did not finish within " + limit.toMinutes() + " min and was stopped");
                }
                return p.exitValue();
            } catch (InterruptedException e) {
                kill(p);
                Thread.currentThread().interrupt();
                throw new BenchException(name + " was interrupted", e);
            }
        }

        static void kill(Process p) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Runs a helper command (not measured), returns its stdout; fails with its stderr. */
        static String run(List<String> command, Path cwd, Map<String, String> env, Duration limit) {
            String what = String.join(" ", command.subList(0, Math.min(3, command.size())));
            Path outFile = null;
            Path errFile = null;
            try {
                outFile = Files.createTempFile("cairn-bench-", ".out");
                errFile = Files.createTempFile("cairn-bench-", ".err");
                ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
                if (cwd != null) {
                    pb.directory(cwd.toFile());
                }
                pb.environment().putAll(env);
                int code = waitFor(start(pb, command.getFirst()), what, limit);
                if (code != 0) {
                    throw new BenchException(what + " failed (exit " + code + "): " + tail(Files.readString(errFile, StandardCharsets.UTF_8)));
                }
                return Files.readString(outFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BenchException("cannot run " + what + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(outFile);
                deleteQuietly(errFile);
            }
        }

        private static void deleteQuietly(Path p) {
            if (p == null) {
                return;
            }
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a small temporary file
            }
        }
    }
}
