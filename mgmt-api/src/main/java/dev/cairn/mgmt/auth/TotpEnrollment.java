package dev.cairn.mgmt.auth;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@code otpauth://} enrollment URI (docs/auth.md, section 4) for the enrolled parameters (SHA1, 6 digits, 30 s).
 * The URI contains the secret: show it once, never log or store it.
 */
public final class TotpEnrollment {
    private static final String HEX = "0123456789ABCDEF";

    private TotpEnrollment() {
    }

    /**
     * {@code otpauth://totp/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}, with issuer
     * and account percent-encoded (RFC 3986 unreserved characters pass; space is {@code %20}).
     *
     * @throws IllegalArgumentException if the issuer or account is empty
     */
    public static String uri(String issuer, String account, TotpSecret secret) {
        Objects.requireNonNull(secret, "secret");
        if (issuer == null || issuer.isEmpty() || account == null || account.isEmpty()) {
            throw new IllegalArgumentException("issuer and account must not be empty");
        }
        String i = escape(issuer);
        return "otpauth://totp/" + i + ":" + escape(account) + "?secret=" + secret.toBase32() + "&issuer=" + i
                + "&algorithm=SHA1&digits=6&period=30";
    }

    /** Percent-encodes UTF-8; only ALPHA, DIGIT, '-', '.', '_', '~' pass. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return b.toString();
    }
}
