package dev.cairn.cli;

import dev.cairn.engine.repo.Repository;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --tenant T}, used as a picocli {@code @Mixin} by commands that work on one tenant's snapshots.
 * It may be left out when the repository holds exactly one tenant.
 */
final class TenantOption {
    @Option(names = "--tenant", paramLabel = "T", description = "the tenant (may be left out when the repository has only one)")
    String tenant;

    /**
     * The tenant named, or the only one. With several tenants and none named, the error asks for
     * {@code --tenant} and lists nothing: one clinic's operator need not learn another's name.
     */
    String resolve(Repository repo) {
        if (tenant != null) {
            repo.tenantNo(tenant); // fails clearly when the repository does not know it
            return tenant;
        }
        List<String> all = repo.tenants();
        if (all.size() == 1) {
            return all.getFirst();
        }
        if (all.isEmpty()) {
            throw new CliException("the repository has no tenant yet; add one with `cairn repo add-tenant --tenant T`");
        }
        throw new CliException("the repository holds more than one tenant: name one with --tenant T");
    }
}
