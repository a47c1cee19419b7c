package dev.cairn.mgmt.server;

import dev.cairn.mgmt.ca.ServerIdentity;
import dev.cairn.mgmt.tls.SecurityHeaders;
import dev.cairn.mgmt.tls.TlsPolicy;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The control plane's HTTPS server: the routing (one static function, reused by the tests) and the two
 * listeners (docs/security.md, section 2). Every response carries {@link SecurityHeaders#ALL}.
 */
public final class ApiServer {
    /** Request bodies larger than this are refused with 413 before they are read. */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** The name of the mTLS listener (agents and the admin API with client certificates). */
    public static final String MTLS_SOCKET = "mtls";
    /** How long the server certificate issued at start is valid (a restart issues a new one). */
    public static final Duration SERVER_CERT_VALIDITY = Duration.ofDays(90);
    /** How long the mTLS listener keeps a TLS session for resumption. */
    static final int MTLS_SESSION_SECONDS = 300;

    private ApiServer() {
    }

    /** Adds every route of {@link ApiRoutes#table} behind the gate, the security headers and the fallbacks. */
    public static void routing(HttpRouting.Builder routing, Appliance app) {
        routing(routing, new Gate(app), ApiRoutes.table(app));
    }

    /** As {@link #routing(HttpRouting.Builder, Appliance)} with a gate and table both listeners share. */
    private static void routing(HttpRouting.Builder routing, Gate gate, List<ApiRoute> table) {
        routing.addFilter((chain, req, res) -> {
            SecurityHeaders.ALL.forEach((k, v) -> res.header(HeaderNames.create(k), v));
            chain.proceed();
        });
        for (ApiRoute r : table) {
            routing.route(r.method(), r.path(), (req, res) -> gate.handle(r, req, res));
        }
        routing.any((req, res) -> Problems.send(res, fallback(table, gate, req)));
        routing.error(Throwable.class, (req, res, t) -> Problems.send(res, Gate.problemFor(t)));
    }

    /** No route matched: 401 for the unauthenticated (the API reveals nothing), 405 or 404 for the others. */
    private static ApiException fallback(List<ApiRoute> table, Gate gate, ServerRequest req) {
        String path = req.path().path();
        Caller caller;
        try {
            caller = gate.authenticate(req, Gate.sourceIp(req), Gate.userAgent(req));
        } catch (ApiException e) {
            return e;
        }
        if (caller.kind() == Caller.Kind.ANONYMOUS && path.startsWith("/api/")) {
            return ApiException.unauthorized("authentication required: log in, or send an API token");
        }
        Method method = req.prologue().method();
        boolean otherMethod = table.stream().anyMatch(r -> !r.method().equals(method) && template(r.path()).matcher(path).matches());
        if (otherMethod) {
            return new ApiException(405, "Method not allowed", "this path does not take " + method.text());
        }
        return ApiException.notFound("no such resource; see /openapi.yaml");
    }

    /**
     * What Helidon answers itself, before routing (a body over the limit, a malformed request line, a bad
     * header): problem+json with the security headers, and never Helidon's message, which may quote the request.
     */
    static DirectHandlers directHandlers() {
        DirectHandler handler = (request, event, status, headers, message) -> {
            int code = status.code();
            ApiException problem = new ApiException(code, status.reasonPhrase(), code == 413
                    ? "the request body is larger than " + MAX_BODY_BYTES + " bytes"
                    : code < 500 ? "the request could not be read as HTTP/1.1; check the request line and headers"
                    : "the appliance could not complete the request");
            DirectHandler.TransportResponse.Builder b = DirectHandler.TransportResponse.builder().status(status)
                    .header(HeaderNames.CONTENT_TYPE, Problems.MEDIA_TYPE)
                    .keepAlive(false)
                    .entity(Json.write(Gate.problemBody(problem)));
            SecurityHeaders.ALL.forEach((k, v) -> b.header(HeaderNames.create(k), v));
            return b.build();
        };
        DirectHandlers.Builder all = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            all.addHandler(type, handler);
        }
        return all.build();
    }

    static Pattern template(String path) {
        return Pattern.compile(Pattern.quote(path).replaceAll("\\{[a-zA-Z]+}", "\\\\E[^/]+\\\\Q"));
    }

    /**
     * Starts both listeners with a fresh server certificate from the appliance CA (its key exists in memory
     * only). The caller must have applied {@link TlsPolicy#JVM_PROPERTIES} before (see {@link Main}).
     */
    public static WebServer start(Appliance app) {
        WebServerConfig.Builder builder = WebServer.builder();
        configure(builder, app);
        return builder.build().start();
    }

    /**
     * Sets up {@code builder} as {@link #start} does: both listeners with the policy's TLS, the body limit and the
     * routing. The {@code @ServerTest} tests call this from their {@code @SetUpServer} method.
     */
    public static void configure(WebServerConfig.Builder builder, Appliance app) {
        ApplianceConfig config = app.config();
        ServerIdentity identity = app.ca().issueServerIdentity(config.dnsNames(), config.ipAddressValues(),
                SERVER_CERT_VALIDITY);
        char[] password = new char[] {'x'};
        SSLContext plain;
        SSLContext mutual;
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(identity.keyStore(password), password);
            plain = TlsPolicy.newContext(kmf.getKeyManagers(), TlsPolicy.trustOnly(app.ca().certificate()));
            mutual = TlsPolicy.newContext(kmf.getKeyManagers(), new TrustManager[] {app.ca().clientTrustManager()});
            // resumed sessions skip the certificate checks; the gate checks revocation on every request, and a
            // short cache keeps resumption from carrying a certificate far past its revocation anyway
            mutual.getServerSessionContext().setSessionTimeout(MTLS_SESSION_SECONDS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with the appliance CA's server certificate", e);
        }
        Tls tls = Tls.builder().sslContext(plain).sslParameters(TlsPolicy.serverParameters(plain, false)).build();
        Tls mtls = Tls.builder().sslContext(mutual).sslParameters(TlsPolicy.serverParameters(mutual, true))
                .clientAuth(TlsClientAuth.REQUIRED).build();
        DirectHandlers direct = directHandlers();
        // one gate and one table for both listeners: one rate limiter, one set of MFA-failure counters
        Gate gate = new Gate(app);
        List<ApiRoute> table = ApiRoutes.table(app);
        builder.host(config.bindHost())
                .directHandlers(direct)
                .port(config.port())
                .tls(tls)
                .maxPayloadSize(MAX_BODY_BYTES)
                .routing(r -> routing(r, gate, table))
                .putSocket(MTLS_SOCKET, s -> s.host(config.bindHost()).port(config.mtlsPort()).tls(mtls)
                        .maxPayloadSize(MAX_BODY_BYTES).directHandlers(direct))
                .routing(MTLS_SOCKET, r -> routing(r, gate, table));
    }
}
