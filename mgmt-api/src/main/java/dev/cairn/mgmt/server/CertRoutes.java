package dev.cairn.mgmt.server;

import dev.cairn.mgmt.ca.IssuedCertificate;

import java.math.BigInteger;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static dev.cairn.mgmt.access.Permission.CERTS_MANAGE;
import static dev.cairn.mgmt.access.Permission.PUBLIC;
import static io.helidon.http.Method.GET;
import static io.helidon.http.Method.POST;

/** The appliance CA: client certificates for agents and API clients, revocation, CA certificate and CRL. */
final class CertRoutes {
    record IssueRequest(String subject, String csr, Integer days) {
    }

    record RevokeRequest(String reason) {
    }

    record CertView(String serial, String subject, Instant notBefore, Instant notAfter, boolean revoked, String pem) {
    }

    private final Appliance app;

    private CertRoutes(Appliance app) {
        this.app = app;
    }

    static List<ApiRoute> routes(Appliance app) {
        CertRoutes c = new CertRoutes(app);
        return List.of(
                new ApiRoute(GET, "/ca.pem", PUBLIC, null, false, null, "The appliance CA certificate (PEM)", c::caPem),
                new ApiRoute(GET, "/ca.crl", PUBLIC, null, false, null, "The appliance CA's revocation list (DER)", c::crl),
                new ApiRoute(GET, "/api/v1/certificates", CERTS_MANAGE, null, false, null,
                        "Client certificates issued by the appliance CA", c::list),
                new ApiRoute(POST, "/api/v1/certificates", CERTS_MANAGE, "cert.issue", true, IssueRequest.class,
                        "Issue a client certificate for a PKCS#10 request (subject api:NAME or agent:NAME)", c::issue),
                new ApiRoute(POST, "/api/v1/certificates/{serial}/revoke", CERTS_MANAGE, "cert.revoke", true, RevokeRequest.class,
                        "Revoke a client certificate (takes effect for new connections at once)", c::revoke));
    }

    private static CertView view(IssuedCertificate c) {
        return new CertView(c.serial().toString(16), c.subject(), c.notBefore(), c.notAfter(), c.revoked(), c.pem());
    }

    private Object caPem(Call call) throws CertificateEncodingException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(app.ca().certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Reply.text("application/x-pem-file", pem);
    }

    private Object crl(Call call) throws CRLException {
        return new Reply(200, "application/pkix-crl", app.ca().crl().getEncoded());
    }

    private Object list(Call call) {
        return app.ca().issued().stream().map(CertRoutes::view).toList();
    }

    private Object issue(Call call) {
        IssueRequest r = call.body(IssueRequest.class);
        if (r.subject() == null || r.csr() == null) {
            throw ApiException.badRequest("send subject (api:NAME or agent:NAME) and csr (PEM)");
        }
        if (r.subject().startsWith("api:")) {
            // an api: certificate acts as that user with all their roles: only the user may get one, for themselves
            String name = r.subject().substring(4);
            if (!name.equals(call.caller().name()) || call.caller().kind() == Caller.Kind.BREAK_GLASS) {
                throw ApiException.forbidden("an api: certificate can only be issued to yourself (api:"
                        + call.caller().name() + "); agents get agent: certificates");
            }
        } else if (!r.subject().startsWith("agent:")) {
            throw ApiException.badRequest("subject must be api:NAME (yourself) or agent:NAME");
        }
        int days = r.days() == null ? 365 : r.days();
        if (days < 1 || days > 398) {
            throw ApiException.badRequest("days must be 1 to 398");
        }
        IssuedCertificate c = app.ca().issueClientCertificate(r.subject(), r.csr(), Duration.ofDays(days));
        call.target("cert:" + c.serial().toString(16));
        call.reason(c.subject());
        return Reply.json(201, view(c));
    }

    private Object revoke(Call call) {
        String serial = call.path("serial");
        if (!serial.matches("[0-9a-f]{1,40}")) {
            throw ApiException.badRequest("serial must be lowercase hex");
        }
        call.target("cert:" + serial);
        BigInteger s = new BigInteger(serial, 16);
        if (app.ca().issued().stream().noneMatch(c -> c.serial().equals(s))) {
            throw ApiException.notFound("no certificate with that serial");
        }
        RevokeRequest r = call.body(RevokeRequest.class);
        app.ca().revoke(s, r.reason() == null ? "unspecified" : r.reason());
        return null;
    }
}
