package dev.cairn.mgmt.server;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writes {@code application/problem+json} (RFC 9457) responses. */
final class Problems {
    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {
    }

    static void send(ServerResponse res, ApiException e) {
        res.status(Status.create(e.status()));
        if (e.retryAfter() != null) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        if (e.status() == 401) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"cairn\"");
        }
        res.header(HeaderNames.CONTENT_TYPE, MEDIA_TYPE);
        res.send(Json.write(Gate.problemBody(e)));
    }
}
