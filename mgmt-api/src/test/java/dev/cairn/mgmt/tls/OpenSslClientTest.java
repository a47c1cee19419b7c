package dev.cairn.mgmt.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.mgmt.tls.TlsLab.Server;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/tls.md, section 8: an independent client, {@code openssl s_client}, against the policy server: TLS 1.3 is
 * accepted, TLS 1.1 is refused by the server (while a permissive server accepts the same openssl command).
 */
class OpenSslClientTest {
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static TestPki.Identity identity;
    private static TestPki pki;

    @BeforeAll
    static void pki() {
        TlsLab.init();
        pki = TestPki.create("Cairn test CA");
        identity = pki.issueEc("appliance");
    }

    private record Run(int exit, String output) {
    }

    private static Run sClient(int port, String... options) throws Exception {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed");
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString(), "s_client", "-connect", "127.0.0.1:" + port,
                "-brief"));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("openssl s_client did not finish: " + cmd);
            }
            return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    private static SSLContext context() {
        return TlsPolicy.newContext(identity.keyManagers(), TlsPolicy.trustOnly(pki.caCertificate()));
    }

    @Test
    void tls13IsAccepted() throws Exception {
        SSLContext ctx = context();
        try (Server server = new Server(ctx, TlsPolicy.serverParameters(ctx, false))) {
            Run run = sClient(server.port(), "-tls1_3");
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).contains("Protocol version: TLSv1.3");
            assertThat(server.nextOutcome()).isInstanceOf(SSLSession.class);
        }
    }

    @Test
    void tls11IsRefusedByTheServer() throws Exception {
        // OpenSSL 3 allows TLS 1.1 only at security level 0
        String[] tls11 = {"-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"};
        SSLContext ctx = context();
        try (Server permissive = new Server(ctx, TlsLab.permissive(ctx))) {
            Run control = sClient(permissive.port(), tls11);
            assertThat(control.exit()).as(control.output()).isZero();
            assertThat(control.output()).contains("Protocol version: TLSv1.1");
            assertThat(permissive.nextOutcome()).isInstanceOf(SSLSession.class);
        }
        try (Server server = new Server(ctx, TlsPolicy.serverParameters(ctx, false))) {
            Run run = sClient(server.port(), tls11);
            assertThat(run.exit()).as(run.output()).isNotZero();
            assertThat(run.output()).contains("alert protocol version");
            assertThat(server.nextOutcome()).isInstanceOf(SSLHandshakeException.class);
        }
    }
}
