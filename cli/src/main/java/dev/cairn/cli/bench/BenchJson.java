package dev.cairn.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** One-line JSON objects for benchmark output, built from alternating keys and values in order. */
final class BenchJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private BenchJson() {
    }

    static Map<String, Object> object(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String line(Object... kv) {
        return write(object(kv));
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses {@code text} as one JSON document, or null when it is not one. */
    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Parses the last line of {@code text} that holds a JSON object, or null. */
    static JsonNode lastObject(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.startsWith("{")) {
                try {
                    return MAPPER.readTree(l);
                } catch (JsonProcessingException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Rounds to {@code digits} decimals, for figures people read. */
    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
