package dev.cairn.hsm;

import dev.cairn.hsm.pkcs11.Ck;
import dev.cairn.hsm.pkcs11.CkException;
import dev.cairn.hsm.pkcs11.CkrCodes;
import dev.cairn.hsm.pkcs11.Cryptoki;
import dev.cairn.hsm.pkcs11.Session;
import dev.cairn.hsm.pkcs11.Session.Attr;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * One logged-in PKCS#11 token: SunPKCS11 for every cryptographic operation, plus {@link Cryptoki} for
 * slot lookup, attribute reads and changes, and RSA-OAEP unwrap. Every call goes through
 * {@link #guard}, which turns provider exceptions into the key plane's typed exceptions and, when the
 * token is lost (CKR_OBJECT_HANDLE_INVALID, CKR_SESSION_*, CKR_TOKEN_NOT_PRESENT...), marks the token
 * failed for the rest of the process: SunPKCS11 cannot re-initialise a module.
 *
 * <p>Thread safe. One instance per token per process ({@link #open} refuses a second).
 */
final class Pkcs11Token implements AutoCloseable {
    private static final Pattern CKR = Pattern.compile("CKR_[A-Z0-9_]+");
    private static final Set<String> OPEN = new HashSet<>();
    private static final AtomicInteger PROVIDER_COUNT = new AtomicInteger();

    private final HsmConfig config;
    private final Cryptoki cryptoki;
    private final long slot;
    private final Provider provider;
    private final String openKey;
    private final String description;
    private final Map<String, SecretKey> secretKeys = new ConcurrentHashMap<>();
    private volatile KeyStore keyStore;
    private volatile String failure;
    private volatile boolean closed;

    private Pkcs11Token(HsmConfig config, Cryptoki cryptoki, long slot, Provider provider, KeyStore keyStore,
                        String openKey, String description) {
        this.config = config;
        this.cryptoki = cryptoki;
        this.slot = slot;
        this.provider = provider;
        this.keyStore = keyStore;
        this.openKey = openKey;
        this.description = description;
    }

    /**
     * Loads the module, finds the token, configures SunPKCS11 and logs in with {@code pin}.
     *
     * @throws HsmUnavailableException when the module or token cannot be reached
     * @throws HsmLoginException       when the token refuses the PIN
     */
    static synchronized Pkcs11Token open(HsmConfig config, char[] pin) {
        for (Map.Entry<String, String> e : config.env().entrySet()) {
            Cryptoki.setenv(e.getKey(), e.getValue());
        }
        Path module = config.moduleFile();
        Cryptoki ck;
        try {
            ck = Cryptoki.load(module);
        } catch (IOException e) {
            throw new HsmUnavailableException(e.getMessage(), e);
        }
        Provider provider;
        long slot;
        String providerName = "Cairn" + PROVIDER_COUNT.incrementAndGet();
        if (config.isNss()) {
            provider = configure(config, "name = " + providerName + "\n"
                    + "nssLibraryDirectory = " + config.nssLibraryDir() + "\n"
                    + "nssSecmodDirectory = \"sql:" + config.nssDb() + "\"\n"
                    + "nssModule = keystore\n" + attributeTemplates());
            ck.initialize();
            slot = findSlot(config, ck);
        } else {
            try {
                ck.initialize();
            } catch (CkException e) {
                throw new HsmUnavailableException("cannot initialise PKCS#11 module " + module + " ("
                        + e.rvName() + "). For SoftHSM check env.SOFTHSM2_CONF in " + config.source()
                        + " and that its token directory exists and is readable.", e);
            }
            slot = findSlot(config, ck);
            provider = configure(config, "name = " + providerName + "\n"
                    + "library = " + module + "\n"
                    + "slot = " + slot + "\n" + attributeTemplates());
        }
        String openKey = module.toAbsolutePath().normalize() + "#" + slot;
        if (OPEN.contains(openKey)) {
            throw new KeyStateException(config.describeToken() + " is already open in this process; "
                    + "share the one KeyVault instance instead of opening it twice");
        }
        String description = config.describeToken() + " slot " + slot;
        KeyStore ks;
        try {
            ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
        } catch (IOException | GeneralSecurityException e) {
            String ckr = ckrName(e);
            if ("CKR_PIN_INCORRECT".equals(ckr)) {
                throw new HsmLoginException(description + " refused the PIN (CKR_PIN_INCORRECT). Check the PIN in "
                        + (config.pinFile() != null ? config.pinFile() : "$" + config.pinEnv())
                        + "; several wrong PINs may lock the token.", e);
            }
            if ("CKR_PIN_LOCKED".equals(ckr)) {
                throw new HsmLoginException(description + " has locked the user PIN (CKR_PIN_LOCKED). "
                        + "The token's security officer must unlock or reset it.", e);
            }
            throw new HsmUnavailableException("cannot log in to " + description + " ("
                    + (ckr != null ? ckr : e.getClass().getSimpleName()) + ")", e);
        }
        OPEN.add(openKey);
        return new Pkcs11Token(config, ck, slot, provider, ks, openKey, description);
    }

    private static String attributeTemplates() {
        // KEKs are generated as session objects and copied to the token with their label by
        // KeyStore.setKeyEntry; with CKA_TOKEN = true an unlabelled twin would stay behind.
        // Private keys are generated as token objects: KeyStore.setKeyEntry then only labels them (NSS
        // softoken refuses to copy a session EC private key into its database: CKR_ATTRIBUTE_READ_ONLY).
        return """
                attributes(generate, CKO_SECRET_KEY, CKK_AES) = {
                  CKA_TOKEN = false
                  CKA_SENSITIVE = true
                  CKA_EXTRACTABLE = false
                  CKA_ENCRYPT = true
                  CKA_DECRYPT = true
                  CKA_WRAP = false
                  CKA_UNWRAP = false
                  CKA_SIGN = false
                  CKA_VERIFY = false
                }
                attributes(generate, CKO_PRIVATE_KEY, *) = {
                  CKA_TOKEN = true
                  CKA_SENSITIVE = true
                  CKA_EXTRACTABLE = false
                }
                """;
    }

    private static Provider configure(HsmConfig config, String text) {
        try {
            Provider base = Security.getProvider("SunPKCS11");
            if (base == null) {
                throw new HsmUnavailableException("this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
            }
            return base.configure("--" + text);
        } catch (RuntimeException e) {
            if (e instanceof KeyVaultException k) {
                throw k;
            }
            String ckr = ckrName(e);
            throw new HsmUnavailableException("SunPKCS11 cannot open " + config.describeToken() + " ("
                    + (ckr != null ? ckr : rootMessage(e)) + "). Check that the token is present and initialised.", e);
        }
    }

    private static long findSlot(HsmConfig config, Cryptoki ck) {
        try {
            List<String> seen = new ArrayList<>();
            for (long s : ck.slots(true)) {
                Cryptoki.TokenInfo info = ck.tokenInfo(s);
                if (!info.initialized()) {
                    continue;
                }
                seen.add("'" + info.label() + "' (slot " + s + ")");
                if (config.slot() != null ? config.slot() == s : info.label().equals(config.tokenLabel())) {
                    return s;
                }
            }
            throw new HsmUnavailableException(config.describeToken() + " is not present. Tokens seen: "
                    + (seen.isEmpty() ? "none" : String.join(", ", seen))
                    + ". Plug the token in or fix 'token.label'/'slot' in " + config.source() + ".");
        } catch (CkException e) {
            throw new HsmUnavailableException("cannot list the slots of " + config.moduleFile() + " (" + e.rvName() + ")", e);
        }
    }

    String description() {
        return description;
    }

    long slot() {
        return slot;
    }

    HsmConfig config() {
        return config;
    }

    /** The SunPKCS11 provider instance, for this package's tests. */
    Provider providerForTests() {
        return provider;
    }

    /** The SunPKCS11 provider instance, for {@link TokenSigner#provider()}. */
    Provider provider() {
        return provider;
    }

    /** Null while healthy; otherwise why the token was declared lost. */
    String failure() {
        return failure;
    }

    // ---- secret keys ----

    /** All labels of the token's key store entries (secret keys and key pairs with certificates). */
    Set<String> labels() {
        return guard("list keys", () -> new HashSet<>(Collections.list(keyStore.aliases())));
    }

    /** The secret key with this label, or null. */
    SecretKey secretKey(String label) {
        SecretKey k = secretKeys.get(label);
        if (k != null) {
            return k;
        }
        return guard("load key " + label, () -> {
            if (!keyStore.isKeyEntry(label)) {
                return null;
            }
            SecretKey key = (SecretKey) keyStore.getKey(label, null);
            if (key != null) {
                secretKeys.put(label, key);
            }
            return key;
        });
    }

    /** Generates an AES-256 key inside the token (sensitive, never extractable) stored under {@code label}. */
    SecretKey generateAes256(String label) {
        return guard("generate key " + label, () -> {
            KeyGenerator kg = KeyGenerator.getInstance("AES", provider);
            kg.init(256);
            SecretKey k = kg.generateKey();
            keyStore.setKeyEntry(label, k, null, null);
            SecretKey stored = (SecretKey) keyStore.getKey(label, null);
            secretKeys.put(label, stored);
            return stored;
        });
    }

    byte[] gcmEncrypt(SecretKey key, String label, byte[] nonce, byte[] aad, byte[] plaintext) {
        return guard("encrypt with " + label, () -> {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            return c.doFinal(plaintext);
        });
    }

    byte[] gcmDecrypt(SecretKey key, String label, byte[] nonce, byte[] aad, byte[] ciphertext) {
        return guard("decrypt with " + label, () -> {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding", provider);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            c.updateAAD(aad);
            return c.doFinal(ciphertext);
        });
    }

    /** Key check value: the first 8 bytes of AES-ECB(key, 16 zero bytes), computed in the token. */
    byte[] checkValue(SecretKey key, String label) {
        return guard("key check value of " + label, () -> {
            Cipher c = Cipher.getInstance("AES/ECB/NoPadding", provider);
            c.init(Cipher.ENCRYPT_MODE, key);
            return java.util.Arrays.copyOf(c.doFinal(new byte[16]), 8);
        });
    }

    /** Deletes the key store entry {@code label} from the token (C_DestroyObject). */
    void destroy(String label) {
        guard("destroy " + label, () -> {
            keyStore.deleteEntry(label);
            secretKeys.remove(label);
            return null;
        });
    }

    // ---- attributes (through Cryptoki) ----

    /** The token's attributes of the secret key or private key stored under {@code label}, or null. */
    KeyAttributes attributes(String label) {
        return guard("read attributes of " + label, () -> {
            try (Session s = cryptoki.openSession(slot, false)) {
                long h = findObject(s, label);
                if (h < 0) {
                    return null;
                }
                Long cls = s.getUlong(h, Ck.CKA_CLASS);
                return new KeyAttributes(label,
                        cls != null && cls == Ck.CKO_PRIVATE_KEY ? "private-key" : "secret-key",
                        bool(s.getBoolean(h, Ck.CKA_SENSITIVE)), bool(s.getBoolean(h, Ck.CKA_EXTRACTABLE)),
                        bool(s.getBoolean(h, Ck.CKA_ALWAYS_SENSITIVE)), bool(s.getBoolean(h, Ck.CKA_NEVER_EXTRACTABLE)),
                        bool(s.getBoolean(h, Ck.CKA_LOCAL)),
                        bool(s.getBoolean(h, cls != null && cls == Ck.CKO_PRIVATE_KEY ? Ck.CKA_SIGN : Ck.CKA_ENCRYPT)),
                        bool(s.getBoolean(h, Ck.CKA_DECRYPT)));
            }
        });
    }

    /** Sets CKA_ENCRYPT and CKA_DECRYPT of the secret key {@code label}: the token then enforces them. */
    void setUsage(String label, boolean encrypt, boolean decrypt) {
        guard("change usage of " + label, () -> {
            try (Session s = cryptoki.openSession(slot, true)) {
                long h = findObject(s, label);
                if (h < 0) {
                    throw new KeyNotFoundException(description + " has no key " + label);
                }
                s.setBooleans(h, List.of(Attr.bool(Ck.CKA_ENCRYPT, encrypt), Attr.bool(Ck.CKA_DECRYPT, decrypt)));
                return null;
            }
        });
    }

    /** How many token objects (not session objects) of a PKCS#11 class (Ck.CKO_*) there are, for this package's tests. */
    int countObjects(long objectClass) {
        return guard("count objects", () -> {
            try (Session s = cryptoki.openSession(slot, false)) {
                return s.find(List.of(Attr.ulong(Ck.CKA_CLASS, objectClass), Attr.bool(Ck.CKA_TOKEN, true))).length;
            }
        });
    }

    private static long findObject(Session s, String label) {
        long[] found = s.find(List.of(Attr.ulong(Ck.CKA_CLASS, Ck.CKO_SECRET_KEY), Attr.string(Ck.CKA_LABEL, label)));
        if (found.length > 0) {
            return found[0];
        }
        // SunPKCS11 stores a key pair's alias as CKA_ID of the private key (its CKA_LABEL stays empty).
        found = s.find(List.of(Attr.ulong(Ck.CKA_CLASS, Ck.CKO_PRIVATE_KEY),
                new Attr(Ck.CKA_ID, label.getBytes(StandardCharsets.UTF_8))));
        return found.length > 0 ? found[0] : -1;
    }

    private static boolean bool(Boolean b) {
        return b != null && b;
    }

    // ---- key pairs ----

    /**
     * Generates a key pair inside the token ("EC" P-256 or "RSA" 3072) and stores it under {@code label}
     * with a self-signed certificate, which SunPKCS11 needs to list a private key. Then narrows the private
     * key's usage to {@code usage} (PKCS#11 attribute to value, set one by one; an attribute the key type
     * does not have is skipped), so a PIN holder cannot use it for anything else.
     */
    X509Certificate generateKeyPair(String label, String algorithm, Map<Long, Boolean> usage) {
        return guard("generate key pair " + label, () -> {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm, provider);
            if (algorithm.equals("EC")) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(3072);
            }
            KeyPair kp = g.generateKeyPair();
            X509Certificate cert = selfSigned(kp, label, algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA");
            keyStore.setKeyEntry(label, kp.getPrivate(), null, new Certificate[] {cert});
            ensureUsage(label, usage);
            return cert;
        });
    }

    /**
     * Makes the private key {@code label} carry exactly {@code usage} (attribute to value); attributes the
     * key type does not have are skipped. Run after generation and on every load, so a process that
     * stopped between the two, or someone who changed the attributes since, is corrected before use.
     */
    void ensureUsage(String label, Map<Long, Boolean> usage) {
        guard("limit the usage of " + label, () -> {
            try (Session s = cryptoki.openSession(slot, true)) {
                long h = findObject(s, label);
                if (h < 0) {
                    throw new KeyNotFoundException(description + " has no key " + label);
                }
                for (Map.Entry<Long, Boolean> e : usage.entrySet()) {
                    Boolean now = s.getBoolean(h, e.getKey());
                    if (now == null || now.equals(e.getValue())) {
                        continue; // not an attribute of this key type, or already right
                    }
                    s.setBooleans(h, List.of(Attr.bool(e.getKey(), e.getValue())));
                    if (!e.getValue().equals(s.getBoolean(h, e.getKey()))) {
                        throw new KeyVaultException(description + " did not take the usage limits of " + label);
                    }
                }
            }
            return null;
        });
    }

    private X509Certificate selfSigned(KeyPair kp, String label, String sigAlg)
            throws OperatorCreationException, GeneralSecurityException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        X500Name name = new X500Name("CN=" + label.replace('/', '_') + ",O=Cairn");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.getEpochSecond()),
                Date.from(now), Date.from(now.plus(36500, ChronoUnit.DAYS)), name, kp.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(sigAlg).setProvider(provider).build(kp.getPrivate())));
    }

    X509Certificate certificate(String label) {
        return guard("load certificate " + label, () -> (X509Certificate) keyStore.getCertificate(label));
    }

    PrivateKey privateKey(String label) {
        return guard("load key " + label, () -> (PrivateKey) keyStore.getKey(label, null));
    }

    byte[] sign(String label, PrivateKey key, String algorithm, byte[] data) {
        return guard("sign with " + label, () -> {
            Signature s = Signature.getInstance(algorithm, provider);
            s.initSign(key);
            s.update(data);
            return s.sign();
        });
    }

    // ---- BYOK ----

    /**
     * C_UnwrapKey with RSA-OAEP under the private key {@code privateLabel}: creates a token AES key
     * {@code newLabel} (sensitive, not extractable, encrypt/decrypt only) from {@code wrapped}.
     *
     * @param session true for a throw-away session object (used to probe which hash the token accepts)
     * @return the new key, or null when {@code session}
     */
    SecretKey unwrapOaep(String privateLabel, long hashMechanism, byte[] wrapped, String newLabel, boolean session) {
        return guard("unwrap into " + newLabel, () -> {
            try (Session s = cryptoki.openSession(slot, true)) {
                long priv = findObject(s, privateLabel);
                if (priv < 0) {
                    throw new KeyNotFoundException(description + " has no transport key " + privateLabel);
                }
                List<Attr> template = List.of(
                        Attr.ulong(Ck.CKA_CLASS, Ck.CKO_SECRET_KEY), Attr.ulong(Ck.CKA_KEY_TYPE, Ck.CKK_AES),
                        Attr.bool(Ck.CKA_TOKEN, !session), Attr.bool(Ck.CKA_PRIVATE, true),
                        Attr.string(Ck.CKA_LABEL, newLabel), Attr.bool(Ck.CKA_SENSITIVE, true),
                        Attr.bool(Ck.CKA_EXTRACTABLE, false), Attr.bool(Ck.CKA_ENCRYPT, true),
                        Attr.bool(Ck.CKA_DECRYPT, true), Attr.bool(Ck.CKA_WRAP, false), Attr.bool(Ck.CKA_UNWRAP, false),
                        Attr.bool(Ck.CKA_SIGN, false), Attr.bool(Ck.CKA_VERIFY, false));
                long h = s.unwrapRsaOaep(priv, hashMechanism, wrapped, template);
                Long len = s.getUlong(h, Ck.CKA_VALUE_LEN);
                // SoftHSM 2.6 leaves CKA_VALUE_LEN at 0 for unwrapped AES keys; 0 means "not reported".
                if (len != null && len != 0 && len != 32) {
                    s.destroy(h);
                    throw new KeyStateException("the imported key has " + len + " bytes; Cairn accepts only AES-256 (32 bytes)");
                }
                if (session) {
                    s.destroy(h);
                    return null;
                }
            }
            refreshKeyStore();
            return secretKey(newLabel);
        });
    }

    /**
     * Re-reads the token's objects. SunPKCS11's KeyStore lists the objects it saw when it was loaded;
     * objects made since by C_UnwrapKey or by another process appear only after this.
     */
    void refresh() {
        guard("list keys", () -> {
            refreshKeyStore();
            return null;
        });
    }

    /** A new KeyStore view: objects created outside SunPKCS11 (C_UnwrapKey above) appear only after this. */
    private void refreshKeyStore() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS11", provider);
        ks.load(null, null); // the module is logged in already: no PIN needed
        keyStore = ks;
        secretKeys.clear();
    }

    PublicKey publicKey(String label) {
        X509Certificate c = certificate(label);
        return c == null ? null : c.getPublicKey();
    }

    // ---- failure handling ----

    /** Runs {@code body}, translating every failure into a typed key plane exception. */
    <T> T guard(String operation, Callable<T> body) {
        ensureUsable();
        try {
            return body.call();
        } catch (KeyVaultException e) {
            throw e;
        } catch (Exception e) {
            throw translate(operation, e);
        }
    }

    void ensureUsable() {
        if (closed) {
            throw new KeyStateException("the key vault for " + description + " was closed");
        }
        String f = failure;
        if (f != null) {
            throw new HsmUnavailableException(f);
        }
    }

    private KeyVaultException translate(String operation, Exception e) {
        String ckr = ckrName(e);
        if (ckr != null && CkrCodes.meansTokenLost(ckr)) {
            String message = description + " stopped answering during '" + operation + "' (" + ckr + "). "
                    + "Cairn refuses every key operation from now on and never falls back to software keys. "
                    + "Bring the token back, then restart Cairn: SunPKCS11 cannot re-attach to a lost token.";
            failure = message;
            return new HsmUnavailableException(message, e);
        }
        // SoftHSM answers CKR_KEY_FUNCTION_NOT_PERMITTED when CKA_ENCRYPT/CKA_DECRYPT is off; NSS softoken
        // answers CKR_KEY_TYPE_INCONSISTENT. Cairn only ever uses AES keys with AES mechanisms, so both mean this.
        if ("CKR_KEY_FUNCTION_NOT_PERMITTED".equals(ckr) || "CKR_KEY_TYPE_INCONSISTENT".equals(ckr)) {
            return new KeyStateException(description + " refuses '" + operation + "' (" + ckr
                    + "): the key is disabled or retired", e);
        }
        if (hasCause(e, AEADBadTagException.class)) {
            return new WrappedKeyException("'" + operation + "' failed: the record does not authenticate "
                    + "(wrong tenant, purpose, version or generation, or a damaged record)", e);
        }
        return new KeyVaultException("'" + operation + "' failed in " + description + " ("
                + (ckr != null ? ckr : e.getClass().getSimpleName()) + ")", e);
    }

    /** The first CKR_ name found in the cause chain, or null. */
    static String ckrName(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CkException c) {
                return c.rvName();
            }
            if (t.getClass().getName().endsWith("PKCS11Exception") && t.getMessage() != null) {
                Matcher m = CKR.matcher(t.getMessage());
                if (m.find()) {
                    return m.group();
                }
            }
        }
        return null;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    }

    /** Logs the application out of the token (so a later open checks the PIN again) and frees the slot. */
    @Override
    public void close() {
        synchronized (Pkcs11Token.class) {
            if (closed) {
                return;
            }
            closed = true;
            OPEN.remove(openKey);
            secretKeys.clear();
            if (failure == null) {
                try (Session s = cryptoki.openSession(slot, false)) {
                    s.logout();
                } catch (CkException ignored) {
                    // already logged out or token gone: nothing left to release
                }
            }
        }
    }

    /** What the token says about one key. */
    record KeyAttributes(String label, String kind, boolean sensitive, boolean extractable, boolean alwaysSensitive,
                         boolean neverExtractable, boolean local, boolean encryptOrSign, boolean decrypt) {
    }
}
