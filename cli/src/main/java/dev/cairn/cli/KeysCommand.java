package dev.cairn.cli;

import dev.cairn.hsm.DataKey;
import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.Recovery;
import dev.cairn.hsm.RotationReport;
import dev.cairn.hsm.SoftHsmProvisioner;
import dev.cairn.hsm.TransportKey;
import dev.cairn.hsm.VaultStatus;
import dev.cairn.hsm.WrappedKey;
import dev.cairn.hsm.recovery.RecoveryShare;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn keys ...}: the key plane (docs/keys.md). Every command takes {@code --hsm FILE} (or
 * {@code CAIRN_HSM}) except init-softhsm, and {@code --json} for machine-readable output.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Key plane: KEKs in the HSM, data keys, BYOK, recovery kit.")
final class KeysCommand {
    @Spec
    CommandSpec spec;

    /** Options every vault command shares. */
    static final class VaultOptions {
        @Option(names = "--hsm", paramLabel = "FILE", defaultValue = "${env:CAIRN_HSM}", scope = ScopeType.INHERIT,
                description = "hsm.conf of the token (default: $CAIRN_HSM)")
        Path hsm;

        @Option(names = "--json", scope = ScopeType.INHERIT, description = "print JSON (documented in docs/keys.md)")
        boolean json;

        KeyVault open() {
            if (hsm == null) {
                throw new CliException("no HSM configuration: pass --hsm FILE or set CAIRN_HSM "
                        + "(`cairn keys init-softhsm DIR` makes a demo token and DIR/hsm.conf)");
            }
            return Pkcs11KeyVault.open(hsm);
        }
    }

    @Mixin
    VaultOptions options;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Command(name = "init-softhsm", mixinStandardHelpOptions = true, description = "Demo/test: a new SoftHSM2 token under DIR; writes DIR/hsm.conf.")
    int initSoftHsm(@Parameters(paramLabel = "DIR", description = "an empty or new directory") Path dir,
                    @Option(names = "--label", defaultValue = SoftHsmProvisioner.DEFAULT_LABEL, description = "token label (default: ${DEFAULT-VALUE})") String label,
                    @Option(names = "--library", paramLabel = "MODULE", description = "SoftHSM2 PKCS#11 module (default: Debian's)") Path library) {
        Path lib = library != null ? library : SoftHsmProvisioner.defaultLibrary();
        Path conf = SoftHsmProvisioner.provision(dir, lib, label, new SecureRandom());
        if (options.json) {
            out().println(Json.write(Json.object("hsmConf", conf.toString(), "tokenLabel", label, "library", lib.toString())));
        } else {
            out().println("SoftHSM2 token '" + label + "' created; configuration: " + conf);
            out().println("The user and SO PINs are in " + conf.getParent() + "/user.pin and so.pin (mode 0600).");
            out().println("Next: cairn keys create-kek --hsm " + conf + " --tenant TENANT");
        }
        return 0;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Every Cairn key in the token with its attributes; tenants' rotation and data keys.")
    int status() {
        try (KeyVault vault = options.open()) {
            VaultStatus s = vault.status();
            if (options.json) {
                out().println(Json.write(statusJson(s)));
            } else {
                printStatus(s);
            }
            return s.healthy() ? 0 : 1;
        }
    }

    @Command(name = "create-kek", mixinStandardHelpOptions = true, description = "KEK generation 1 for a new tenant, inside the token, and its first data keys.")
    int createKek(@Option(names = "--tenant", required = true, paramLabel = "T") String tenant,
                  @Option(names = "--rotate-every", paramLabel = "PERIOD", defaultValue = "365d",
                          description = "rotation cadence: 90d, 12h or ISO-8601 (default: ${DEFAULT-VALUE})") String period) {
        Duration d = parsePeriod(period);
        try (KeyVault vault = options.open()) {
            vault.createKek(tenant, d);
            VaultStatus.TokenKey kek = vault.status().keys().stream()
                    .filter(k -> tenant.equals(k.tenant())).reduce((a, b) -> b).orElseThrow();
            if (options.json) {
                out().println(Json.write(tokenKeyJson(kek)));
            } else {
                out().println("created " + kek.label() + " (sensitive=" + kek.sensitive() + ", extractable=" + kek.extractable()
                        + ") and data keys data-v1, dedupe-v1 for tenant " + tenant + "; rotate every " + VaultStatus.period(d));
            }
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "New KEK generation; re-wraps every data key and proves it; retires the old one.")
    int rotate(@Option(names = "--tenant", required = true, paramLabel = "T") String tenant) {
        try (KeyVault vault = options.open()) {
            printRotation(vault.rotate(tenant));
            return 0;
        }
    }

    @Command(name = "roll-forward", mixinStandardHelpOptions = true, description = "A new data key version for new writes; old versions stay readable.")
    int rollForward(@Option(names = "--tenant", required = true, paramLabel = "T") String tenant,
                    @Option(names = "--purpose", defaultValue = "data", description = "data or dedupe (default: ${DEFAULT-VALUE})") String purpose) {
        try (KeyVault vault = options.open()) {
            int v = vault.rollForward(tenant, dev.cairn.hsm.KeyPurpose.ofName(purpose));
            out().println(options.json ? Json.write(Json.object("tenant", tenant, "purpose", purpose, "version", v))
                    : "tenant " + tenant + ": " + purpose + " key version " + v + " is now used for new writes");
            return 0;
        }
    }

    @Command(name = "transport-key", mixinStandardHelpOptions = true, description = "Prints the BYOK transport public key (PEM); creates it in the token on first use.")
    int transportKey() {
        try (KeyVault vault = options.open()) {
            TransportKey t = vault.transportKey();
            if (options.json) {
                out().println(Json.write(Json.object("label", t.label(), "algorithm", "RSA-3072", "oaepHash", t.oaepHash(),
                        "pem", t.pem(), "wrapCommand", t.opensslCommand())));
            } else {
                out().print(t.pem());
                err().println("Wrap a 32-byte AES key for `cairn keys import-kek` with RSA-OAEP-" + t.oaepHash()
                        + " (what this token unwraps):");
                err().println("  " + t.opensslCommand());
            }
            return 0;
        }
    }

    @Command(name = "import-kek", mixinStandardHelpOptions = true, description = "BYOK: imports a customer AES-256 KEK wrapped to the transport key as the tenant's next KEK.")
    int importKek(@Option(names = "--tenant", required = true, paramLabel = "T") String tenant,
                  @Option(names = "--in", required = true, paramLabel = "WRAPPED", description = "the RSA-OAEP ciphertext (binary)") Path in,
                  @Option(names = "--check-value", paramLabel = "HEX", description = "the key's check value (16 hex digits); "
                          + "the import is refused when the imported key's differs") String checkValue) {
        byte[] wrapped;
        try {
            wrapped = Files.readAllBytes(in);
        } catch (IOException e) {
            throw new CliException("cannot read " + in + ": " + e.getMessage(), e);
        }
        try (KeyVault vault = options.open()) {
            RotationReport r = vault.importKek(tenant, wrapped, checkValue);
            printRotation(r);
            if (!options.json) {
                out().println("key check value " + r.checkValue() + " (first 8 bytes of AES-256-ECB(key, zero block)); "
                        + "compare it with the value computed from your copy of the key");
            }
            return 0;
        }
    }

    @Command(name = "recovery-kit", mixinStandardHelpOptions = true, description = "Creates the M-of-N recovery kit: writes N share files to print and hand out.")
    int recoveryKit(@Option(names = "--shares", required = true, paramLabel = "N") int shares,
                    @Option(names = "--threshold", required = true, paramLabel = "M") int threshold,
                    @Option(names = "--out", required = true, paramLabel = "DIR", description = "an empty or new directory for the share sheets") Path outDir) {
        try (KeyVault vault = options.open()) {
            prepareEmptyDirectory(outDir);
            List<RecoveryShare> list = vault.createRecoveryKit(shares, threshold);
            List<String> files = new ArrayList<>();
            for (RecoveryShare s : list) {
                Path f = outDir.resolve("share-" + s.x() + "-of-" + s.shareCount() + ".txt");
                try {
                    // created 0600 before a byte of the share is written
                    Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(f, s.toPrintable() + "\n");
                } catch (IOException e) {
                    throw new CliException("cannot write " + f + ": " + e.getMessage() + ". The kit was made but its "
                            + "shares are incomplete: fix the problem and run recovery-kit again (a new kit replaces it).", e);
                }
                files.add(f.toString());
            }
            String kitId = java.util.HexFormat.of().formatHex(list.getFirst().kitId());
            if (options.json) {
                out().println(Json.write(Json.object("kitId", kitId, "threshold", threshold, "shares", shares, "files", files)));
            } else {
                out().println("recovery kit " + kitId + ": any " + threshold + " of " + shares + " shares rebuild the recovery key.");
                files.forEach(f -> out().println("  " + f));
                out().println("Print each sheet, give each to a different person, then delete these files (shred -u).");
            }
            return 0;
        }
    }

    @Command(name = "recover", mixinStandardHelpOptions = true, description = "On a new appliance: rebuilds data keys from M share sheets and sealed records, and restores them under this token.")
    int recover(@Option(names = "--share", required = true, paramLabel = "FILE", description = "a share sheet (repeat M times)") List<Path> shareFiles,
                @Option(names = "--records", required = true, paramLabel = "DIR", description = "where the sealed records (*.recovery-*.cwk) are") Path recordsDir,
                @Option(names = "--tenant", paramLabel = "T", description = "only this tenant") String only,
                @Option(names = "--rotate-every", paramLabel = "PERIOD", defaultValue = "365d",
                        description = "rotation cadence of the restored tenants (default: ${DEFAULT-VALUE})") String period) {
        Duration rotation = parsePeriod(period);
        List<RecoveryShare> shares = new ArrayList<>();
        for (Path f : shareFiles) {
            try {
                shares.add(RecoveryShare.parse(Files.readString(f)));
            } catch (IOException e) {
                throw new CliException("cannot read share " + f + ": " + e.getMessage(), e);
            }
        }
        if (shares.isEmpty()) {
            throw new CliException("no share given");
        }
        // only records sealed to the kit these shares belong to (a directory may hold older kits' records too)
        String kit = java.util.HexFormat.of().formatHex(shares.getFirst().kitId());
        Map<String, List<WrappedKey>> byTenant = new TreeMap<>();
        try (Stream<Path> files = Files.walk(recordsDir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".recovery-" + kit + ".cwk")).toList()) {
                WrappedKey k;
                try {
                    k = WrappedKey.decode(Files.readAllBytes(p));
                } catch (dev.cairn.hsm.WrappedKeyException e) {
                    throw new CliException(p + " is damaged: " + e.getMessage() + ". Nothing was restored.", e);
                }
                if (only == null || only.equals(k.tenant())) {
                    byTenant.computeIfAbsent(k.tenant(), t -> new ArrayList<>()).add(k);
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot read records under " + recordsDir + ": " + e.getMessage(), e);
        }
        if (byTenant.isEmpty()) {
            throw new CliException("no records sealed to kit " + kit + " (*.recovery-" + kit + ".cwk) under " + recordsDir);
        }
        try (KeyVault vault = options.open()) {
            List<String> existing = byTenant.keySet().stream().filter(vault.tenants()::contains).toList();
            if (!existing.isEmpty()) {
                throw new CliException("tenant(s) " + existing + " already exist (or were destroyed) on " + vault.token()
                        + "; recover only onto a token without them (use --tenant to pick others). Nothing was restored.");
            }
            // open every tenant's records before restoring any, so a damaged record stops the whole recovery
            Map<String, List<DataKey>> opened = new TreeMap<>();
            try {
                for (var e : byTenant.entrySet()) {
                    try {
                        opened.put(e.getKey(), Recovery.open(shares, e.getValue()));
                    } catch (dev.cairn.hsm.KeyVaultException | dev.cairn.hsm.recovery.RecoverySealException ex) {
                        throw new CliException("the sealed records of tenant " + e.getKey() + " under " + recordsDir
                                + " do not open: " + ex.getMessage() + ". Nothing was restored.", ex);
                    }
                }
                List<Object> restored = new ArrayList<>();
                for (var e : opened.entrySet()) {
                    vault.restoreTenant(e.getKey(), e.getValue(), rotation);
                    restored.add(Json.object("tenant", e.getKey(), "dataKeys", e.getValue().stream().map(DataKey::toString).toList()));
                    if (!options.json) {
                        out().println("restored tenant " + e.getKey() + ": " + e.getValue().size() + " data keys under a new KEK");
                    }
                }
                if (options.json) {
                    out().println(Json.write(Json.object("restored", restored)));
                }
                return 0;
            } finally {
                opened.values().forEach(keys -> keys.forEach(DataKey::close));
            }
        }
    }

    private static void prepareEmptyDirectory(Path outDir) {
        try {
            Files.createDirectories(outDir);
            try (Stream<Path> s = Files.list(outDir)) {
                if (s.findAny().isPresent()) {
                    throw new CliException(outDir + " is not empty; share sheets go into an empty directory");
                }
            }
            Files.setPosixFilePermissions(outDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new CliException("cannot prepare " + outDir + ": " + e.getMessage(), e);
        }
    }

    // ---- output ----

    private void printRotation(RotationReport r) {
        if (options.json) {
            out().println(Json.write(Json.object("tenant", r.tenant(), "fromGeneration", r.fromGeneration(),
                    "toGeneration", r.toGeneration(), "checkValue", r.checkValue(),
                    "rewrapped", r.rewrapped().stream().map(w -> Json.object("purpose", w.purpose().fileName(),
                            "version", w.version(), "fingerprint", w.fingerprint())).toList())));
            return;
        }
        out().println("tenant " + r.tenant() + ": KEK generation " + r.toGeneration() + " is active"
                + (r.fromGeneration() > 0 ? ", generation " + r.fromGeneration() + " retired" : ""));
        for (RotationReport.Rewrapped w : r.rewrapped()) {
            out().println("  " + w.purpose().fileName() + " v" + w.version() + " re-wrapped, fingerprint " + w.fingerprint() + " unchanged");
        }
    }

    static Map<String, Object> tokenKeyJson(VaultStatus.TokenKey k) {
        return Json.object("label", k.label(), "kind", k.kind(), "tenant", k.tenant(), "generation", k.generation(),
                "state", k.state() == null ? null : k.state().name().toLowerCase(Locale.ROOT), "origin", k.origin(),
                "sensitive", k.sensitive(), "extractable", k.extractable(), "alwaysSensitive", k.alwaysSensitive(),
                "neverExtractable", k.neverExtractable(), "local", k.local());
    }

    static Map<String, Object> statusJson(VaultStatus s) {
        return Json.object("token", s.token(), "healthy", s.healthy(), "failure", s.failure(),
                "checkedAt", s.checkedAt().toString(),
                "keys", s.keys().stream().map(KeysCommand::tokenKeyJson).toList(),
                "tenants", s.tenants().stream().map(t -> Json.object("tenant", t.tenant(),
                        "rotationPeriod", VaultStatus.period(t.rotationPeriod()),
                        "lastRotation", t.lastRotation() == null ? null : t.lastRotation().toString(),
                        "rotationDue", t.rotationDue() == null ? null : t.rotationDue().toString(),
                        "rotationOverdue", t.rotationOverdue(), "destroyed", t.destroyed(),
                        "dataKeys", t.dataKeys().stream().map(d -> Json.object("purpose", d.purpose().fileName(),
                                "version", d.version(), "fingerprint", d.fingerprint(), "kekGenerations", d.kekGenerations(),
                                "sealedForRecovery", d.sealedForRecovery(), "current", d.current())).toList())).toList(),
                "recoveryKit", s.recoveryKit() == null ? null : Json.object("kitId", s.recoveryKit().kitId(),
                        "threshold", s.recoveryKit().threshold(), "shares", s.recoveryKit().shares(),
                        "created", s.recoveryKit().created().toString()));
    }

    private void printStatus(VaultStatus s) {
        PrintWriter o = out();
        o.println("token    " + s.token() + (s.healthy() ? "" : "  UNHEALTHY: " + s.failure()));
        o.printf(Locale.ROOT, "%-36s %-4s %-9s %-9s %-9s %-11s %-16s%n", "KEY", "GEN", "STATE", "ORIGIN", "SENSITIVE", "EXTRACTABLE", "NEVER-EXTRACTABLE");
        for (VaultStatus.TokenKey k : s.keys()) {
            o.printf(Locale.ROOT, "%-36s %-4d %-9s %-9s %-9s %-11s %-16s%n", k.label(), k.generation(),
                    k.state() == null ? "-" : k.state().name().toLowerCase(Locale.ROOT), k.origin(), k.sensitive(),
                    k.extractable(), k.neverExtractable());
        }
        for (VaultStatus.Tenant t : s.tenants()) {
            String rotation = t.destroyed() ? "DESTROYED (crypto-shredded)"
                    : t.rotationDue() == null ? "no active KEK"
                    : (t.rotationOverdue() ? "ROTATION OVERDUE since " : "next rotation due ") + t.rotationDue();
            o.println("tenant " + t.tenant() + ": " + rotation);
            for (VaultStatus.DataKeyInfo d : t.dataKeys()) {
                o.println("  " + d.purpose().fileName() + " v" + d.version() + (d.current() ? " (current)" : "")
                        + " fingerprint " + d.fingerprint() + " under KEK generation(s) " + d.kekGenerations()
                        + (d.sealedForRecovery() ? ", sealed for recovery" : ""));
            }
        }
        o.println(s.recoveryKit() == null ? "recovery kit: none (create one with `cairn keys recovery-kit`)"
                : "recovery kit " + s.recoveryKit().kitId() + ": " + s.recoveryKit().threshold() + " of " + s.recoveryKit().shares()
                + " shares, created " + s.recoveryKit().created());
    }

    /** "90d", "12h", "30m" or an ISO-8601 duration ("P90D"). */
    static Duration parsePeriod(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("[0-9]{1,6}[dhm]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
            }
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new CliException("cannot read the period '" + text + "': use for example 90d, 12h or P90D");
        }
    }
}
