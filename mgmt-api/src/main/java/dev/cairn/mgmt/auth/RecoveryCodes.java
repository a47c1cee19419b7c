package dev.cairn.mgmt.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Single-use recovery codes (docs/auth.md, section 5): {@value #COUNT} codes of {@value #LENGTH} base32 characters,
 * printed as {@code ABCDE-FGH23}, stored only as Argon2id PHC strings. The caller persists which indexes are used.
 * Immutable and thread safe.
 */
public final class RecoveryCodes {
    /** Codes per set. */
    public static final int COUNT = 10;
    /** Characters per code (50 bits). */
    public static final int LENGTH = 10;

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final PasswordHasher hasher;
    private final SecureRandom random;

    /**
     * Codes hashed with {@code hasher}.
     *
     * @param hasher hashes the codes ({@link PasswordHasher#withDefaults()} in production)
     * @param random the code source
     */
    public RecoveryCodes(PasswordHasher hasher, SecureRandom random) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new set, replacing any old one. */
    public IssuedRecoveryCodes issue() {
        List<String> codes = new ArrayList<>(COUNT);
        List<String> hashes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder b = new StringBuilder(LENGTH);
            for (int j = 0; j < LENGTH; j++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String raw = b.toString();
            codes.add(raw.substring(0, LENGTH / 2) + "-" + raw.substring(LENGTH / 2));
            hashes.add(hasher.hash(raw));
        }
        return new IssuedRecoveryCodes(codes, hashes);
    }

    /**
     * Checks an entered code against every stored code whose index is not in {@code used}, always all of them,
     * without stopping at a match.
     *
     * @return the index of the matching code (mark it used and audit it), or empty
     * @throws MalformedCredentialException if a stored record does not parse (fail closed)
     */
    public OptionalInt verify(String entered, List<String> storedHashes, Set<Integer> used)
            throws MalformedCredentialException {
        Objects.requireNonNull(storedHashes, "storedHashes");
        Objects.requireNonNull(used, "used");
        String code = normalize(entered);
        if (code == null) {
            return OptionalInt.empty();
        }
        int match = -1;
        for (int i = 0; i < storedHashes.size(); i++) {
            if (used.contains(i)) {
                continue;
            }
            boolean ok = hasher.verify(code, storedHashes.get(i));
            // no early exit; with 50-bit codes two matches cannot happen in practice, the first one wins
            match = (ok & match < 0) ? i : match;
        }
        return match < 0 ? OptionalInt.empty() : OptionalInt.of(match);
    }

    /** Upper-cases ASCII letters and drops spaces and hyphens; null if the rest is not 10 base32 characters. */
    static String normalize(String entered) {
        if (entered == null || entered.length() > 64) {
            return null;
        }
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < entered.length(); i++) {
            char c = entered.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            char u = c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c; // ASCII only: no locale or Unicode folding
            if (ALPHABET.indexOf(u) < 0) {
                return null;
            }
            b.append(u);
        }
        return b.length() == LENGTH ? b.toString() : null;
    }
}
