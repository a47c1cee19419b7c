package dev.cairn.hsm;

import java.util.List;

/**
 * What {@link KeyVault#rotate} or {@link KeyVault#importKek} did: every data key re-wrapped under the
 * new KEK generation and proven to unwrap to the same key (same keyed fingerprint).
 *
 * @param checkValue for an imported KEK, its key check value (hex of the first 8 bytes of
 *                   AES-ECB(key, zero block)) for the customer to compare; else null
 */
public record RotationReport(String tenant, int fromGeneration, int toGeneration, List<Rewrapped> rewrapped,
                             String checkValue) {

    /** One data key moved to the new generation; {@code fingerprint} is the same before and after. */
    public record Rewrapped(KeyPurpose purpose, int version, String fingerprint) {
    }
}
