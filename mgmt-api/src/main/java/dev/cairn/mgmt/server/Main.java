package dev.cairn.mgmt.server;

import dev.cairn.hsm.KeyVault;
import dev.cairn.mgmt.access.BreakGlass;
import dev.cairn.mgmt.audit.SystemClockSyncProbe;
import dev.cairn.mgmt.tls.TlsPolicy;
import io.helidon.webserver.WebServer;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Assembles the appliance's control plane: JVM-wide TLS settings, the {@link Appliance} over the key vault, the
 * two listeners. First start prints the one-time enrollment URL and seals the break-glass credential. Nothing
 * else happens here; the CLI's {@code serve} command (and {@code ./cairn demo}) calls {@link #start}.
 */
public final class Main {
    /** How long the first-administrator enrollment link is valid. */
    public static final Duration ENROLLMENT_VALIDITY = Duration.ofHours(24);

    private Main() {
    }

    /** A running appliance; close it to stop the listeners and close the state. */
    public record Running(Appliance appliance, WebServer server) implements AutoCloseable {
        public int port() {
            return server.port();
        }

        public int mtlsPort() {
            return server.port(ApiServer.MTLS_SOCKET);
        }

        @Override
        public void close() {
            server.stop();
            appliance.close();
        }
    }

    /** Applies the TLS policy's JVM-wide properties; must run before the first TLS handshake of the process. */
    public static void applyJvmTlsProperties() {
        TlsPolicy.JVM_PROPERTIES.forEach(System::setProperty);
    }

    /**
     * Starts the control plane over {@code vault} (which the caller keeps open until the returned value is
     * closed) and prints what an operator needs on first start to {@code out}: never a secret except the
     * enrollment link and the break-glass credential, which exist to be printed once.
     */
    public static Running start(ApplianceConfig config, KeyVault vault, PrintStream out) {
        applyJvmTlsProperties();
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        Appliance app = Appliance.open(config, vault, clock, random, new SystemClockSyncProbe(clock));
        WebServer server;
        try {
            server = ApiServer.start(app);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        Running running = new Running(app, server);
        String host = config.dnsNames().isEmpty() ? config.bindHost() : config.dnsNames().getFirst();
        String base = "https://" + host + ":" + running.port();
        out.println("cairn: control plane on " + base + " (mTLS listener on port " + running.mtlsPort() + ", bound to "
                + config.bindHost() + ")");
        out.println("cairn: appliance CA certificate at " + base + "/ca.pem; API description at " + base + "/openapi.yaml");
        if (app.breakGlass().state(Appliance.BREAK_GLASS_ACCOUNT) == BreakGlass.State.NONE) {
            String credential = app.breakGlass().seal(Appliance.BREAK_GLASS_ACCOUNT);
            out.println("cairn: BREAK-GLASS credential for account '" + Appliance.BREAK_GLASS_ACCOUNT + "' (shown once; print it,");
            out.println("       seal it in an envelope, and store it in the safe): " + credential);
        }
        Optional<String> token = app.enrollment().createIfNoUsers(app.users(), ENROLLMENT_VALIDITY);
        token.ifPresent(t -> {
            out.println("cairn: no administrator yet. Enroll the first one within 24 hours at:");
            out.println("       " + base + "/enroll#" + t);
        });
        out.flush();
        return running;
    }
}
