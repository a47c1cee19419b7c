package dev.cairn.mgmt.server;

import dev.cairn.mgmt.access.Permission;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3.1 document at {@code /openapi.yaml}, generated from the route table, so it cannot drift
 * from what the server does. Each operation carries the route's permission ({@code x-cairn-permission}),
 * whether it is audited ({@code x-cairn-audit}) and whether it needs step-up ({@code x-cairn-step-up}); request
 * schemas come from the body records.
 */
final class OpenApi {
    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

    private OpenApi() {
    }

    static String yaml(List<ApiRoute> routes) {
        StringBuilder b = new StringBuilder();
        b.append("openapi: 3.1.0\n")
                .append("info:\n  title: Cairn appliance control plane\n  version: \"1\"\n")
                .append("  description: >-\n    HTTPS only. Cookie sessions (__Host-cairn-session) need the X-CSRF-Token\n")
                .append("    header on changes; API tokens use Authorization: Bearer. Errors are\n")
                .append("    application/problem+json. docs/security.md explains roles, MFA, step-up and approvals.\n")
                .append("components:\n  securitySchemes:\n")
                .append("    session: {type: apiKey, in: cookie, name: __Host-cairn-session}\n")
                .append("    token: {type: http, scheme: bearer}\n")
                .append("    clientCertificate: {type: mutualTLS}\n")
                .append("paths:\n");
        Map<String, List<ApiRoute>> byPath = new TreeMap<>();
        for (ApiRoute r : routes) {
            byPath.computeIfAbsent(r.path(), k -> new java.util.ArrayList<>()).add(r);
        }
        for (var e : byPath.entrySet()) {
            b.append("  ").append(quote(e.getKey())).append(":\n");
            for (ApiRoute r : e.getValue()) {
                operation(b, r);
            }
        }
        return b.toString();
    }

    private static void operation(StringBuilder b, ApiRoute r) {
        b.append("    ").append(r.method().text().toLowerCase()).append(":\n");
        b.append("      summary: ").append(quote(r.summary())).append('\n');
        b.append("      x-cairn-permission: ").append(r.permission().name().toLowerCase()).append('\n');
        b.append("      x-cairn-audit: ").append(r.audit() == null ? "false" : quote(r.audit())).append('\n');
        b.append("      x-cairn-step-up: ").append(r.stepUp()).append('\n');
        if (r.permission() == Permission.PUBLIC) {
            b.append("      security: []\n");
        }
        Matcher m = PARAM.matcher(r.path());
        boolean first = true;
        while (m.find()) {
            if (first) {
                b.append("      parameters:\n");
                first = false;
            }
            b.append("        - {name: ").append(m.group(1)).append(", in: path, required: true, schema: {type: string}}\n");
        }
        if (r.body() != null) {
            b.append("      requestBody:\n        required: true\n        content:\n          application/json:\n")
                    .append("            schema:\n              type: object\n              additionalProperties: false\n")
                    .append("              properties:\n");
            for (RecordComponent c : r.body().getRecordComponents()) {
                b.append("                ").append(c.getName()).append(": ").append(schema(c.getGenericType())).append('\n');
            }
        }
        b.append("      responses:\n");
        b.append("        '2XX': {description: done}\n");
        b.append("        '4XX': {description: refused, content: {application/problem+json: {}}}\n");
    }

    private static String schema(Type t) {
        if (t instanceof ParameterizedType p && p.getRawType() == List.class) {
            return "{type: array, items: " + schema(p.getActualTypeArguments()[0]) + "}";
        }
        if (t == String.class) {
            return "{type: string}";
        }
        if (t == Integer.class || t == int.class || t == Long.class) {
            return "{type: integer}";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "{type: boolean}";
        }
        return "{type: object}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
