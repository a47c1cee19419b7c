/**
 * WebAuthn/FIDO2 passkeys for MFA (requirement MFA-1, docs/auth.md): registration and assertion ceremonies
 * checked with webauthn4j; the stored form of a credential is {@link dev.cairn.mgmt.webauthn.Passkey}.
 */
package dev.cairn.mgmt.webauthn;
