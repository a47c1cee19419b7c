package dev.cairn.mgmt.server;

import dev.cairn.mgmt.webauthn.Ceremony;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The WebAuthn ceremonies in progress, one per session and kind, kept in memory on the server side (the
 * challenge never has to come back from the client to be trusted). Taking one removes it: single use.
 */
final class Ceremonies {
    private static final int MAX = 10_000;
    private final Clock clock;
    private final Map<String, Ceremony> pending = new HashMap<>();

    Ceremonies(Clock clock) {
        this.clock = clock;
    }

    synchronized void put(String sessionId, Ceremony ceremony) {
        pending.values().removeIf(c -> c.expiresAt().isBefore(clock.instant()));
        if (pending.size() >= MAX) {
            throw new ApiException(503, "Busy", "too many passkey ceremonies in progress; try again in a few minutes");
        }
        pending.put(sessionId + "/" + ceremony.kind(), ceremony);
    }

    synchronized Optional<Ceremony> take(String sessionId, String kind) {
        return Optional.ofNullable(pending.remove(sessionId + "/" + kind));
    }
}
