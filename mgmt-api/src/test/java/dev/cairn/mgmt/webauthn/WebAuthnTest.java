package dev.cairn.mgmt.webauthn;

import dev.cairn.hsm.testing.TestClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** docs/auth.md, section "WebAuthn passkeys": real signatures from {@link SoftwareAuthenticator}, verified by webauthn4j. */
class WebAuthnTest {
    static final String ORIGIN = "https://localhost:8443";
    static final byte[] HANDLE = "user-handle-0001".getBytes(StandardCharsets.US_ASCII);
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

    final TestClock clock = new TestClock(T0);
    final WebAuthn web = new WebAuthn("localhost", "Cairn", Set.of(ORIGIN), new SecureRandom(), clock);
    final SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ORIGIN);

    Passkey register() {
        Ceremony c = web.startRegistration("alice", HANDLE, List.of());
        return web.finishRegistration(c, authenticator.register(c.optionsJson()), "YubiKey 5C", List.of());
    }

    static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Test
    void registrationOptionsAreTheLevel3JsonForm() throws IOException {
        Passkey old = register();
        Ceremony c = web.startRegistration("alice", HANDLE, List.of(old));
        assertThat(c.kind()).isEqualTo("create");
        assertThat(c.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(c.challenge()).hasSize(32);
        JsonNode o = tree(c.optionsJson());
        assertThat(Base64.getUrlDecoder().decode(o.get("challenge").asText())).isEqualTo(c.challenge());
        assertThat(o.get("challenge").asText()).doesNotContain("=", "+", "/");
        assertThat(o.at("/rp/id").asText()).isEqualTo("localhost");
        assertThat(o.at("/rp/name").asText()).isEqualTo("Cairn");
        assertThat(o.at("/user/id").asText()).isEqualTo(B64U.encodeToString(HANDLE));
        assertThat(o.at("/user/name").asText()).isEqualTo("alice");
        assertThat(o.at("/user/displayName").asText()).isEqualTo("alice");
        assertThat(o.at("/pubKeyCredParams/0/alg").asLong()).isEqualTo(-7);
        assertThat(o.at("/pubKeyCredParams/1/alg").asLong()).isEqualTo(-257);
        assertThat(o.at("/pubKeyCredParams/0/type").asText()).isEqualTo("public-key");
        assertThat(o.at("/excludeCredentials").size()).isEqualTo(1);
        assertThat(o.at("/excludeCredentials/0/id").asText()).isEqualTo(B64U.encodeToString(old.credentialId()));
        assertThat(o.at("/excludeCredentials/0/type").asText()).isEqualTo("public-key");
        assertThat(o.at("/authenticatorSelection/residentKey").asText()).isEqualTo("preferred");
        assertThat(o.at("/authenticatorSelection/userVerification").asText()).isEqualTo("required");
        assertThat(o.get("attestation").asText()).isEqualTo("none");
        assertThat(o.get("timeout").asLong()).isEqualTo(120000);
        // two ceremonies never share a challenge
        assertThat(web.startRegistration("alice", HANDLE, List.of()).challenge()).isNotEqualTo(c.challenge());
    }

    @Test
    void fullRegistrationThenAssertions() throws IOException {
        Passkey p = register();
        assertThat(p.label()).isEqualTo("YubiKey 5C");
        assertThat(p.createdAt()).isEqualTo(T0);
        assertThat(p.signCount()).isZero();
        assertThat(p.credentialId()).hasSize(32);
        assertStoredCredentialLayout(p);
        assertThat(p.credential()).isEqualTo(authenticator.lastAttestedCredentialData());

        Ceremony a = web.startAssertion(List.of(p));
        assertThat(a.kind()).isEqualTo("get");
        JsonNode o = tree(a.optionsJson());
        assertThat(o.get("rpId").asText()).isEqualTo("localhost");
        assertThat(o.get("userVerification").asText()).isEqualTo("required");
        assertThat(o.get("timeout").asLong()).isEqualTo(120000);
        assertThat(o.at("/allowCredentials/0/id").asText()).isEqualTo(B64U.encodeToString(p.credentialId()));
        assertThat(Base64.getUrlDecoder().decode(o.get("challenge").asText())).isEqualTo(a.challenge()).hasSize(32);

        Passkey after = web.finishAssertion(a, authenticator.authenticate(a.optionsJson()), List.of(p));
        assertThat(after.signCount()).isEqualTo(1);
        assertThat(after.credentialId()).isEqualTo(p.credentialId());
        assertThat(after.credential()).isEqualTo(p.credential());

        Ceremony b = web.startAssertion(List.of(after));
        Passkey again = web.finishAssertion(b, authenticator.assert_(b.optionsJson()), List.of(after));
        assertThat(again.signCount()).isEqualTo(2);
    }

    /** The stored bytes are the attested credential data of WebAuthn section 6.5.1, readable from the spec alone. */
    static void assertStoredCredentialLayout(Passkey p) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(p.credential()));
        assertThat(in.readNBytes(16)).isEqualTo(SoftwareAuthenticator.AAGUID);
        int idLength = in.readUnsignedShort();
        assertThat(idLength).isEqualTo(p.credentialId().length);
        assertThat(in.readNBytes(idLength)).isEqualTo(p.credentialId());
        byte[] cose = in.readAllBytes();
        // CBOR map of 5 (0xa5): 1:2 (kty EC2), 3:-7 (alg ES256), -1:1 (crv P-256), -2: x (32 bytes), -3: y (32 bytes)
        assertThat(cose).hasSize(1 + 2 + 2 + 2 + (1 + 2 + 32) + (1 + 2 + 32));
        assertThat(Arrays.copyOf(cose, 7)).containsExactly(0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01);
        assertThat(cose[7]).isEqualTo((byte) 0x21);
        assertThat(cose[8]).isEqualTo((byte) 0x58);
        assertThat(cose[9]).isEqualTo((byte) 32);
        assertThat(cose[42]).isEqualTo((byte) 0x22);
        assertThat(cose[43]).isEqualTo((byte) 0x58);
        assertThat(cose[44]).isEqualTo((byte) 32);
    }

    @Test
    void noneAttestationRegistersToo() {
        authenticator.format("none");
        Passkey p = register();
        Ceremony a = web.startAssertion(List.of(p));
        assertThat(web.finishAssertion(a, authenticator.authenticate(a.optionsJson()), List.of(p)).signCount())
                .isEqualTo(1);
    }

    @Test
    void registrationKnobsAreRefusedWithTheRightMessage() {
        assertRegistrationRefused(a -> a.origin("https://evil.example:8443"), "passkey response: origin not allowed");
        assertRegistrationRefused(a -> a.userVerified(false), "passkey response: user verification missing");
        assertRegistrationRefused(a -> a.userPresent(false), "passkey response: user presence missing");
        assertRegistrationRefused(a -> a.challenge(new byte[32]), "passkey response: challenge does not match");
        assertRegistrationRefused(a -> a.clientDataType("webauthn.get"),
                "passkey response: client data type is wrong for this ceremony");
        assertRegistrationRefused(a -> a.rpId("evil.example"), "passkey response: rpId hash does not match this appliance");
        assertRegistrationRefused(a -> a.tamperSignature(true), "passkey response: signature does not verify");
        assertRegistrationRefused(a -> a.crossOrigin(true),
                "passkey response: cross-origin (framed) ceremonies are not allowed");
    }

    void assertRegistrationRefused(UnaryOperator<SoftwareAuthenticator> knob, String message) {
        authenticator.reset();
        for (String format : List.of("packed", "none")) {
            if (format.equals("none") && message.contains("signature")) {
                continue; // "none" has no signature to tamper with
            }
            Ceremony c = web.startRegistration("alice", HANDLE, List.of());
            String response = knob.apply(authenticator.format(format)).register(c.optionsJson());
            assertThatThrownBy(() -> web.finishRegistration(c, response, "key", List.of()))
                    .as("%s with %s", message, format)
                    .isExactlyInstanceOf(WebAuthnException.class).hasMessage(message);
            authenticator.reset();
        }
    }

    @Test
    void onlyNoneAndPackedAttestationAndOnlyEs256OrRs256() {
        // statements of other formats (here without their certificates) never reach a verifier; well-formed ones
        // would be refused too, because only the none and packed verifiers are installed
        for (String format : List.of("fido-u2f", "tpm", "android-key", "apple", "x-unknown")) {
            Ceremony c = web.startRegistration("alice", HANDLE, List.of());
            String response = authenticator.format(format).register(c.optionsJson());
            assertThatThrownBy(() -> web.finishRegistration(c, response, "k", List.of()))
                    .as(format).isExactlyInstanceOf(WebAuthnException.class)
                    .hasMessage("passkey response: malformed client data, authenticator data or attestation object");
        }
        authenticator.reset();
        for (String format : List.of("packed", "none")) {
            Ceremony c = web.startRegistration("alice", HANDLE, List.of());
            String response = authenticator.format(format).coseAlgorithm(-35).register(c.optionsJson()); // ES384
            assertThatThrownBy(() -> web.finishRegistration(c, response, "k", List.of()))
                    .as(format).isExactlyInstanceOf(WebAuthnException.class)
                    .hasMessage("passkey response: algorithm not allowed (ES256 or RS256 only)");
        }
    }

    @Test
    void assertionKnobsAreRefusedWithTheRightMessage() {
        assertAssertionRefused(a -> a.origin("https://localhost:9443"), "passkey response: origin not allowed");
        assertAssertionRefused(a -> a.userVerified(false), "passkey response: user verification missing");
        assertAssertionRefused(a -> a.userPresent(false), "passkey response: user presence missing");
        assertAssertionRefused(a -> a.challenge(new byte[32]), "passkey response: challenge does not match");
        assertAssertionRefused(a -> a.clientDataType("webauthn.create"),
                "passkey response: client data type is wrong for this ceremony");
        assertAssertionRefused(a -> a.rpId("localhost.evil"), "passkey response: rpId hash does not match this appliance");
        assertAssertionRefused(a -> a.tamperSignature(true), "passkey response: signature does not verify");
        assertAssertionRefused(a -> a.crossOrigin(true),
                "passkey response: cross-origin (framed) ceremonies are not allowed");
    }

    void assertAssertionRefused(UnaryOperator<SoftwareAuthenticator> knob, String message) {
        authenticator.reset();
        Passkey p = register();
        Ceremony c = web.startAssertion(List.of(p));
        String response = knob.apply(authenticator).authenticate(c.optionsJson());
        assertThatThrownBy(() -> web.finishAssertion(c, response, List.of(p)))
                .as(message).isExactlyInstanceOf(WebAuthnException.class).hasMessage(message);
        authenticator.reset();
    }

    @Test
    void aCounterThatDidNotGrowIsACloneAndRefused() {
        Passkey p = register();
        Ceremony a = web.startAssertion(List.of(p));
        Passkey p1 = web.finishAssertion(a, authenticator.authenticate(a.optionsJson()), List.of(p));
        assertThat(p1.signCount()).isEqualTo(1);
        authenticator.freezeCounter(true);
        Ceremony b = web.startAssertion(List.of(p1));
        String frozen = authenticator.authenticate(b.optionsJson());
        assertThatThrownBy(() -> web.finishAssertion(b, frozen, List.of(p1)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessageStartingWith("passkey response: signature counter did not grow");
        // a counter that went backwards (the store is ahead of this authenticator) is refused the same way
        authenticator.reset();
        Ceremony c = web.startAssertion(List.of(p1));
        String fine = authenticator.authenticate(c.optionsJson()); // counter 2
        Passkey ahead = p1.withSignCount(5);
        assertThatThrownBy(() -> web.finishAssertion(c, fine, List.of(ahead)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessageStartingWith("passkey response: signature counter did not grow");
    }

    @Test
    void anAuthenticatorWithoutACounterKeepsWorkingAtZero() {
        authenticator.counterless(true);
        Passkey p = register();
        for (int i = 0; i < 3; i++) {
            Ceremony a = web.startAssertion(List.of(p));
            p = web.finishAssertion(a, authenticator.authenticate(a.optionsJson()), List.of(p));
            assertThat(p.signCount()).isZero();
        }
    }

    @Test
    void aCeremonyIsSingleUse() {
        Passkey p = register();
        Ceremony a = web.startAssertion(List.of(p));
        String response = authenticator.authenticate(a.optionsJson());
        Passkey p1 = web.finishAssertion(a, response, List.of(p));
        assertThatThrownBy(() -> web.finishAssertion(a, response, List.of(p1)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessage("passkey ceremony unknown or already used; start again");
        // a failed finish uses the ceremony up as well
        Ceremony b = web.startAssertion(List.of(p1));
        String good = authenticator.authenticate(b.optionsJson());
        assertThatThrownBy(() -> web.finishAssertion(b, "{}", List.of(p1))).isExactlyInstanceOf(WebAuthnException.class);
        assertThatThrownBy(() -> web.finishAssertion(b, good, List.of(p1)))
                .hasMessage("passkey ceremony unknown or already used; start again");
        // the same for registration
        Ceremony r = web.startRegistration("alice", HANDLE, List.of());
        String reg = authenticator.register(r.optionsJson());
        web.finishRegistration(r, reg, "one", List.of());
        assertThatThrownBy(() -> web.finishRegistration(r, reg, "one", List.of()))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessage("passkey ceremony unknown or already used; start again");
    }

    @Test
    void aCeremonyFromElsewhereOrOfTheWrongKindIsRefused() {
        Passkey p = register();
        Ceremony a = web.startAssertion(List.of(p));
        Ceremony forged = new Ceremony(a.optionsJson(), new byte[32], a.expiresAt(), "get");
        String signedForged = authenticator.challenge(new byte[32]).authenticate(a.optionsJson());
        assertThatThrownBy(() -> web.finishAssertion(forged, signedForged, List.of(p)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessage("passkey ceremony unknown or already used; start again");
        authenticator.reset();
        WebAuthn other = new WebAuthn("localhost", "Cairn", Set.of(ORIGIN), new SecureRandom(), clock);
        Ceremony o = other.startAssertion(List.of(p));
        String r = authenticator.authenticate(o.optionsJson());
        assertThatThrownBy(() -> web.finishAssertion(o, r, List.of(p)))
                .hasMessage("passkey ceremony unknown or already used; start again");
        Ceremony g = web.startAssertion(List.of(p));
        Ceremony r2 = web.startRegistration("alice", HANDLE, List.of(p));
        String registration = authenticator.register(r2.optionsJson());
        assertThatThrownBy(() -> web.finishRegistration(g, registration, "k", List.of(p)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessage("passkey ceremony is a \"get\" ceremony, not \"create\"; start again");
        assertThatThrownBy(() -> web.finishAssertion(r2, registration, List.of(p)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessage("passkey ceremony is a \"create\" ceremony, not \"get\"; start again");
        assertThatThrownBy(() -> web.finishAssertion(null, "{}", List.of(p)))
                .isExactlyInstanceOf(WebAuthnException.class).hasMessage("no passkey ceremony in progress; start again");
    }

    @Test
    void anExpiredCeremonyIsRefused() {
        Passkey p = register();
        Ceremony a = web.startAssertion(List.of(p));
        String response = authenticator.authenticate(a.optionsJson());
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> web.finishAssertion(a, response, List.of(p)))
                .isExactlyInstanceOf(WebAuthnException.class).hasMessage("passkey ceremony expired; start again");
        // one second before the end is still fine
        Ceremony b = web.startAssertion(List.of(p));
        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(web.finishAssertion(b, authenticator.authenticate(b.optionsJson()), List.of(p)).signCount())
                .isEqualTo(2);
        Ceremony r = web.startRegistration("alice", HANDLE, List.of());
        String reg = authenticator.register(r.optionsJson());
        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> web.finishRegistration(r, reg, "k", List.of()))
                .isExactlyInstanceOf(WebAuthnException.class).hasMessage("passkey ceremony expired; start again");
    }

    @Test
    void theSameCredentialCannotBeRegisteredTwice() {
        Passkey first = register();
        Ceremony c = web.startRegistration("alice", HANDLE, List.of(first));
        String again = authenticator.reuseLastCredential(true).register(c.optionsJson());
        assertThatThrownBy(() -> web.finishRegistration(c, again, "again", List.of(first)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessage("passkey response: this passkey is already registered to the account");
    }

    @Test
    void anAssertionFromAPasskeyNotInTheListIsRefused() {
        Passkey mine = register();
        Passkey other = register();
        Ceremony a = web.startAssertion(List.of(other));
        // the authenticator holds both; the options allow only "other", but the response is presented against "mine"
        String response = authenticator.authenticate(a.optionsJson());
        assertThatThrownBy(() -> web.finishAssertion(a, response, List.of(mine)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessage("passkey response: not one of this account's passkeys");
        assertThatThrownBy(() -> web.startRegistration("", HANDLE, List.of()))
                .isExactlyInstanceOf(WebAuthnException.class).hasMessageContaining("username");
        assertThatThrownBy(() -> web.startRegistration("alice", new byte[65], List.of()))
                .isExactlyInstanceOf(WebAuthnException.class).hasMessageContaining("user handle");
        assertThatThrownBy(() -> web.startAssertion(List.of()))
                .isExactlyInstanceOf(WebAuthnException.class).hasMessageContaining("no passkey");
    }

    @Test
    void malformedResponsesAreWebAuthnExceptions() throws IOException {
        Passkey p = register();
        for (UnaryOperator<String> breaker : List.<UnaryOperator<String>>of(
                s -> null, s -> "", s -> "not json", s -> "[]", s -> "{}", s -> "null", s -> s + "{}",
                s -> s.substring(0, s.length() / 2), s -> "x".repeat(70_000),
                s -> edit(s, n -> n.put("type", "password")),
                s -> edit(s, n -> n.put("rawId", "!!not base64!!")),
                s -> edit(s, n -> n.put("id", B64U.encodeToString(new byte[8]))),
                s -> edit(s, n -> n.remove("response")),
                s -> edit(s, n -> n.put("response", "text")),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("authenticatorData", "AAAA")),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("authenticatorData", 42)),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("signature", "+/+/")),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("signature", "")),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("userHandle", "%%")),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("clientDataJSON",
                        B64U.encodeToString("{\"type\":".getBytes(StandardCharsets.UTF_8)))),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("clientDataJSON",
                        B64U.encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8)))),
                s -> s.replace("\"type\":\"public-key\"", "\"type\":\"public-key\",\"type\":\"public-key\""))) {
            Ceremony a = web.startAssertion(List.of(p));
            String good = authenticator.authenticate(a.optionsJson());
            String bad = breaker.apply(good);
            assertThatThrownBy(() -> web.finishAssertion(a, bad, List.of(p)))
                    .as(bad == null ? "null" : bad.substring(0, Math.min(80, bad.length())))
                    .isExactlyInstanceOf(WebAuthnException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        }
        byte[] garbage = new byte[64];
        new SecureRandom().nextBytes(garbage);
        for (UnaryOperator<String> breaker : List.<UnaryOperator<String>>of(
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("attestationObject", B64U.encodeToString(garbage))),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("attestationObject", "oA")), // CBOR {}
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("attestationObject", "")),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("attestationObject", "gA")), // CBOR []
                s -> edit(s, n -> ((ObjectNode) n.get("response")).put("attestationObject", "=")),
                s -> edit(s, n -> ((ObjectNode) n.get("response")).remove("clientDataJSON")),
                s -> truncateAttestation(s))) {
            Ceremony c = web.startRegistration("alice", HANDLE, List.of());
            String bad = breaker.apply(authenticator.register(c.optionsJson()));
            assertThatThrownBy(() -> web.finishRegistration(c, bad, "k", List.of()))
                    .isExactlyInstanceOf(WebAuthnException.class)
                    .satisfies(e -> assertThat(e.getMessage()).startsWith("passkey response"));
        }
    }

    static String truncateAttestation(String response) {
        return edit(response, n -> {
            ObjectNode r = (ObjectNode) n.get("response");
            byte[] att = Base64.getUrlDecoder().decode(r.get("attestationObject").asText());
            r.put("attestationObject", B64U.encodeToString(Arrays.copyOf(att, att.length - 40)));
        });
    }

    static String edit(String json, java.util.function.Consumer<ObjectNode> change) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(json);
            change.accept(n);
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aCorruptStoredPasskeyIsRefusedPlainly() {
        Passkey p = register();
        Passkey broken = new Passkey(p.credentialId(), new byte[] {1, 2, 3}, 0, "old key", T0);
        Ceremony a = web.startAssertion(List.of(broken));
        String response = authenticator.authenticate(a.optionsJson());
        assertThatThrownBy(() -> web.finishAssertion(a, response, List.of(broken)))
                .isExactlyInstanceOf(WebAuthnException.class)
                .hasMessageContaining("stored passkey \"old key\"").hasMessageContaining("register the authenticator again");
    }

    @Test
    void aBadLabelIsRefusedBeforeTheCeremonyIsUsed() {
        Ceremony c = web.startRegistration("alice", HANDLE, List.of());
        String response = authenticator.register(c.optionsJson());
        assertThatThrownBy(() -> web.finishRegistration(c, response, "tab\there", List.of()))
                .isExactlyInstanceOf(WebAuthnException.class).hasMessage("passkey label must be 1 to 64 printable characters");
        assertThat(web.finishRegistration(c, response, "fine", List.of()).label()).isEqualTo("fine");
    }

    @Test
    void configurationIsChecked() {
        SecureRandom r = new SecureRandom();
        assertThatThrownBy(() -> new WebAuthn("localhost", "Cairn", Set.of("http://localhost:8443"), r, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https://");
        assertThatThrownBy(() -> new WebAuthn("localhost", "Cairn", Set.of("https://evil.example"), r, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rpId");
        assertThatThrownBy(() -> new WebAuthn("localhost", "Cairn", Set.of("https://localhost:8443/login"), r, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebAuthn("localhost", "Cairn", Set.of(), r, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebAuthn("https://localhost", "Cairn", Set.of(ORIGIN), r, clock))
                .isInstanceOf(IllegalArgumentException.class);
        // a subdomain origin under the rpId is fine, and a response from it verifies
        WebAuthn sub = new WebAuthn("example.org", "Cairn", Set.of("https://backup.example.org"), r, clock);
        SoftwareAuthenticator a = new SoftwareAuthenticator("https://backup.example.org");
        Ceremony c = sub.startRegistration("bob", HANDLE, List.of());
        assertThat(sub.finishRegistration(c, a.register(c.optionsJson()), "k", List.of()).signCount()).isZero();
    }

    @Test
    void nothingSecretOrInputInToStringOrMessages() {
        Ceremony c = web.startRegistration("alice", HANDLE, List.of());
        assertThat(c.toString()).doesNotContain(B64U.encodeToString(c.challenge())).contains("create");
        String response = authenticator.origin("https://evil.example").register(c.optionsJson());
        assertThatThrownBy(() -> web.finishRegistration(c, response, "k", List.of()))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("evil").doesNotContain("{"));
    }
}
