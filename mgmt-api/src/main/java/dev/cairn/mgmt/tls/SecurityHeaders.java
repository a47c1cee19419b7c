package dev.cairn.mgmt.tls;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP security headers every HTTPS response of the web layer carries, with their exact values (docs/tls.md,
 * section 7). Constants only; the web layer adds {@link #ALL} to each response.
 */
public final class SecurityHeaders {
    /** HSTS: two years, sub-domains, no preload (section 7). */
    public static final String STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";
    /** CSP without {@code 'unsafe-inline'} or {@code 'unsafe-eval'}; nothing may frame the UI. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; font-src 'self'; connect-src 'self'; manifest-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    /** No MIME sniffing. */
    public static final String X_CONTENT_TYPE_OPTIONS = "nosniff";
    /** The strictest referrer policy. */
    public static final String REFERRER_POLICY = "no-referrer";
    /** Legacy anti-framing for browsers without CSP {@code frame-ancestors}. */
    public static final String X_FRAME_OPTIONS = "DENY";
    /** Own browsing context group. */
    public static final String CROSS_ORIGIN_OPENER_POLICY = "same-origin";
    /** Resources are not loadable cross-origin. */
    public static final String CROSS_ORIGIN_RESOURCE_POLICY = "same-origin";
    /** Powerful features the UI never uses are off; WebAuthn keeps its same-origin default. */
    public static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
    /** Nothing is cached by browsers or proxies. */
    public static final String CACHE_CONTROL = "no-store";

    /** Header name to exact value, in the order of docs/tls.md, section 7; unmodifiable. */
    public static final Map<String, String> ALL = all();

    private SecurityHeaders() {
    }

    private static Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
        m.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        m.put("X-Content-Type-Options", X_CONTENT_TYPE_OPTIONS);
        m.put("Referrer-Policy", REFERRER_POLICY);
        m.put("X-Frame-Options", X_FRAME_OPTIONS);
        m.put("Cross-Origin-Opener-Policy", CROSS_ORIGIN_OPENER_POLICY);
        m.put("Cross-Origin-Resource-Policy", CROSS_ORIGIN_RESOURCE_POLICY);
        m.put("Permissions-Policy", PERMISSIONS_POLICY);
        m.put("Cache-Control", CACHE_CONTROL);
        return Collections.unmodifiableMap(m);
    }
}
