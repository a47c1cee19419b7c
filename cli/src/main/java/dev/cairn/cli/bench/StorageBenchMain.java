package dev.cairn.cli.bench;

import dev.cairn.engine.backup.Backup;
import dev.cairn.engine.repo.Repository;
import dev.cairn.engine.restore.Restore;
import dev.cairn.engine.snapshot.Snapshot;
import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.SoftHsmProvisioner;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Cairn side of {@code cairn bench}: one process per measured step, so that {@code /usr/bin/time -v}
 * sees Cairn's own wall time and peak RSS, as it sees restic's and borg's. It calls the engine directly
 * (Repository, Backup, Restore), the same calls the {@code cairn repo init}, {@code backup} and
 * {@code restore} commands make; its options have the same names, so the benchmark can switch to the real
 * command line by changing the main class. Prints one JSON line with the step's own figures on stdout.
 *
 * <pre>
 * setup   --hsm-dir DIR --repo R --tenant T        a SoftHSM2 token in DIR, the tenant's KEK, the repository
 * backup  --repo R --hsm H --tenant T [--parent auto|none|ID] PATH...
 * restore --repo R --hsm H --tenant T SNAPSHOT --target DIR
 * </pre>
 *
 * Exit code 0 done, 1 failed (message on stderr), 2 bad usage. Not a user command: {@code cairn bench}
 * starts it.
 */
public final class StorageBenchMain {
    private StorageBenchMain() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(run(List.of(args)));
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println("cairn bench step: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("cairn bench step failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
            dev.cairn.cli.Main.debugTrace(e, err);
            err.flush();
            System.exit(1);
        }
    }

    /** Runs one step and returns its JSON line. */
    static String run(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("name a step: setup, backup or restore");
        }
        Args a = Args.parse(args.subList(1, args.size()));
        return switch (args.getFirst()) {
            case "setup" -> setup(a);
            case "backup" -> backup(a);
            case "restore" -> restore(a);
            default -> throw new IllegalArgumentException("unknown step " + args.getFirst() + "; use setup, backup or restore");
        };
    }

    private static String setup(Args a) {
        Path conf = SoftHsmProvisioner.provision(a.path("--hsm-dir"), SoftHsmProvisioner.defaultLibrary(), "cairn-bench",
                new SecureRandom());
        String tenant = a.value("--tenant");
        try (KeyVault vault = Pkcs11KeyVault.open(conf)) {
            vault.createKek(tenant, KeyVault.DEFAULT_ROTATION_PERIOD);
            Repository.init(a.path("--repo"), Clock.systemUTC(), new SecureRandom());
            try (Repository repo = Repository.open(a.path("--repo"), vault, Repository.LockMode.SHARED, Clock.systemUTC(),
                    new SecureRandom())) {
                repo.addTenant(tenant);
            }
        }
        return BenchJson.line("step", "setup", "hsm", conf.toString());
    }

    private static String backup(Args a) {
        try (KeyVault vault = Pkcs11KeyVault.open(a.path("--hsm"));
             Repository repo = Repository.open(a.path("--repo"), vault, Repository.LockMode.SHARED, Clock.systemUTC(),
                     new SecureRandom())) {
            List<Path> paths = a.positional().stream().map(Path::of).toList();
            String parent = a.options().getOrDefault("--parent", "auto");
            Snapshot s = Backup.run(repo, new Backup.Options(a.value("--tenant"), paths, Set.of("bench"), "bench", parent, null));
            Snapshot.Summary m = s.summary();
            return BenchJson.line("step", "backup", "snapshot", s.id(), "files", m.files(), "dirs", m.dirs(), "bytes", m.bytes(),
                    "bytesRead", m.bytesRead(), "newBlobs", m.newBlobs(), "newBytes", m.newBytes(), "errors", m.errors(),
                    "seconds", m.seconds());
        }
    }

    private static String restore(Args a) {
        if (a.positional().size() != 1) {
            throw new IllegalArgumentException("restore takes one SNAPSHOT");
        }
        try (KeyVault vault = Pkcs11KeyVault.open(a.path("--hsm"));
             Repository repo = Repository.open(a.path("--repo"), vault, Repository.LockMode.SHARED, Clock.systemUTC(),
                     new SecureRandom())) {
            Restore.Result r = Restore.run(repo, new Restore.Options(a.value("--tenant"), a.positional().getFirst(),
                    a.path("--target"), List.of(), false, null));
            return BenchJson.line("step", "restore", "snapshot", r.snapshot().id(), "files", r.files(), "dirs", r.dirs(),
                    "bytes", r.bytes(), "skipped", r.skipped().size());
        }
    }

    /** {@code --name value} pairs and positional arguments. */
    record Args(java.util.Map<String, String> options, List<String> positional) {
        static Args parse(List<String> args) {
            java.util.Map<String, String> o = new java.util.HashMap<>();
            List<String> p = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String s = args.get(i);
                if (s.startsWith("--")) {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(s + " needs a value");
                    }
                    o.put(s, args.get(++i));
                } else {
                    p.add(s);
                }
            }
            return new Args(o, p);
        }

        String value(String name) {
            String v = options.get(name);
            if (v == null) {
                throw new IllegalArgumentException("missing " + name);
            }
            return v;
        }

        Path path(String name) {
            return Path.of(value(name)).toAbsolutePath().normalize();
        }
    }
}
