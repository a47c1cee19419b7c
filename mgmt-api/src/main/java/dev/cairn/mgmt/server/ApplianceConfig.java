package dev.cairn.mgmt.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the appliance's control plane is set up (docs/security.md, section 2; the ports are in its port table).
 *
 * @param stateDir        where the control plane keeps its state (audit trail, user store, CA, approvals)
 * @param bindHost        the management listener's address; 127.0.0.1 until first-run set-up names a
 *                        management interface (requirement TLS-3)
 * @param port            the management listener's port (HTTPS, sessions and API tokens)
 * @param mtlsPort        the mTLS listener's port (agents and the admin API with client certificates only);
 *                        same address as {@code bindHost}
 * @param dnsNames        the server certificate's DNS names
 * @param ipAddresses     the server certificate's IP addresses
 * @param rpId            the WebAuthn relying party ID (a DNS name, never an IP address)
 * @param origins         the browser origins WebAuthn accepts, e.g. {@code https://localhost:8443}
 * @param stepUpWindow    how recent MFA must be for destructive and key operations
 * @param approvers       how many distinct approvers a destructive operation needs (APR-1; at least 1)
 * @param repository      the backup repository the API serves, or null for none
 * @param tenant          the repository tenant the API's backups and listings use
 * @param sources         the configured backup sources by name ({@code POST /api/v1/backups} names one; the
 *                        API never takes a path from the client)
 * @param restoreTargets  the directories a restore may write into, by name ({@code POST /api/v1/restores} names
 *                        one; each restore makes a new subdirectory there)
 * @param publicAttemptsPerMinute how many login, enrollment and break-glass attempts one source address may make
 *                        a minute (default {@link #DEFAULT_PUBLIC_ATTEMPTS})
 */
public record ApplianceConfig(Path stateDir, String bindHost, int port, int mtlsPort, List<String> dnsNames,
                              List<String> ipAddresses, String rpId, Set<String> origins, Duration stepUpWindow,
                              int approvers, Path repository, String tenant, Map<String, Path> sources,
                              Map<String, Path> restoreTargets, int publicAttemptsPerMinute) {
    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_MTLS_PORT = 8444;
    public static final int DEFAULT_PUBLIC_ATTEMPTS = 30;

    public ApplianceConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535 || mtlsPort < 0 || mtlsPort > 65535) {
            throw new IllegalArgumentException("ports must be 0..65535 (0 picks a free port)");
        }
        if (port != 0 && port == mtlsPort) {
            throw new IllegalArgumentException("the management port and the mTLS port must differ");
        }
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        origins = Set.copyOf(origins);
        if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
            throw new IllegalArgumentException("the server certificate needs at least one DNS name or IP address");
        }
        if (stepUpWindow.isNegative() || stepUpWindow.isZero() || stepUpWindow.compareTo(Duration.ofMinutes(30)) > 0) {
            throw new IllegalArgumentException("the step-up window must be 1 second to 30 minutes");
        }
        sources = Map.copyOf(sources);
        restoreTargets = Map.copyOf(restoreTargets);
        for (String name : restoreTargets.keySet()) {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                throw new IllegalArgumentException("restore target names must match [a-z0-9][a-z0-9-]{0,31}");
            }
        }
        for (String name : sources.keySet()) {
            if (!name.matches("[a-z0-9][a-z0-9-]{0,31}")) {
                throw new IllegalArgumentException("source names must match [a-z0-9][a-z0-9-]{0,31}");
            }
        }
        if (publicAttemptsPerMinute < 1) {
            throw new IllegalArgumentException("publicAttemptsPerMinute must be at least 1");
        }
        if (approvers < 1 || approvers > 9) {
            throw new IllegalArgumentException("approvers must be 1 to 9");
        }
    }

    /** The embedded defaults of {@code ./cairn demo}: loopback only, localhost, ports 8443 and 8444. */
    public static ApplianceConfig defaults(Path stateDir, int port, int mtlsPort) {
        return new ApplianceConfig(stateDir, "127.0.0.1", port, mtlsPort, List.of("localhost"), List.of("127.0.0.1", "::1"),
                "localhost", Set.of("https://localhost:" + port), Duration.ofMinutes(5), 2, null, "clinic", Map.of(), Map.of(), DEFAULT_PUBLIC_ATTEMPTS);
    }

    /** The same configuration serving {@code repository} (tenant {@code tenant}) with these backup sources. */
    public ApplianceConfig withRepository(Path repository, String tenant, Map<String, Path> sources,
                                          Map<String, Path> restoreTargets) {
        return new ApplianceConfig(stateDir, bindHost, port, mtlsPort, dnsNames, ipAddresses, rpId, origins, stepUpWindow,
                approvers, repository, tenant, sources, restoreTargets, publicAttemptsPerMinute);
    }

    /** The same configuration with another limit on public attempts per source address and minute. */
    public ApplianceConfig withPublicAttemptsPerMinute(int perMinute) {
        return new ApplianceConfig(stateDir, bindHost, port, mtlsPort, dnsNames, ipAddresses, rpId, origins, stepUpWindow,
                approvers, repository, tenant, sources, restoreTargets, perMinute);
    }

    /** The same configuration with other WebAuthn origins (tests bind port 0 and learn the port later). */
    public ApplianceConfig withOrigins(Set<String> origins) {
        return new ApplianceConfig(stateDir, bindHost, port, mtlsPort, dnsNames, ipAddresses, rpId, origins, stepUpWindow,
                approvers, repository, tenant, sources, restoreTargets, publicAttemptsPerMinute);
    }

    /** The IP addresses as {@link InetAddress} values. */
    public List<InetAddress> ipAddressValues() {
        return ipAddresses.stream().map(ApplianceConfig::literal).toList();
    }

    private static InetAddress literal(String ip) {
        if (!ip.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address literal: use digits, dots and colons");
        }
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal", e);
        }
    }
}
