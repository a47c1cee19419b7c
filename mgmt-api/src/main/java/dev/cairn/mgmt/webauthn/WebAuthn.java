package dev.cairn.mgmt.webauthn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.AttestedCredentialDataConverter;
import com.webauthn4j.converter.exception.DataConversionException;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.CollectedClientData;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.NullCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import com.webauthn4j.verifier.exception.BadAlgorithmException;
import com.webauthn4j.verifier.exception.BadAttestationStatementException;
import com.webauthn4j.verifier.exception.BadChallengeException;
import com.webauthn4j.verifier.exception.BadOriginException;
import com.webauthn4j.verifier.exception.BadRpIdException;
import com.webauthn4j.verifier.exception.BadSignatureException;
import com.webauthn4j.verifier.exception.BadTopOriginException;
import com.webauthn4j.verifier.exception.CrossOriginException;
import com.webauthn4j.verifier.exception.InconsistentClientDataTypeException;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import com.webauthn4j.verifier.exception.MissingChallengeException;
import com.webauthn4j.verifier.exception.NotAllowedAlgorithmException;
import com.webauthn4j.verifier.exception.NotAllowedCredentialIdException;
import com.webauthn4j.verifier.exception.UserNotPresentException;
import com.webauthn4j.verifier.exception.UserNotVerifiedException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passkey registration and assertion ceremonies (WebAuthn Level 3), verified with webauthn4j. docs/auth.md,
 * section "WebAuthn passkeys", lists every check, the JSON forms and the stored {@link Passkey#credential()}
 * bytes.
 *
 * <p>The server calls {@code start...}, keeps the {@link Ceremony} in the session, sends
 * {@link Ceremony#optionsJson()} to the browser, and passes the browser's response JSON to {@code finish...}
 * together with the ceremony. A ceremony is single use: this instance remembers the ceremonies it issued and
 * forgets each one at its first finish, whatever the outcome, or when it expires (5 minutes). Every refusal is a
 * {@link WebAuthnException} with a plain message; nothing else escapes for bad input.
 *
 * <p>Thread safe. Holds no secrets: challenges are random but public, and only public keys are handled. Logs
 * nothing.
 */
public final class WebAuthn {
    /** How long a started ceremony may be finished. */
    public static final Duration CEREMONY_LIFETIME = Duration.ofMinutes(5);
    /** The timeout the browser is given, in milliseconds (WebAuthn's recommended range is 5 to 10 minutes; 2 here). */
    public static final long TIMEOUT_MILLIS = 120_000;
    /** Challenge length in bytes (WebAuthn asks for at least 16). */
    public static final int CHALLENGE_BYTES = 32;
    /** Ceremonies started and not yet finished or expired that one instance keeps; more are refused. */
    public static final int MAX_PENDING = 10_000;
    /** A response larger than this is refused before parsing. */
    public static final int MAX_RESPONSE_CHARS = 64 * 1024;

    private static final long ES256 = -7;
    private static final long RS256 = -257;
    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();

    private final String rpId;
    private final String rpName;
    private final Set<Origin> origins;
    private final SecureRandom random;
    private final Clock clock;
    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final ObjectConverter converter = new ObjectConverter();
    private final AttestedCredentialDataConverter credentialConverter = new AttestedCredentialDataConverter(converter);
    private final WebAuthnManager manager;
    private final Map<String, Ceremony> pending = new ConcurrentHashMap<>();

    /**
     * @param rpId    the relying party ID: the appliance's DNS name or {@code localhost}; every origin's host must
     *                be it or a subdomain of it
     * @param rpName  the name the browser shows, e.g. {@code Cairn}
     * @param origins the exact origins the browser may report, e.g. {@code https://localhost:8443}; https only
     * @param random  the source of challenges
     * @param clock   decides when a ceremony expires
     * @throws IllegalArgumentException if the rpId, the name or an origin is unusable (the message says which)
     */
    public WebAuthn(String rpId, String rpName, Set<String> origins, SecureRandom random, Clock clock) {
        this.rpId = Objects.requireNonNull(rpId, "rpId").toLowerCase(Locale.ROOT);
        this.rpName = Objects.requireNonNull(rpName, "rpName");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(origins, "origins");
        if (this.rpId.isEmpty() || !this.rpId.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw new IllegalArgumentException("WebAuthn rpId must be a DNS name such as localhost or backup.example.org");
        }
        if (rpName.isBlank() || rpName.length() > 64) {
            throw new IllegalArgumentException("WebAuthn rpName must be 1 to 64 characters");
        }
        if (origins.isEmpty()) {
            throw new IllegalArgumentException("WebAuthn needs at least one allowed origin, e.g. https://localhost:8443");
        }
        Set<Origin> parsed = new HashSet<>();
        for (String o : origins) {
            parsed.add(checkedOrigin(o, this.rpId));
        }
        this.origins = Set.copyOf(parsed);
        this.manager = new WebAuthnManager(
                List.of(new NoneAttestationStatementVerifier(), new PackedAttestationStatementVerifier()),
                new NullCertPathTrustworthinessVerifier(),
                new DefaultSelfAttestationTrustworthinessVerifier(true),
                converter);
    }

    private static Origin checkedOrigin(String origin, String rpId) {
        URI uri;
        try {
            uri = new URI(Objects.requireNonNull(origin, "origin"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("WebAuthn origin is not a URL; write it as https://HOST[:PORT]");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("WebAuthn origin must be https://HOST[:PORT] with nothing after it");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!host.equals(rpId) && !host.endsWith("." + rpId)) {
            throw new IllegalArgumentException("WebAuthn origin's host must be the rpId or a subdomain of it");
        }
        return new Origin(origin);
    }

    /**
     * Starts a registration: options for {@code navigator.credentials.create()} (docs/auth.md).
     *
     * @param username   the account name (shown by the authenticator), 1 to 64 characters
     * @param userHandle the account's stable random handle, 1 to 64 bytes (never the username)
     * @param existing   the account's passkeys, listed in {@code excludeCredentials}
     * @throws WebAuthnException if the username or user handle is out of range, or too many ceremonies are pending
     */
    public Ceremony startRegistration(String username, byte[] userHandle, List<Passkey> existing) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(userHandle, "userHandle");
        Objects.requireNonNull(existing, "existing");
        if (username.isEmpty() || username.length() > 64) {
            throw new WebAuthnException("passkey registration: username must be 1 to 64 characters");
        }
        if (userHandle.length == 0 || userHandle.length > 64) {
            throw new WebAuthnException("passkey registration: user handle must be 1 to 64 bytes");
        }
        byte[] challenge = newChallenge();
        ObjectNode o = json.createObjectNode();
        o.put("challenge", B64U.encodeToString(challenge));
        o.putObject("rp").put("id", rpId).put("name", rpName);
        o.putObject("user").put("id", B64U.encodeToString(userHandle)).put("name", username).put("displayName", username);
        ArrayNode params = o.putArray("pubKeyCredParams");
        params.addObject().put("type", "public-key").put("alg", ES256);
        params.addObject().put("type", "public-key").put("alg", RS256);
        o.put("timeout", TIMEOUT_MILLIS);
        credentialList(o.putArray("excludeCredentials"), existing);
        o.putObject("authenticatorSelection").put("residentKey", "preferred").put("requireResidentKey", false)
                .put("userVerification", "required");
        o.put("attestation", "none");
        return issue(o, challenge, Ceremony.CREATE);
    }

    /**
     * Finishes a registration and returns the new passkey. See docs/auth.md for every check.
     *
     * @param ceremony     from {@link #startRegistration}, used once
     * @param responseJson the browser's {@code RegistrationResponseJSON}
     * @param label        the user's name for the passkey, 1 to 64 printable characters
     * @param existing     the account's passkeys now; the new credential ID must not be among them
     * @throws WebAuthnException if anything is wrong; the ceremony is used up either way
     */
    public Passkey finishRegistration(Ceremony ceremony, String responseJson, String label, List<Passkey> existing) {
        Objects.requireNonNull(existing, "existing");
        if (label == null || label.isEmpty() || label.length() > 64 || label.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new WebAuthnException("passkey label must be 1 to 64 printable characters");
        }
        consume(ceremony, Ceremony.CREATE);
        JsonNode root = parse(responseJson);
        byte[] rawId = credentialId(root);
        JsonNode response = object(root, "response");
        byte[] clientDataJson = b64u(response, "clientDataJSON");
        byte[] attestationObject = b64u(response, "attestationObject");

        RegistrationParameters params = new RegistrationParameters(serverProperty(ceremony),
                List.of(new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.ES256),
                        new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.RS256)),
                true, true);
        RegistrationData data;
        try {
            data = manager.verify(new RegistrationRequest(attestationObject, clientDataJson), params);
        } catch (RuntimeException e) {
            throw refusal(e);
        }
        checkNotCrossOrigin(data.getCollectedClientData());
        AuthenticatorData<?> authData = data.getAttestationObject() == null ? null
                : data.getAttestationObject().getAuthenticatorData();
        AttestedCredentialData acd = authData == null ? null : authData.getAttestedCredentialData();
        if (acd == null) {
            throw new WebAuthnException("passkey response: attested credential data missing");
        }
        if (!Arrays.equals(acd.getCredentialId(), rawId)) {
            throw new WebAuthnException("passkey response: id does not match the credential in the authenticator data");
        }
        for (Passkey p : existing) {
            if (Arrays.equals(p.credentialId(), rawId)) {
                throw new WebAuthnException("passkey response: this passkey is already registered to the account");
            }
        }
        byte[] stored;
        try {
            stored = credentialConverter.convert(acd);
        } catch (RuntimeException e) {
            throw new WebAuthnException("passkey response: credential public key cannot be stored", e);
        }
        try {
            return new Passkey(rawId, stored, authData.getSignCount(), label, clock.instant());
        } catch (IllegalArgumentException e) {
            throw new WebAuthnException("passkey response: credential ID or counter out of range", e);
        }
    }

    /**
     * Starts an assertion: options for {@code navigator.credentials.get()} (docs/auth.md).
     *
     * @param allowed the account's passkeys (listed in {@code allowCredentials}); must not be empty
     * @throws WebAuthnException if the account has no passkey or too many ceremonies are pending
     */
    public Ceremony startAssertion(List<Passkey> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        if (allowed.isEmpty()) {
            throw new WebAuthnException("the account has no passkey; register one or use another second factor");
        }
        byte[] challenge = newChallenge();
        ObjectNode o = json.createObjectNode();
        o.put("challenge", B64U.encodeToString(challenge));
        o.put("timeout", TIMEOUT_MILLIS);
        o.put("rpId", rpId);
        credentialList(o.putArray("allowCredentials"), allowed);
        o.put("userVerification", "required");
        return issue(o, challenge, Ceremony.GET);
    }

    /**
     * Finishes an assertion and returns the passkey that signed, with its new signature counter (the caller stores
     * it). See docs/auth.md for every check.
     *
     * @param ceremony     from {@link #startAssertion}, used once
     * @param responseJson the browser's {@code AuthenticationResponseJSON}
     * @param allowed      the account's passkeys now; the response must come from one of them
     * @throws WebAuthnException if anything is wrong; the ceremony is used up either way
     */
    public Passkey finishAssertion(Ceremony ceremony, String responseJson, List<Passkey> allowed) {
        Objects.requireNonNull(allowed, "allowed");
        consume(ceremony, Ceremony.GET);
        JsonNode root = parse(responseJson);
        byte[] rawId = credentialId(root);
        JsonNode response = object(root, "response");
        byte[] clientDataJson = b64u(response, "clientDataJSON");
        byte[] authenticatorData = b64u(response, "authenticatorData");
        byte[] signature = b64u(response, "signature");
        JsonNode uh = response.get("userHandle");
        byte[] userHandle = uh == null || uh.isNull() ? null : b64u(response, "userHandle");

        Passkey passkey = null;
        List<byte[]> allowIds = new ArrayList<>();
        for (Passkey p : allowed) {
            allowIds.add(p.credentialId());
            if (Arrays.equals(p.credentialId(), rawId)) {
                passkey = p;
            }
        }
        if (passkey == null) {
            throw new WebAuthnException("passkey response: not one of this account's passkeys");
        }
        AttestedCredentialData acd;
        try {
            acd = credentialConverter.convert(passkey.credential());
        } catch (RuntimeException e) {
            throw new WebAuthnException("stored passkey \"" + passkey.label()
                    + "\" is unreadable; remove it and register the authenticator again", e);
        }
        if (acd == null || !Arrays.equals(acd.getCredentialId(), rawId)) {
            throw new WebAuthnException("stored passkey \"" + passkey.label()
                    + "\" does not match its credential ID; remove it and register the authenticator again");
        }
        CredentialRecordImpl record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null,
                passkey.signCount(), acd, null, null, null, null);
        AuthenticationParameters params = new AuthenticationParameters(serverProperty(ceremony), record, allowIds, true, true);
        AuthenticationData data;
        try {
            data = manager.verify(new AuthenticationRequest(rawId, userHandle, authenticatorData, clientDataJson, null,
                    signature), params);
        } catch (RuntimeException e) {
            throw refusal(e);
        }
        checkNotCrossOrigin(data.getCollectedClientData());
        long count = data.getAuthenticatorData().getSignCount();
        // webauthn4j checks this too; checked again here because a clone must never pass (docs/auth.md)
        if ((count != 0 || passkey.signCount() != 0) && count <= passkey.signCount()) {
            throw cloned();
        }
        return passkey.withSignCount(count);
    }

    // ---- ceremonies ----

    private byte[] newChallenge() {
        byte[] challenge = new byte[CHALLENGE_BYTES];
        random.nextBytes(challenge);
        return challenge;
    }

    private Ceremony issue(ObjectNode options, byte[] challenge, String kind) {
        Instant now = clock.instant();
        pending.values().removeIf(c -> !now.isBefore(c.expiresAt()));
        if (pending.size() >= MAX_PENDING) {
            throw new WebAuthnException("too many passkey ceremonies in progress; try again in a few minutes");
        }
        String text;
        try {
            text = json.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("passkey options could not be written as JSON", e);
        }
        Ceremony ceremony = new Ceremony(text, challenge, now.plus(CEREMONY_LIFETIME), kind);
        pending.put(B64U.encodeToString(challenge), ceremony);
        return ceremony;
    }

    /** Forgets the ceremony (single use), then refuses it if it is of the wrong kind, expired or not ours. */
    private void consume(Ceremony ceremony, String kind) {
        if (ceremony == null) {
            throw new WebAuthnException("no passkey ceremony in progress; start again");
        }
        Ceremony issued = pending.remove(B64U.encodeToString(ceremony.challenge()));
        if (!ceremony.kind().equals(kind)) {
            throw new WebAuthnException("passkey ceremony is a \"" + ceremony.kind() + "\" ceremony, not \"" + kind
                    + "\"; start again");
        }
        if (!clock.instant().isBefore(ceremony.expiresAt())) {
            throw new WebAuthnException("passkey ceremony expired; start again");
        }
        if (issued == null || !issued.equals(ceremony)) {
            throw new WebAuthnException("passkey ceremony unknown or already used; start again");
        }
    }

    private ServerProperty serverProperty(Ceremony ceremony) {
        return ServerProperty.builder().origins(origins).rpId(rpId)
                .challenge(new DefaultChallenge(ceremony.challenge())).build();
    }

    private void credentialList(ArrayNode list, List<Passkey> passkeys) {
        for (Passkey p : passkeys) {
            list.addObject().put("type", "public-key").put("id", B64U.encodeToString(p.credentialId()));
        }
    }

    // ---- parsing the response JSON ----

    private JsonNode parse(String responseJson) {
        if (responseJson == null || responseJson.isEmpty()) {
            throw new WebAuthnException("passkey response is empty; the browser sent nothing");
        }
        if (responseJson.length() > MAX_RESPONSE_CHARS) {
            throw new WebAuthnException("passkey response is larger than " + MAX_RESPONSE_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = json.readTree(responseJson);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new WebAuthnException("passkey response is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new WebAuthnException("passkey response must be a JSON object");
        }
        JsonNode type = root.get("type");
        if (type == null || !"public-key".equals(type.textValue())) {
            throw new WebAuthnException("passkey response: type must be \"public-key\"");
        }
        return root;
    }

    private static byte[] credentialId(JsonNode root) {
        byte[] rawId = b64u(root, "rawId");
        byte[] id = b64u(root, "id");
        if (!Arrays.equals(id, rawId)) {
            throw new WebAuthnException("passkey response: id and rawId differ");
        }
        if (rawId.length == 0 || rawId.length > 1023) {
            throw new WebAuthnException("passkey response: credential ID must be 1 to 1023 bytes");
        }
        return rawId;
    }

    private static JsonNode object(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isObject()) {
            throw new WebAuthnException("passkey response: \"" + name + "\" missing or not an object");
        }
        return n;
    }

    /** Base64url as WebAuthn's JSON forms use it: URL alphabet, padding optional, nothing else. */
    private static byte[] b64u(JsonNode parent, String name) {
        JsonNode n = parent.get(name);
        if (n == null || !n.isTextual()) {
            throw new WebAuthnException("passkey response: \"" + name + "\" missing or not a string");
        }
        try {
            return Base64.getUrlDecoder().decode(n.textValue());
        } catch (IllegalArgumentException e) {
            throw new WebAuthnException("passkey response: \"" + name + "\" is not base64url");
        }
    }

    // ---- refusals ----

    private static void checkNotCrossOrigin(CollectedClientData clientData) {
        if (clientData == null) {
            throw new WebAuthnException("passkey response: client data missing");
        }
        if (Boolean.TRUE.equals(clientData.getCrossOrigin()) || clientData.getTopOrigin() != null) {
            throw new WebAuthnException("passkey response: cross-origin (framed) ceremonies are not allowed");
        }
    }

    private static WebAuthnException cloned() {
        return new WebAuthnException("passkey response: signature counter did not grow; the authenticator may be "
                + "cloned, so it is refused; ask a security officer to check it and remove the passkey");
    }

    /** Maps webauthn4j's and Jackson's exceptions to plain messages; their own messages are never passed on. */
    private static WebAuthnException refusal(RuntimeException e) {
        String what = switch (e) {
            case BadOriginException x -> "origin not allowed";
            case BadTopOriginException x -> "cross-origin (framed) ceremonies are not allowed";
            case CrossOriginException x -> "cross-origin (framed) ceremonies are not allowed";
            case BadChallengeException x -> "challenge does not match";
            case MissingChallengeException x -> "challenge does not match";
            case InconsistentClientDataTypeException x -> "client data type is wrong for this ceremony";
            case BadRpIdException x -> "rpId hash does not match this appliance";
            case UserNotVerifiedException x -> "user verification missing";
            case UserNotPresentException x -> "user presence missing";
            case NotAllowedAlgorithmException x -> "algorithm not allowed (ES256 or RS256 only)";
            case BadAlgorithmException x -> "algorithm not allowed (ES256 or RS256 only)";
            case BadSignatureException x -> "signature does not verify";
            case BadAttestationStatementException x -> "attestation statement refused (formats none and packed only)";
            case NotAllowedCredentialIdException x -> "not one of this account's passkeys";
            case MaliciousCounterValueException x -> null;
            case DataConversionException x -> "malformed client data, authenticator data or attestation object";
            case com.webauthn4j.util.exception.WebAuthnException x -> "refused (" + x.getClass().getSimpleName() + ")";
            default -> "malformed client data, authenticator data or attestation object";
        };
        if (what == null) {
            return cloned();
        }
        return new WebAuthnException("passkey response: " + what, e);
    }
}
