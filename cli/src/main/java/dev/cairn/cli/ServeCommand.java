package dev.cairn.cli;

import dev.cairn.engine.repo.Repository;
import dev.cairn.hsm.KeyVault;
import dev.cairn.hsm.Pkcs11KeyVault;
import dev.cairn.hsm.SoftHsmProvisioner;
import dev.cairn.hsm.TenantId;
import dev.cairn.mgmt.server.ApplianceConfig;
import dev.cairn.mgmt.server.Main;
import dev.cairn.mgmt.server.Settings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn serve}: runs the appliance's control plane (docs/security.md) until interrupted. With
 * {@code --demo DIR} it first creates what a demo needs under DIR: a SoftHSM token, a repository with tenant
 * {@code clinic}, a small sample source and a restore target; {@code ./cairn demo} runs {@code serve --demo var/demo}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the appliance control plane (HTTPS API, mTLS listener) until interrupted.")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--demo", paramLabel = "DIR", description = "embedded defaults under DIR (token, repository, state)")
    Path demo;

    @Option(names = "--state", paramLabel = "DIR", description = "the control plane's state directory")
    Path state;

    @Option(names = "--hsm", paramLabel = "FILE", defaultValue = "${env:CAIRN_HSM}", description = "hsm.conf of the token")
    Path hsm;

    @Option(names = "--bind", paramLabel = "ADDR",
            description = "listen address (default: the management interface set through the API, else 127.0.0.1)")
    String bind;

    @Option(names = "--port", defaultValue = "8443", description = "HTTPS port (default 8443)")
    int port;

    @Option(names = "--mtls-port", defaultValue = "8444", description = "mTLS port for agents and the admin API (default 8444)")
    int mtlsPort;

    @Option(names = "--dns", paramLabel = "NAME", description = "DNS names in the server certificate (default localhost)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "IP", description = "IP addresses in the server certificate (default 127.0.0.1, ::1)")
    List<String> ips = new ArrayList<>();

    @Option(names = "--repo", paramLabel = "DIR", description = "the repository the API serves")
    Path repo;

    @Option(names = "--tenant", defaultValue = "clinic", description = "the repository tenant of the API (default clinic)")
    String tenant;

    @Option(names = "--source", paramLabel = "NAME=PATH", description = "a backup source the API may start (repeatable)")
    Map<String, Path> sources = new LinkedHashMap<>();

    @Option(names = "--restore-target", paramLabel = "NAME=PATH",
            description = "a directory API restores may write into, in a new subdirectory each (repeatable)")
    Map<String, Path> restoreTargets = new LinkedHashMap<>();

    @Option(names = "--approvers", defaultValue = "2",
            description = "distinct approvers, other than the requester, a destructive operation needs (default 2; 1 to 9)")
    int approvers;

    @Option(names = "--step-up-minutes", defaultValue = "5",
            description = "how recent MFA must be for destructive and key operations (default 5; 1 to 30)")
    int stepUpMinutes;

    @Override
    public Integer call() throws Exception {
        if (demo != null) {
            prepareDemo();
        }
        if (state == null || hsm == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --state DIR and --hsm FILE, or --demo DIR");
        }
        TenantId.check(tenant);
        if (bind == null) {
            // TLS-3: loopback until an administrator names the management interface (PUT /api/v1/settings/...)
            bind = Settings.of(state).managementAddress().orElse("127.0.0.1");
        }
        ApplianceConfig base = ApplianceConfig.defaults(state, port, mtlsPort);
        List<String> names = dns.isEmpty() ? base.dnsNames() : dns;
        ApplianceConfig config = new ApplianceConfig(state, bind, port, mtlsPort, names,
                ips.isEmpty() ? base.ipAddresses() : ips, names.getFirst(), Set.of("https://" + names.getFirst() + ":" + port),
                Duration.ofMinutes(stepUpMinutes), approvers, repo, tenant, sources, restoreTargets,
                ApplianceConfig.DEFAULT_PUBLIC_ATTEMPTS);
        KeyVault vault = Pkcs11KeyVault.open(hsm);
        Main.Running running;
        try {
            if (repo != null) {
                try (Repository r = Repository.open(repo, vault, Repository.LockMode.SHARED, Clock.systemUTC(), new SecureRandom())) {
                    if (!r.config().tenants().containsKey(tenant)) {
                        throw new CliException("tenant " + tenant + " is not in the repository; run cairn repo add-tenant first");
                    }
                }
            }
            running = Main.start(config, vault, System.out);
        } catch (RuntimeException e) {
            vault.close();
            throw e;
        }
        // Ctrl-C or SIGTERM: stop the listeners, close the state and the token, then let the JVM exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } finally {
                vault.close();
            }
        }, "cairn-serve-stop"));
        System.out.println("cairn: running; stop with Ctrl-C");
        System.out.flush();
        new CountDownLatch(1).await();
        return 0;
    }

    /** Creates under DIR what is missing: hsm/ (a SoftHSM token), repo/ (tenant clinic), sample/, state/. */
    private void prepareDemo() throws Exception {
        Files.createDirectories(demo);
        Path hsmDir = demo.resolve("hsm");
        Path conf = hsmDir.resolve("hsm.conf");
        if (!Files.exists(conf)) {
            System.out.println("cairn: demo: creating a SoftHSM token under " + hsmDir);
            conf = SoftHsmProvisioner.provision(hsmDir, SoftHsmProvisioner.defaultLibrary(), SoftHsmProvisioner.DEFAULT_LABEL,
                    new SecureRandom());
        }
        hsm = conf;
        state = demo.resolve("state");
        Path repoDir = demo.resolve("repo");
        if (!Files.exists(repoDir.resolve("config.json"))) {
            System.out.println("cairn: demo: creating a repository under " + repoDir);
            Repository.init(repoDir, Clock.systemUTC(), new SecureRandom());
        }
        try (KeyVault vault = Pkcs11KeyVault.open(conf);
             Repository r = Repository.open(repoDir, vault, Repository.LockMode.EXCLUSIVE, Clock.systemUTC(), new SecureRandom())) {
            if (!vault.tenants().contains(tenant)) {
                vault.createKek(tenant, KeyVault.DEFAULT_ROTATION_PERIOD);
            }
            r.addTenant(tenant);
        }
        repo = repoDir;
        Path sample = demo.resolve("sample");
        if (!Files.exists(sample)) {
            Files.createDirectories(sample);
            Files.writeString(sample.resolve("README.txt"), "Sample data for the Cairn demo; no patient data.\n");
        }
        sources.putIfAbsent("sample", sample);
        Path restores = demo.resolve("restores");
        Files.createDirectories(restores);
        restoreTargets.putIfAbsent("demo", restores);
    }
}
