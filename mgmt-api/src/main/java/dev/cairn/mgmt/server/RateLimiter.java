package dev.cairn.mgmt.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source address for the routes anyone can call with a body (login, enrollment,
 * break-glass): at most {@code perMinute} attempts a minute, refilled continuously. It bounds password spraying
 * across accounts from one address and how fast one client can grow the audit trail. At most
 * {@link #MAX_ADDRESSES} addresses are tracked (least recently seen forgotten first).
 */
final class RateLimiter {
    static final int MAX_ADDRESSES = 10_000;

    /** What the limiter says about one attempt. */
    record Decision(boolean allowed, Duration retryAfter, boolean firstRefusal) {
    }

    private record Bucket(double tokens, Instant at, boolean limited) {
    }

    private final int perMinute;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    RateLimiter(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("the rate limit must be at least 1 a minute");
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    synchronized Decision take(String address) {
        Instant now = clock.instant();
        Bucket b = buckets.get(address);
        double tokens = perMinute;
        boolean limited = false;
        if (b != null) {
            double elapsedMinutes = Math.max(0, Duration.between(b.at(), now).toMillis()) / 60_000.0;
            tokens = Math.min(perMinute, b.tokens() + elapsedMinutes * perMinute);
            limited = b.limited();
        }
        if (tokens >= 1) {
            buckets.put(address, new Bucket(tokens - 1, now, false));
            return new Decision(true, Duration.ZERO, false);
        }
        buckets.put(address, new Bucket(tokens, now, true));
        long waitMillis = (long) Math.ceil((1 - tokens) * 60_000.0 / perMinute);
        return new Decision(false, Duration.ofMillis(Math.max(1000, waitMillis)), !limited);
    }
}
