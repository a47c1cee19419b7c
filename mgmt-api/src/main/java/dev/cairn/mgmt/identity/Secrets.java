package dev.cairn.mgmt.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random bearer values and their stored form (SHA-256), shared by sessions, API tokens and enrollment. */
final class Secrets {
    /** 256-bit values are 43 base64url characters without padding. */
    static final int TOKEN_CHARS = 43;

    private Secrets() {
    }

    /** 32 random bytes as unpadded base64url (43 characters). */
    static String token(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** SHA-256 of the token's ASCII text. */
    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** SHA-256 of the token's text as unpadded base64url (the form kept in maps and files). */
    static String sha256Text(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(token));
    }

    /** Whether {@code s} is exactly {@code n} base64url characters. */
    static boolean isBase64Url(String s, int n) {
        if (s == null || s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
