package dev.cairn.mgmt.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.mgmt.access.Permission;
import dev.cairn.mgmt.access.Role;
import dev.cairn.mgmt.identity.Session;
import dev.cairn.mgmt.identity.Sessions;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input on every route of the one route table ({@link ApiRoutes#table}), so a new route is covered
 * without touching this test. Each case is sent twice: as an administrator + security officer with a fresh,
 * full session (MFA just proved, CSRF header sent, a new session per request) and as the anonymous. Proven: no
 * case gets a 5xx; every 4xx is {@code application/problem+json} whose status matches; the anonymous and callers
 * the row refuses get 401/403 (the gate's, or the fallback's 401 when a hostile path matches no route); a caller
 * the gate lets through gets 415 for a wrong (or wildcard, or missing) content type on a body route and for any
 * body on a route without one, and 400 for malformed, too deep, too long or badly encoded JSON, JSON of the wrong
 * shape (including numbers where strings are expected), unknown or duplicate members, and junk audit queries;
 * hostile path parameters and NUL, control characters or U+2028 in strings get some 4xx. The one allowed
 * departure from a precise 400: a handler that refuses what the path names (404) or a missing ceremony (409)
 * before it reads the body, proven by the same answer to an empty object. GET routes that read no query may
 * ignore a junk query, but never answer it with a 5xx.
 */
@RoutingTest
@Timeout(20)
class HostileInputTest {
    private static final String ADMIN = "hostile-admin";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static ApplianceFixture fx;
    private final DirectClient client;

    HostileInputTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        fx = ApplianceFixture.create();
        fx.user(ADMIN, Role.ADMINISTRATOR, Role.SECURITY_OFFICER);
        ApiServer.routing(routing, fx.app);
    }

    @AfterAll
    static void close() {
        fx.close();
    }

    /**
     * One hostile request.
     *
     * @param expect the exact status when the gate lets the caller through, or 0 for "any 4xx"
     */
    record Case(String label, ApiRoute route, boolean admin, String path, String contentType, byte[] body,
                int expect, Map<String, String> query) {
        Case(String label, ApiRoute route, boolean admin, String path, String contentType, byte[] body, int expect) {
            this(label, route, admin, path, contentType, body, expect, Map.of());
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> cases() {
        List<ApiRoute> table = ApiRoutes.table(fx.app);
        List<Case> all = new ArrayList<>();
        for (ApiRoute route : table) {
            for (boolean admin : new boolean[] {true, false}) {
                all.addAll(casesFor(route, admin));
            }
        }
        Set<String> covered = new HashSet<>();
        all.forEach(c -> covered.add(c.route().method().text() + " " + c.route().path()));
        assertThat(covered).as("every route of the table has hostile cases").hasSize(table.size());
        assertThat(all).as("the hostile cases are many (the test cannot silently test nothing)")
                .hasSizeGreaterThan(1000);
        return all.stream().map(c -> Arguments.of(c.label(), c));
    }

    private static List<Case> casesFor(ApiRoute route, boolean admin) {
        List<Case> out = new ArrayList<>();
        String who = admin ? " as administrator" : " as anonymous";
        String name = route.method().text() + " " + route.path();
        String path = plainPath(route.path());
        Function<String, String> label = what -> name + who + ": " + what;
        if (route.body() != null) {
            Class<? extends Record> type = route.body();
            Map<String, Object> sample = sample(type);
            String first = type.getRecordComponents()[0].getName();
            String json = "application/json";
            out.add(new Case(label.apply("truncated object {"), route, admin, path, json, utf8("{"), 400));
            out.add(new Case(label.apply("truncated array [1,"), route, admin, path, json, utf8("[1,"), 400));
            out.add(new Case(label.apply("missing value {\"a\":}"), route, admin, path, json, utf8("{\"a\":}"), 400));
            out.add(new Case(label.apply("trailing garbage"), route, admin, path, json,
                    cat(Json.write(sample), utf8("}x")), 400));
            out.add(new Case(label.apply("an array"), route, admin, path, json, utf8("[1,2,3]"), 400));
            out.add(new Case(label.apply("a string"), route, admin, path, json, utf8("\"text\""), 400));
            out.add(new Case(label.apply("null"), route, admin, path, json, utf8("null"), 400));
            out.add(new Case(label.apply("a number"), route, admin, path, json, utf8("42"), 400));
            out.add(new Case(label.apply("objects for every member"), route, admin, path, json,
                    Json.write(replaceAll(type, c -> Map.of("x", 1))), 400));
            out.add(new Case(label.apply("numbers where strings are expected"), route, admin, path, json,
                    Json.write(replaceStrings(type, c -> 12345)), 400));
            out.add(new Case(label.apply("an unknown member"), route, admin, path, json,
                    Json.write(with(sample, "unexpected", 1)), 400));
            out.add(new Case(label.apply("a duplicate key"), route, admin, path, json,
                    utf8("{\"" + first + "\":\"a\",\"" + first + "\":\"b\"}"), 400));
            out.add(new Case(label.apply("2000 levels of ["), route, admin, path, json, utf8("[".repeat(2000)), 400));
            out.add(new Case(label.apply("2000 levels of {\"a\":"), route, admin, path, json,
                    utf8("{\"a\":".repeat(2000) + "1" + "}".repeat(2000)), 400));
            out.add(new Case(label.apply("nesting one deeper than MAX_DEPTH in a member"), route, admin, path, json,
                    utf8("{\"" + first + "\":" + "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH) + "}"), 400));
            out.add(new Case(label.apply("a string longer than MAX_STRING"), route, admin, path, json,
                    Json.write(with(sample, first, "a".repeat(Json.MAX_STRING + 1))), 400));
            out.add(new Case(label.apply("a 32-digit number in every member"), route, admin, path, json,
                    utf8(replaceAllRaw(type, "12345678901234567890123456789012")), 400));
            out.add(new Case(label.apply("a 400-digit number"), route, admin, path, json,
                    utf8("{\"" + first + "\":" + "9".repeat(400) + "}"), 400));
            out.add(new Case(label.apply("invalid UTF-8 bytes"), route, admin, path, json,
                    cat(utf8("{\"" + first + "\":\"a"), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF}, utf8("\"}")),
                    400));
            out.add(new Case(label.apply("a UTF-8 BOM before an unknown member"), route, admin, path, json,
                    cat(BOM, Json.write(with(sample, "unexpected", 1))), 400));
            out.add(new Case(label.apply("a UTF-8 BOM alone"), route, admin, path, json, BOM, 400));
            out.add(new Case(label.apply("a raw NUL byte in strings"), route, admin, path, json,
                    utf8(replaceStringsRaw(type, "\"a\u0000b\"")), 400));
            out.add(new Case(label.apply("a raw control character in strings"), route, admin, path, json,
                    utf8(replaceStringsRaw(type, "\"a\u0007\nb\"")), 400));
            out.add(new Case(label.apply("escaped NUL in strings"), route, admin, path, json,
                    Json.write(replaceStrings(type, c -> "hostile\u0000name")), 0));
            out.add(new Case(label.apply("escaped control characters in strings"), route, admin, path, json,
                    Json.write(replaceStrings(type, c -> "hostile\u001b[2J\r\nname")), 0));
            out.add(new Case(label.apply("U+2028 and U+2029 in strings"), route, admin, path, json,
                    Json.write(replaceStrings(type, c -> "hostile\u2028\u2029name")), 0));
            out.add(new Case(label.apply("an empty body"), route, admin, path, json, new byte[0], 400));
            out.add(new Case(label.apply("whitespace only"), route, admin, path, json, utf8(" \r\n\t"), 400));
            byte[] right = Json.write(sample);
            for (String ct : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=xyz", "application/json; charset=latin1",
                    "application/json; charset=utf-16", "application/jsonx", "*/*")) {
                out.add(new Case(label.apply("the right JSON as " + ct), route, admin, path, ct, right, 415));
            }
            out.add(new Case(label.apply("the right JSON with no content type"), route, admin, path, null, right, 415));
        } else {
            out.add(new Case(label.apply("a JSON body"), route, admin, path, "application/json",
                    utf8("{\"a\":1}"), 415));
            out.add(new Case(label.apply("a form body"), route, admin, path, "application/x-www-form-urlencoded",
                    utf8("a=1&b=%00"), 415));
        }
        if (route.path().contains("{")) {
            byte[] body = route.body() == null ? null : Json.write(sample(route.body()));
            String ct = route.body() == null ? null : "application/json";
            for (String value : List.of("..", "%2e%2e", "..%2f..%2fetc%2fpasswd", "%00", "a%00b", "x".repeat(500),
                    "%C3%A9l%C3%A8ve", "%E2%80%A8", "*", "%20", "a%20b", "%2f", "%0d%0aX-Injected:%201", ".")) {
                String hostile = route.path().replaceAll("\\{[a-zA-Z]+}", java.util.regex.Matcher.quoteReplacement(value));
                out.add(new Case(label.apply("path parameter " + (value.length() > 40 ? value.length() + " characters"
                        : value)), route, admin, hostile, ct, body, 0));
            }
        }
        if (route.method() == Method.GET) {
            int expect = route.path().equals("/api/v1/audit") ? 400 : -1;
            Map<String, String> junk = new LinkedHashMap<>();
            junk.put("from", "yesterday");
            junk.put("limit", "-1");
            junk.put("outcome", "maybe");
            junk.put("cursor", "zzz");
            junk.put("status", "perhaps");
            junk.put("to", "\u0000");
            out.add(new Case(label.apply("a junk query string"), route, admin, path, null, null, expect, junk));
            Map<String, String> huge = new LinkedHashMap<>();
            huge.put("limit", "99999999999999999999");
            huge.put("cursor", "\uFFFE\u0000\u2028../../etc/passwd");
            huge.put("actor", "a".repeat(600));
            huge.put("from", "2026-13-45T99:99:99Z");
            out.add(new Case(label.apply("a huge limit, a cursor of odd characters, a long actor"), route, admin, path,
                    null, null, expect, huge));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostile(String label, Case c) {
        Http1ClientRequest req = client.method(c.route().method()).path(c.path());
        c.query().forEach(req::queryParam);
        if (c.admin()) {
            Sessions.Issued s = fx.app.sessions().create(ADMIN, Session.Stage.FULL, "password+totp",
                    fx.clock.instant(), null);
            req.header(HeaderNames.COOKIE, Gate.SESSION_COOKIE + "=" + s.token());
            req.header(HeaderNames.create(Gate.CSRF_HEADER), s.session().csrfToken());
        }
        if (c.contentType() != null) {
            req.header(HeaderNames.CONTENT_TYPE, c.contentType());
        }
        int status;
        String contentType;
        String text;
        try (Http1ClientResponse res = c.body() == null ? req.request() : req.submit(c.body())) {
            status = res.status().code();
            contentType = res.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
            text = status >= 400 ? res.as(String.class) : "";
        }
        assertThat(status).as("%s: never a server error: %s", label, text).isLessThan(500);
        String type = "";
        if (status >= 400) {
            assertThat(contentType).as("%s: a refusal is problem+json: %s", label, text).startsWith(Problems.MEDIA_TYPE);
            JsonNode problem = Json.tree(text.getBytes(StandardCharsets.UTF_8));
            assertThat(problem.path("status").asInt()).as("the problem's status").isEqualTo(status);
            type = problem.path("type").asText();
        }
        if (c.expect() < 0) {
            return; // a GET route that reads no query: junk is ignored, but never a 5xx
        }
        assertThat(status).as("%s: a hostile request is refused: %s", label, text).isBetween(400, 499);
        boolean hostilePath = !c.path().equals(plainPath(c.route().path()));
        if (!passesGate(c.route(), c.admin())) {
            assertThat(status).as("%s: refused: %s", label, text).isIn(401, 403);
            if (!c.admin()) {
                assertThat(status).as("%s: the anonymous are asked to authenticate", label).isEqualTo(401);
            }
            if (!hostilePath) { // a hostile path may match no route at all: then the fallback answers 401
                assertThat(type).as("%s: refused by the gate: %s", label, text).isEqualTo(ApiException.ACCESS_DENIED);
            }
            return;
        }
        assertThat(type).as("%s: the gate let this caller through: %s", label, text)
                .isNotEqualTo(ApiException.ACCESS_DENIED);
        if (c.expect() > 0 && status != c.expect()) {
            // Some handlers look up what the path names (or a ceremony) before they read the body; then the same
            // route answers the same refusal to an empty object, and the body was never the question.
            int probe = probe(c);
            assertThat(c.expect() != 415 && status == probe && (status == 404 || status == 409))
                    .as("%s: expected %d, got %d (and %d for {}): %s", label, c.expect(), status, probe, text)
                    .isTrue();
        }
    }

    private int probe(Case c) {
        Http1ClientRequest req = client.method(c.route().method()).path(c.path());
        Sessions.Issued s = fx.app.sessions().create(ADMIN, Session.Stage.FULL, "password+totp", fx.clock.instant(),
                null);
        req.header(HeaderNames.COOKIE, Gate.SESSION_COOKIE + "=" + s.token());
        req.header(HeaderNames.create(Gate.CSRF_HEADER), s.session().csrfToken());
        req.header(HeaderNames.CONTENT_TYPE, "application/json");
        try (Http1ClientResponse res = req.submit(utf8("{}"))) {
            return res.status().code();
        }
    }

    /** Whether the gate lets this caller reach the handler (the expectation, from the row alone). */
    private static boolean passesGate(ApiRoute route, boolean admin) {
        Permission p = route.permission();
        if (p == Permission.PUBLIC) {
            return true;
        }
        if (!admin) {
            return false;
        }
        return p == Permission.SELF || p == Permission.MFA_PENDING || p == Permission.MFA_ENROLL
                || Role.ADMINISTRATOR.grants(p) || Role.SECURITY_OFFICER.grants(p);
    }

    private static String plainPath(String template) {
        return template.replace("{name}", "nobody").replace("{id}", "00000000-0000-4000-8000-000000000000")
                .replace("{tenant}", "nobody").replace("{serial}", "abc");
    }

    /** A well-formed body of the record's shape (plausible values; it is only sent where it is refused anyway). */
    private static Map<String, Object> sample(Class<? extends Record> type) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Class<?> t = c.getType();
            Object v;
            if (t == String.class) {
                v = "sample";
            } else if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
                v = 1;
            } else if (t == Boolean.class || t == boolean.class) {
                v = false;
            } else if (List.class.isAssignableFrom(t) || Set.class.isAssignableFrom(t)) {
                v = List.of();
            } else {
                v = Map.of();
            }
            m.put(c.getName(), v);
        }
        return m;
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static Map<String, Object> replaceAll(Class<? extends Record> type, Function<RecordComponent, Object> v) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            m.put(c.getName(), v.apply(c));
        }
        return m;
    }

    /** The sample with every String member replaced (other members keep their sample values). */
    private static Map<String, Object> replaceStrings(Class<? extends Record> type,
                                                      Function<RecordComponent, Object> v) {
        Map<String, Object> m = sample(type);
        boolean any = false;
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getType() == String.class) {
                m.put(c.getName(), v.apply(c));
                any = true;
            }
        }
        if (!any) {
            m.put(type.getRecordComponents()[0].getName(), v.apply(type.getRecordComponents()[0]));
        }
        return m;
    }

    /** A JSON object text with every member's value written verbatim as {@code raw}. */
    private static String replaceAllRaw(Class<? extends Record> type, String raw) {
        StringBuilder b = new StringBuilder("{");
        for (RecordComponent c : type.getRecordComponents()) {
            b.append(b.length() > 1 ? "," : "").append('"').append(c.getName()).append("\":").append(raw);
        }
        return b.append('}').toString();
    }

    /** Like {@link #replaceStrings} but the String members' values are written verbatim (possibly invalid JSON). */
    private static String replaceStringsRaw(Class<? extends Record> type, String raw) {
        Map<String, Object> m = replaceStrings(type, c -> "@@RAW@@");
        return new String(Json.write(m), StandardCharsets.UTF_8).replace("\"@@RAW@@\"", raw);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
