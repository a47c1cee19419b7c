package dev.cairn.cli;

import dev.cairn.engine.repo.Repository;
import dev.cairn.hsm.KeyVault;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code cairn repo ...}: creating a repository and adding tenants to it (docs/cli.md). Other repository
 * maintenance commands (rebuild-index) join this group as subcommand classes.
 */
@Command(name = "repo", mixinStandardHelpOptions = true, description = "The repository: create it, add tenants, rebuild its index.",
        subcommands = {RebuildIndexCommand.class})
final class RepoCommand {
    @Spec
    CommandSpec spec;

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Creates a repository in an empty or new directory, after checking that the HSM opens.")
    int init(@Mixin RepoOptions options) {
        Path dir = options.repoDir();
        // the token first: a repository nobody can write to is not created
        try (KeyVault vault = options.vault()) {
            Repository.init(dir, Clock.systemUTC(), new SecureRandom());
            try (Repository r = Repository.open(dir, vault, Repository.LockMode.SHARED, Clock.systemUTC(), new SecureRandom())) {
                if (options.json) {
                    out().println(Json.write(Json.object("repo", dir.toString(), "id", r.config().id(), "version", r.config().version(),
                            "token", vault.token())));
                } else {
                    out().println("created repository " + r.config().id().substring(0, 8) + " (format version " + r.config().version()
                            + ") in " + dir);
                    out().println("Next: cairn repo add-tenant --repo " + dir + " --hsm " + options.hsm + " --tenant TENANT");
                }
            }
        }
        return 0;
    }

    @Command(name = "add-tenant", mixinStandardHelpOptions = true,
            description = "Registers a tenant in the repository; creates its KEK and data keys in the HSM first when it has none.")
    int addTenant(@Mixin RepoOptions options,
                  @Option(names = "--tenant", required = true, paramLabel = "T") String tenant,
                  @Option(names = "--rotate-every", paramLabel = "PERIOD", defaultValue = "365d",
                          description = "KEK rotation cadence when the KEK is created here: 90d, 12h or ISO-8601 (default: ${DEFAULT-VALUE})")
                  String period) {
        Duration rotation = KeysCommand.parsePeriod(period);
        dev.cairn.hsm.TenantId.check(tenant);
        // the repository first, so a wrong --repo creates nothing in the token
        try (RepoOptions.Opened o = options.open(Repository.LockMode.SHARED)) {
            KeyVault vault = o.vault();
            Repository r = o.repo();
            boolean created = false;
            if (!vault.tenants().contains(tenant)) {
                vault.createKek(tenant, rotation); // as `cairn keys create-kek` does: KEK in the token, data keys wrapped by it
                created = true;
            }
            boolean known = r.config().tenants().containsKey(tenant);
            int number = r.addTenant(tenant);
            if (options.json) {
                out().println(Json.write(Json.object("tenant", tenant, "tenantNumber", number, "kekCreated", created,
                        "alreadyRegistered", known)));
            } else {
                out().println((created ? "created the KEK and data keys of tenant " + tenant + " in the HSM; " : "")
                        + (known ? "tenant " + tenant + " was already in the repository (number " + number + ")"
                        : "tenant " + tenant + " added to the repository as number " + number));
            }
        }
        return 0;
    }
}
