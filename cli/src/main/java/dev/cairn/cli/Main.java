package dev.cairn.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cairn GROUP COMMAND ...}: the command line. Exit codes: 0 done, 1 the operation failed (the
 * message on stderr says why and what to do), 2 bad usage.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Cairn backup appliance command line.",
        subcommands = {KeysCommand.class, TapeCommand.class, BenchCommand.class, RepoCommand.class, BackupCommand.class,
                SnapshotsCommand.class, LsCommand.class, DiffCommand.class, FindCommand.class, RestoreCommand.class,
                VerifyCommand.class, ForgetCommand.class, PruneCommand.class, LockCommand.class, AuditCommand.class,
                ServeCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command group, e.g. `cairn keys status`");
    }

    /** Cairn's own exceptions and argument errors carry messages written for the user; anything else is a bug. */
    static boolean userFacing(Throwable e) {
        return e instanceof IllegalArgumentException || e.getClass().getName().startsWith("dev.cairn.");
    }

    /**
     * Output is UTF-8 whatever the locale: JSON must be (RFC 8259), and names from snapshots would
     * otherwise turn into '?' under the C locale. Bytes that are not UTF-8 are shown as \xNN anyway.
     */
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), args));
    }

    /** Runs the command line with the given streams; returns the exit code. Used by tests in-process. */
    /**
     * Prints {@code e}'s stack trace to {@code err} when {@code CAIRN_DEBUG} is set, and nothing otherwise:
     * the one place that prints stack traces (ArchitectureTest), for this class and the bench's step runner.
     */
    public static void debugTrace(Throwable e, PrintWriter err) {
        if (System.getenv("CAIRN_DEBUG") != null) {
            e.printStackTrace(err);
        }
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (userFacing(e)) {
                err.println("cairn: " + e.getMessage());
            } else {
                err.println("cairn: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            debugTrace(e, err);
            err.flush();
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
