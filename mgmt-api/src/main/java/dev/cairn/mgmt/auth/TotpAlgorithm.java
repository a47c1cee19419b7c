package dev.cairn.mgmt.auth;

/**
 * The HMAC of a TOTP (docs/auth.md, section 4). Enrollment offers {@link #SHA1} only; the others are supported for
 * completeness and tested against RFC 6238 appendix B.
 */
public enum TotpAlgorithm {
    /** HMAC-SHA1, the enrolled default. */
    SHA1("HmacSHA1"),
    /** HMAC-SHA256. */
    SHA256("HmacSHA256"),
    /** HMAC-SHA512. */
    SHA512("HmacSHA512");

    private final String jca;

    TotpAlgorithm(String jca) {
        this.jca = jca;
    }

    /** The JCA Mac name. */
    String jcaName() {
        return jca;
    }
}
