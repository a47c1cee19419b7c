package dev.cairn.mgmt.auth;

import java.text.Normalizer;
import java.util.Objects;

/**
 * The password policy applied when a password is set or changed (docs/auth.md, section 1): after NFC normalisation,
 * at least {@link #MIN_CODE_POINTS} and at most {@link #MAX_CODE_POINTS} Unicode code points; nothing else is
 * rejected. Stateless and thread safe.
 */
public final class PasswordPolicy {
    /** Minimum length in code points. */
    public static final int MIN_CODE_POINTS = 12;
    /** Maximum length in code points; only bounds the work of hashing. */
    public static final int MAX_CODE_POINTS = 1024;

    /** The outcome of a check; never carries the password. */
    public enum Result {
        /** The password may be set. */
        OK,
        /** Fewer than {@link #MIN_CODE_POINTS} code points. */
        TOO_SHORT,
        /** More than {@link #MAX_CODE_POINTS} code points. */
        TOO_LONG
    }

    private PasswordPolicy() {
    }

    /** Checks a candidate password (normalised to NFC first). */
    public static Result check(CharSequence password) {
        Objects.requireNonNull(password, "password");
        String nfc = normalize(password);
        int n = nfc.codePointCount(0, nfc.length());
        if (n < MIN_CODE_POINTS) {
            return Result.TOO_SHORT;
        }
        return n > MAX_CODE_POINTS ? Result.TOO_LONG : Result.OK;
    }

    /** The NFC form that is measured and hashed (section 1 and 2). */
    static String normalize(CharSequence password) {
        return Normalizer.normalize(password, Normalizer.Form.NFC);
    }
}
