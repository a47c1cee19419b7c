package dev.cairn.mgmt.auth;

import java.util.List;

/**
 * A freshly issued set of recovery codes (docs/auth.md, section 5): the printable codes, handed to the user once,
 * and their Argon2id PHC strings in the same order, the only form that is stored. {@link #toString()} shows neither.
 *
 * @param codes        the printable codes, {@code XXXXX-XXXXX}
 * @param storedHashes one PHC string per code, same order
 */
public record IssuedRecoveryCodes(List<String> codes, List<String> storedHashes) {
    /** Copies the lists; they must have the same size. */
    public IssuedRecoveryCodes {
        codes = List.copyOf(codes);
        storedHashes = List.copyOf(storedHashes);
        if (codes.size() != storedHashes.size()) {
            throw new IllegalArgumentException("one hash per code");
        }
    }

    @Override
    public String toString() {
        return "IssuedRecoveryCodes[" + codes.size() + " codes, <redacted>]";
    }
}
