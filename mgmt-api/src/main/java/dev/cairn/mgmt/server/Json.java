package dev.cairn.mgmt.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

import java.io.IOException;

/**
 * The API's JSON: strict on input (unknown members, trailing data, duplicate keys, deep nesting, and numbers
 * or booleans where strings are expected are refused as 400), ISO-8601 times on output. Request bodies are
 * capped by the listener (see {@link ApiServer#MAX_BODY_BYTES}) before they reach this class.
 */
public final class Json {
    /** Deeper documents are refused: no request of this API nests more than a few levels. */
    public static final int MAX_DEPTH = 16;
    /** Longer strings are refused (a CSR or a WebAuthn response is well under this). */
    public static final int MAX_STRING = 32 * 1024;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_STRING).maxNumberLength(32).build())
                    .build())
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            // a number or a boolean where a string is expected is the wrong shape, not a string
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    private Json() {
    }

    /** Parses {@code body} as {@code type}; any problem is a 400 that says what kind of problem, not the input. */
    public static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request body is empty; send a JSON object");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiException.badRequest("the request body is JSON null; send a JSON object");
            }
            return value;
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("the JSON document is nested deeper than " + MAX_DEPTH
                    + " levels or holds a value that is too long");
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown member \"" + safeName(e.getPropertyName()) + "\" in the request");
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause();
            throw ApiException.badRequest(cause instanceof IllegalArgumentException && cause.getMessage() != null
                    ? cause.getMessage() : "a member of the request has a value that is not allowed");
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw ApiException.badRequest("the request does not have the expected members and types; see /openapi.yaml");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("the request body could not be read");
        }
    }

    /** Parses any JSON value (for members passed through verbatim, such as a WebAuthn response). */
    public static JsonNode tree(byte[] body) {
        return read(body, JsonNode.class);
    }

    /** Serialises a response body. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response could not be serialised", e);
        }
    }

    private static String safeName(String name) {
        if (name == null || name.length() > 40 || !name.matches("[A-Za-z0-9_.-]*")) {
            return "?";
        }
        return name;
    }
}
