package dev.cairn.mgmt.identity;

import java.util.Objects;

import dev.cairn.mgmt.auth.PasswordPolicy;

/**
 * A new password breaks {@link PasswordPolicy} (docs/auth.md, section 1). Carries which rule failed, never the
 * password.
 */
public final class WeakPasswordException extends RuntimeException {
    private final PasswordPolicy.Result result;

    /** For a failed policy check ({@code result} is not {@code OK}). */
    public WeakPasswordException(PasswordPolicy.Result result) {
        super(switch (Objects.requireNonNull(result, "result")) {
            case TOO_SHORT -> "password too short: use at least " + PasswordPolicy.MIN_CODE_POINTS
                    + " characters (a few unrelated words work well)";
            case TOO_LONG -> "password too long: use at most " + PasswordPolicy.MAX_CODE_POINTS + " characters";
            case OK -> throw new IllegalArgumentException("an OK password is not weak");
        });
        this.result = result;
    }

    /** The rule that failed. */
    public PasswordPolicy.Result result() {
        return result;
    }
}
