package dev.cairn.mgmt.server;

/**
 * A response other than "200 with this JSON body": another status, or another content type.
 *
 * @param status      the HTTP status
 * @param contentType the media type of {@code body}; JSON bodies use {@link #json}
 * @param body        the bytes, or null for no body
 */
public record Reply(int status, String contentType, byte[] body) {
    public static Reply json(int status, Object value) {
        return new Reply(status, "application/json", Json.write(value));
    }

    public static Reply text(String contentType, String text) {
        return new Reply(200, contentType, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Reply noContent() {
        return new Reply(204, null, null);
    }
}
