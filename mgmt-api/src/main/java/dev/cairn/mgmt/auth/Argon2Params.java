package dev.cairn.mgmt.auth;

/**
 * Argon2id cost parameters recorded in every hash (docs/auth.md, section 2).
 *
 * @param memoryKiB   memory in KiB ({@code m}), at least {@code 8 * parallelism}
 * @param iterations  passes ({@code t}), 1..16
 * @param parallelism lanes ({@code p}), 1..16
 * @param saltBytes   salt length, 8..64
 * @param hashBytes   tag length, 16..64
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism, int saltBytes, int hashBytes) {
    /**
     * Largest accepted {@code m}: 1 GiB. A stored record asking for more is refused as malformed rather than allowed
     * to exhaust the heap of the control plane.
     */
    public static final int MAX_MEMORY_KIB = 1024 * 1024;

    /**
     * The defaults: m=32768 (32 MiB), t=2, p=1, 16-byte salt, 32-byte hash; about 105 ms per hash (median) on the
     * 2-core appliance (section 2 has the measurements).
     */
    public static final Argon2Params DEFAULT = new Argon2Params(32768, 2, 1, 16, 32);

    /** Validates the ranges; a record outside them is never accepted. */
    public Argon2Params {
        if (parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("parallelism out of range 1..16");
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memory out of range 8p..1 GiB");
        }
        if (iterations < 1 || iterations > 16) {
            throw new IllegalArgumentException("iterations out of range 1..16");
        }
        if (saltBytes < 8 || saltBytes > 64) {
            throw new IllegalArgumentException("salt length out of range 8..64");
        }
        if (hashBytes < 16 || hashBytes > 64) {
            throw new IllegalArgumentException("hash length out of range 16..64");
        }
    }
}
