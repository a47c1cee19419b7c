package dev.cairn.mgmt.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/auth.md, section 1. */
class PasswordPolicyTest {

    @Test
    void lengthIsCountedInCodePointsAfterNfc() {
        assertThat(PasswordPolicy.check("a".repeat(11))).isEqualTo(PasswordPolicy.Result.TOO_SHORT);
        assertThat(PasswordPolicy.check("a".repeat(12))).isEqualTo(PasswordPolicy.Result.OK);
        // 11 emoji are 22 UTF-16 chars but 11 code points: too short; 12 are fine
        assertThat(PasswordPolicy.check("\uD83D\uDD11".repeat(11))).isEqualTo(PasswordPolicy.Result.TOO_SHORT);
        assertThat(PasswordPolicy.check("\uD83D\uDD11".repeat(12))).isEqualTo(PasswordPolicy.Result.OK);
        // "e" + combining acute (NFD) is one code point after NFC: 11 of them are too short
        assertThat(PasswordPolicy.check("e\u0301".repeat(11))).isEqualTo(PasswordPolicy.Result.TOO_SHORT);
        assertThat(PasswordPolicy.check("e\u0301".repeat(12))).isEqualTo(PasswordPolicy.Result.OK);
    }

    @Test
    void onlyLengthIsRejected() {
        assertThat(PasswordPolicy.check("            ")).isEqualTo(PasswordPolicy.Result.OK); // 12 spaces
        assertThat(PasswordPolicy.check("all lower case words")).isEqualTo(PasswordPolicy.Result.OK);
        assertThat(PasswordPolicy.check("x".repeat(PasswordPolicy.MAX_CODE_POINTS))).isEqualTo(PasswordPolicy.Result.OK);
        assertThat(PasswordPolicy.check("x".repeat(PasswordPolicy.MAX_CODE_POINTS + 1)))
                .isEqualTo(PasswordPolicy.Result.TOO_LONG);
    }
}
