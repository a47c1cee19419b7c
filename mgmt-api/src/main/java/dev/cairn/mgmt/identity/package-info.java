/**
 * Identities of the control plane (issue 5; requirements MFA-1..4; docs/auth.md and docs/formats/user-store.md):
 * local users in a sealed store ({@link dev.cairn.mgmt.identity.UserStore}, {@link dev.cairn.mgmt.identity.Sealer}),
 * password login with lockout ({@link dev.cairn.mgmt.identity.PasswordLogin}), MFA enrollment and checks
 * ({@link dev.cairn.mgmt.identity.Mfa}), in-memory browser sessions ({@link dev.cairn.mgmt.identity.Sessions}),
 * persisted scoped API tokens ({@link dev.cairn.mgmt.identity.ApiTokens}) and the one-time first-administrator link
 * ({@link dev.cairn.mgmt.identity.Enrollment}).
 *
 * <p>Pure Java, no HTTP and no logging: the server calls this and writes the audit events. Time comes from an
 * injected {@link java.time.Clock}, randomness from an injected {@link java.security.SecureRandom}. Every class is
 * thread safe. No password, hash, secret, code or token appears in an exception message or a {@code toString()}.
 *
 * <h2>Concurrency</h2>
 * <table>
 * <caption>what may run together</caption>
 * <tr><th>operation</th><th>safe because</th></tr>
 * <tr><td>UserStore reads (find, list, isEmpty)</td><td>read an immutable snapshot; run beside anything</td></tr>
 * <tr><td>UserStore writes (create, update, delete, setPassword)</td><td>one at a time (the store's monitor); the
 * file is written and renamed before the in-memory snapshot changes, so a failed write changes nothing</td></tr>
 * <tr><td>PasswordLogin.login on one account</td><td>serialised per account (striped locks), so parallel guesses
 * cannot all pass the lockout check before the first failure is counted; Argon2id runs outside the store's
 * monitor</td></tr>
 * <tr><td>Mfa.useRecoveryCode</td><td>hashes outside the monitor; marks the index used inside it only if still
 * unused in the same set, so one code succeeds once</td></tr>
 * <tr><td>Sessions, ApiTokens, Enrollment</td><td>concurrent map / the object's monitor</td></tr>
 * </table>
 */
package dev.cairn.mgmt.identity;
