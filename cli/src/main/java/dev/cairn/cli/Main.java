package dev.cairn.cli;

import dev.cairn.hsm.KeyVaultException;
import dev.cairn.hsm.approval.AuthorizationException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code cairn GROUP COMMAND ...}: the command line. Exit codes: 0 done, 1 the operation failed (the
 * message on stderr says why and what to do), 2 bad usage.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Cairn backup appliance command line.",
        subcommands = {KeysCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command group, e.g. `cairn keys status`");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit code. Used by tests in-process. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof KeyVaultException || e instanceof AuthorizationException || e instanceof IllegalArgumentException
                    || e instanceof CliException || e instanceof dev.cairn.hsm.recovery.RecoveryShareException
                    || e instanceof dev.cairn.hsm.recovery.RecoverySealException) {
                err.println("cairn: " + e.getMessage());
            } else {
                err.println("cairn: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (System.getenv("CAIRN_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
