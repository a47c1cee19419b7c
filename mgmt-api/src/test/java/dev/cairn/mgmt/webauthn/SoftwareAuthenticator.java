package dev.cairn.mgmt.webauthn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebAuthn authenticator and client in software, for tests: it does what a browser and a security key do
 * between {@code optionsJson} and the response JSON, with real keys and real signatures and no webauthn4j code.
 *
 * <p>Each {@link #register} makes a new EC P-256 credential key pair and a 32-byte credential ID, and answers
 * with a {@code RegistrationResponseJSON} whose attestation object (CBOR, encoded here by hand) has format
 * {@code packed} (self attestation: alg -7, signature over authData || SHA-256(clientDataJSON) with the credential
 * key) or {@code none}. Each {@link #authenticate} signs authData || SHA-256(clientDataJSON) with the first
 * credential in {@code allowCredentials} it holds and increments that credential's counter by one. It ignores
 * {@code excludeCredentials} (a real authenticator would refuse); the server must not rely on the client for that.
 *
 * <p>Knobs (fluent, they stay set until changed or {@link #reset()}) produce the bad responses tests need.
 * Not thread safe.
 */
public final class SoftwareAuthenticator {
    /** The AAGUID this authenticator reports. */
    public static final byte[] AAGUID = {(byte) 0xCA, (byte) 0x12, 0x4E, 0x00, 0x7E, 0x57, 0x4A, 0x17,
            (byte) 0x90, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};

    private static final int UP = 0x01;
    private static final int UV = 0x04;
    private static final int AT = 0x40;
    private static final Base64.Encoder B64U = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64U_DEC = Base64.getUrlDecoder();

    private final String origin;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Credential> credentials = new LinkedHashMap<>();
    private Credential last;
    private byte[] lastAttested = new byte[0];

    private String originOverride;
    private String rpIdOverride;
    private String typeOverride;
    private byte[] challengeOverride;
    private boolean userPresent;
    private boolean userVerified;
    private boolean crossOrigin;
    private boolean freezeCounter;
    private boolean counterless;
    private boolean tamperSignature;
    private boolean reuseLastCredential;
    private String format;
    private long coseAlg;

    private static final class Credential {
        final byte[] id;
        final KeyPair keys;
        long counter;

        Credential(byte[] id, KeyPair keys) {
            this.id = id;
            this.keys = keys;
        }
    }

    /** @param origin the origin the "browser" reports in clientDataJSON, e.g. {@code https://localhost:8443} */
    public SoftwareAuthenticator(String origin) {
        this.origin = origin;
        reset();
    }

    /** Back to honest behaviour: packed self attestation, UP and UV set, counter +1, the given origin. */
    public SoftwareAuthenticator reset() {
        originOverride = null;
        rpIdOverride = null;
        typeOverride = null;
        challengeOverride = null;
        userPresent = true;
        userVerified = true;
        crossOrigin = false;
        freezeCounter = false;
        counterless = false;
        tamperSignature = false;
        reuseLastCredential = false;
        format = "packed";
        coseAlg = -7;
        return this;
    }

    /** Report this origin in clientDataJSON instead of the real one. */
    public SoftwareAuthenticator origin(String o) {
        originOverride = o;
        return this;
    }

    /** Hash this rpId into authenticator data instead of the one in the options. */
    public SoftwareAuthenticator rpId(String id) {
        rpIdOverride = id;
        return this;
    }

    /** Put this {@code type} into clientDataJSON instead of {@code webauthn.create}/{@code webauthn.get}. */
    public SoftwareAuthenticator clientDataType(String type) {
        typeOverride = type;
        return this;
    }

    /** Sign this challenge instead of the one in the options. */
    public SoftwareAuthenticator challenge(byte[] c) {
        challengeOverride = c.clone();
        return this;
    }

    /** Set or clear the UP flag. */
    public SoftwareAuthenticator userPresent(boolean b) {
        userPresent = b;
        return this;
    }

    /** Set or clear the UV flag. */
    public SoftwareAuthenticator userVerified(boolean b) {
        userVerified = b;
        return this;
    }

    /** Report {@code crossOrigin: true} in clientDataJSON. */
    public SoftwareAuthenticator crossOrigin(boolean b) {
        crossOrigin = b;
        return this;
    }

    /** Do not increment the counter on the next assertions (what a cloned authenticator looks like). */
    public SoftwareAuthenticator freezeCounter(boolean b) {
        freezeCounter = b;
        return this;
    }

    /** Behave like an authenticator without a counter: always report 0. */
    public SoftwareAuthenticator counterless(boolean b) {
        counterless = b;
        return this;
    }

    /** Flip a bit in the signature (assertion signature, and the packed attestation signature). */
    public SoftwareAuthenticator tamperSignature(boolean b) {
        tamperSignature = b;
        return this;
    }

    /** Register the previous credential again (same ID and key) instead of making a new one. */
    public SoftwareAuthenticator reuseLastCredential(boolean b) {
        reuseLastCredential = b;
        return this;
    }

    /**
     * Attestation format: {@code packed} (self attestation) or {@code none}; any other name is sent with an empty
     * attestation statement (to test that unsupported formats are refused).
     */
    public SoftwareAuthenticator format(String f) {
        format = f;
        return this;
    }

    /** Claim this COSE algorithm in the credential public key and the packed statement (the key stays P-256). */
    public SoftwareAuthenticator coseAlgorithm(long alg) {
        coseAlg = alg;
        return this;
    }

    /** The attested credential data (WebAuthn section 6.5.1) of the last registration, as put in authData. */
    public byte[] lastAttestedCredentialData() {
        return lastAttested.clone();
    }

    /** The counter the authenticator holds for a credential. */
    public long counter(byte[] credentialId) {
        return credentials.get(B64U.encodeToString(credentialId)).counter;
    }

    /** navigator.credentials.create(): options JSON in, {@code RegistrationResponseJSON} out. */
    public String register(String optionsJson) {
        try {
            JsonNode options = json.readTree(optionsJson);
            String rpId = rpIdOverride != null ? rpIdOverride : options.get("rp").get("id").asText();
            Credential cred;
            if (reuseLastCredential && last != null) {
                cred = last;
            } else {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"), random);
                byte[] id = new byte[32];
                random.nextBytes(id);
                cred = new Credential(id, g.generateKeyPair());
                credentials.put(B64U.encodeToString(id), cred);
                last = cred;
            }
            byte[] clientData = clientData("webauthn.create", options);
            ByteArrayOutputStream acd = new ByteArrayOutputStream();
            acd.write(AAGUID);
            acd.write(cred.id.length >> 8);
            acd.write(cred.id.length & 0xff);
            acd.write(cred.id);
            acd.write(coseKey((ECPublicKey) cred.keys.getPublic(), coseAlg));
            lastAttested = acd.toByteArray();
            byte[] authData = authData(rpId, flags() | AT, counterless ? 0 : cred.counter, lastAttested);

            Cbor att = new Cbor().map(3).text("fmt").text(format).text("attStmt");
            if (format.equals("packed")) {
                att.map(2).text("alg").integer(coseAlg).text("sig").bytes(sign(cred, authData, clientData));
            } else {
                att.map(0);
            }
            att.text("authData").bytes(authData);

            ObjectNode r = json.createObjectNode();
            r.put("id", B64U.encodeToString(cred.id)).put("rawId", B64U.encodeToString(cred.id)).put("type", "public-key");
            ObjectNode resp = r.putObject("response");
            resp.put("clientDataJSON", B64U.encodeToString(clientData));
            resp.put("attestationObject", B64U.encodeToString(att.toByteArray()));
            resp.putArray("transports").add("usb");
            r.putObject("clientExtensionResults");
            r.put("authenticatorAttachment", "cross-platform");
            return json.writeValueAsString(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** navigator.credentials.get(): options JSON in, {@code AuthenticationResponseJSON} out. */
    public String authenticate(String optionsJson) {
        try {
            JsonNode options = json.readTree(optionsJson);
            String rpId = rpIdOverride != null ? rpIdOverride : options.get("rpId").asText();
            Credential cred = null;
            for (JsonNode allowed : options.get("allowCredentials")) {
                cred = credentials.get(allowed.get("id").asText());
                if (cred != null) {
                    break;
                }
            }
            if (cred == null) {
                throw new IllegalStateException("NotAllowedError: no credential of this authenticator is allowed");
            }
            if (!freezeCounter) {
                cred.counter++;
            }
            byte[] clientData = clientData("webauthn.get", options);
            byte[] authData = authData(rpId, flags(), counterless ? 0 : cred.counter, new byte[0]);
            ObjectNode r = json.createObjectNode();
            r.put("id", B64U.encodeToString(cred.id)).put("rawId", B64U.encodeToString(cred.id)).put("type", "public-key");
            ObjectNode resp = r.putObject("response");
            resp.put("clientDataJSON", B64U.encodeToString(clientData));
            resp.put("authenticatorData", B64U.encodeToString(authData));
            resp.put("signature", B64U.encodeToString(sign(cred, authData, clientData)));
            resp.putNull("userHandle");
            r.putObject("clientExtensionResults");
            return json.writeValueAsString(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same as {@link #authenticate}. */
    public String assert_(String optionsJson) {
        return authenticate(optionsJson);
    }

    private int flags() {
        return (userPresent ? UP : 0) | (userVerified ? UV : 0);
    }

    private byte[] clientData(String type, JsonNode options) throws IOException {
        byte[] challenge = challengeOverride != null ? challengeOverride : B64U_DEC.decode(options.get("challenge").asText());
        ObjectNode c = json.createObjectNode();
        c.put("type", typeOverride != null ? typeOverride : type);
        c.put("challenge", B64U.encodeToString(challenge));
        c.put("origin", originOverride != null ? originOverride : origin);
        c.put("crossOrigin", crossOrigin);
        return json.writeValueAsBytes(c);
    }

    /** rpIdHash (32) || flags (1) || signCount (4, big endian) || attested credential data (if any). */
    private static byte[] authData(String rpId, int flags, long counter, byte[] attested) throws GeneralSecurityException {
        byte[] rpIdHash = MessageDigest.getInstance("SHA-256").digest(rpId.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(37 + attested.length).put(rpIdHash).put((byte) flags).putInt((int) counter)
                .put(attested).array();
    }

    /** ECDSA P-256 SHA-256 (DER) over authData || SHA-256(clientDataJSON). */
    private byte[] sign(Credential cred, byte[] authData, byte[] clientData) throws GeneralSecurityException {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(clientData);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(cred.keys.getPrivate(), random);
        s.update(authData);
        s.update(hash);
        byte[] sig = s.sign();
        if (tamperSignature) {
            sig = Arrays.copyOf(sig, sig.length);
            sig[sig.length - 1] ^= 0x01;
        }
        return sig;
    }

    /** COSE_Key EC2 (RFC 9053): {1: 2, 3: alg (-7 = ES256), -1: 1 (P-256), -2: x, -3: y}. */
    private static byte[] coseKey(ECPublicKey key, long alg) {
        return new Cbor().map(5).integer(1).integer(2).integer(3).integer(alg).integer(-1).integer(1)
                .integer(-2).bytes(fixed32(key.getW().getAffineX()))
                .integer(-3).bytes(fixed32(key.getW().getAffineY())).toByteArray();
    }

    private static byte[] fixed32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    /** The CBOR (RFC 8949) this authenticator needs: integers, byte and text strings, maps of known size. */
    static final class Cbor {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Cbor head(int major, long n) {
            int m = major << 5;
            if (n < 24) {
                out.write(m | (int) n);
            } else if (n < 0x100) {
                out.write(m | 24);
                out.write((int) n);
            } else if (n < 0x10000) {
                out.write(m | 25);
                out.write((int) (n >> 8));
                out.write((int) n);
            } else {
                out.write(m | 26);
                out.writeBytes(ByteBuffer.allocate(4).putInt((int) n).array());
            }
            return this;
        }

        Cbor integer(long v) {
            return v >= 0 ? head(0, v) : head(1, -1 - v);
        }

        Cbor bytes(byte[] b) {
            head(2, b.length);
            out.writeBytes(b);
            return this;
        }

        Cbor text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            head(3, b.length);
            out.writeBytes(b);
            return this;
        }

        Cbor map(int entries) {
            return head(5, entries);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
