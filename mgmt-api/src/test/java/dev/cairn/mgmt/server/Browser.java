package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.testing.junit5.DirectClient;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A browser for the API tests: keeps the session cookie the server sets (as a browser would for
 * {@code __Host-} cookies) and the CSRF token the server returns, and sends both back.
 */
final class Browser {
    /** One response: status, body text, the Set-Cookie header values. */
    record Response(int status, String body, List<String> setCookies, String retryAfter) {
        JsonNode json() {
            return Json.tree(body.getBytes(StandardCharsets.UTF_8));
        }

        String detail() {
            return json().path("detail").asText();
        }

        String type() {
            return json().path("type").asText();
        }
    }

    private final DirectClient client;
    String cookie;
    String csrf;
    String userAgent = "cairn-test";

    Browser(DirectClient client) {
        this.client = client;
    }

    Response get(String path) {
        return send(Method.GET, path, null);
    }

    Response post(String path) {
        return send(Method.POST, path, null);
    }

    Response post(String path, String json) {
        return send(Method.POST, path, json);
    }

    Response put(String path, String json) {
        return send(Method.PUT, path, json);
    }

    Response delete(String path) {
        return send(Method.DELETE, path, null);
    }

    Response send(Method method, String path, String json) {
        Http1ClientRequest req = client.method(method).path(path).header(HeaderNames.USER_AGENT, userAgent);
        if (cookie != null) {
            req.header(HeaderNames.COOKIE, Gate.SESSION_COOKIE + "=" + cookie);
        }
        if (csrf != null) {
            req.header(HeaderNames.create(Gate.CSRF_HEADER), csrf);
        }
        Http1ClientResponse res;
        if (json != null) {
            req.header(HeaderNames.CONTENT_TYPE, "application/json");
            res = req.submit(json.getBytes(StandardCharsets.UTF_8));
        } else {
            res = req.request();
        }
        try (res) {
            List<String> setCookies = res.headers().all(HeaderNames.SET_COOKIE, List::of);
            for (String c : setCookies) {
                if (c.startsWith(Gate.SESSION_COOKIE + "=")) {
                    String value = c.substring(Gate.SESSION_COOKIE.length() + 1).split(";", 2)[0];
                    cookie = value.isEmpty() ? null : value;
                }
            }
            String body = res.status().code() == 204 ? "" : res.as(String.class);
            Response r = new Response(res.status().code(), body, setCookies,
                    res.headers().first(HeaderNames.RETRY_AFTER).orElse(null));
            if (r.status() < 300 && body.startsWith("{")) {
                JsonNode n = r.json();
                if (n.hasNonNull("csrfToken")) {
                    csrf = n.get("csrfToken").asText();
                }
            }
            return r;
        }
    }

    /** Password and TOTP through the API; returns the login response of the MFA step. */
    Response login(ApplianceFixture fx, String user, byte[] totpSecret) {
        Response first = post("/api/v1/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + ApplianceFixture.PASSWORD + "\"}");
        if (first.status() != 200) {
            return first;
        }
        Response mfa = post("/api/v1/auth/mfa/totp", "{\"code\":\"" + fx.totp(totpSecret) + "\"}");
        fx.clock.advance(java.time.Duration.ofSeconds(30)); // the next login in a test needs a fresh step
        return mfa;
    }
}
