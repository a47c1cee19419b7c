/**
 * The one TLS policy of the appliance (docs/tls.md): {@link dev.cairn.mgmt.tls.TlsPolicy} (protocols, cipher suites,
 * named groups, signature schemes, the {@code SSLParameters} for listeners, the mTLS listener and clients, an
 * {@code SSLContext} factory and trust managers that trust only given anchors) and
 * {@link dev.cairn.mgmt.tls.SecurityHeaders} (the HTTP headers the web layer sends). Pure JDK JSSE, no Helidon.
 *
 * <p>Concurrency: constants and static factories only; every returned object is new and owned by the caller.
 */
package dev.cairn.mgmt.tls;
