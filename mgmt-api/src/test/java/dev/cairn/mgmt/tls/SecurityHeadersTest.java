package dev.cairn.mgmt.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** docs/tls.md, section 7: the exact header values. */
class SecurityHeadersTest {

    @Test
    void headersAreExactAndInOrder() {
        assertThat(SecurityHeaders.ALL.keySet()).containsExactly("Strict-Transport-Security",
                "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options",
                "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy", "Permissions-Policy", "Cache-Control");
        assertThat(SecurityHeaders.ALL).containsEntry("Strict-Transport-Security",
                        "max-age=63072000; includeSubDomains")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Referrer-Policy", "no-referrer")
                .containsEntry("X-Frame-Options", "DENY")
                .containsEntry("Cache-Control", "no-store");
    }

    @Test
    void cspForbidsInlineAndFraming() {
        String csp = SecurityHeaders.ALL.get("Content-Security-Policy");
        assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval").doesNotContain("*")
                .startsWith("default-src 'none';").contains("frame-ancestors 'none'")
                .contains("base-uri 'none'").contains("object-src 'none'");
        // no directive may be listed twice (browsers keep the first and ignore the rest)
        String[] names = csp.split(";\\s*");
        assertThat(java.util.Arrays.stream(names).map(d -> d.split(" ")[0])).doesNotHaveDuplicates();
    }
}
