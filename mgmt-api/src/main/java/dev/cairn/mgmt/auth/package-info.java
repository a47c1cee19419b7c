/**
 * Authentication primitives of the control plane (docs/auth.md): the password policy, Argon2id password hashes
 * as PHC strings, lockout with backoff, TOTP (RFC 6238) with replay protection and enrollment URIs, and single-use
 * recovery codes. Pure library code: no HTTP, no storage, no logging; time and randomness are injected.
 *
 * <p>Concurrency: every type here is immutable or stateless and safe to share between threads. The state that
 * changes (a {@link dev.cairn.mgmt.auth.LockoutState}, the last used TOTP step, the used recovery codes) is
 * returned to the caller, who persists it and must serialise updates per account.
 */
package dev.cairn.mgmt.auth;
