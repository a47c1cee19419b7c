package dev.cairn.hsm;

import dev.cairn.hsm.KeyEvent.Operation;
import dev.cairn.hsm.KeyEvent.Outcome;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.approval.Authorization;
import dev.cairn.hsm.approval.AuthorizationException;
import dev.cairn.hsm.pkcs11.Ck;
import dev.cairn.hsm.recovery.RecoveryKit;
import dev.cairn.hsm.recovery.RecoverySeal;
import dev.cairn.hsm.recovery.RecoveryShare;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * {@link KeyVault} over a PKCS#11 token through SunPKCS11. Token objects (docs/keys.md):
 * {@code cairn/<tenant>/kek/<generation>} (AES-256 KEKs), {@code cairn/transport/1} (RSA-3072 BYOK
 * transport key), {@code cairn/audit/1}, {@code cairn/ca/1}, {@code cairn/approval/1} (EC P-256 sign-only
 * keys: audit, appliance CA, approval authority). Wrapped data keys live in the state
 * directory ({@link VaultState}).
 *
 * <p>Concurrency: unwrapping takes a read lock and runs in parallel; every change takes the write
 * lock and the state directory's file lock, so changes from two processes never interleave.
 */
public final class Pkcs11KeyVault implements KeyVault {
    static final String TRANSPORT_LABEL = "cairn/transport/1";
    static final String AUDIT_LABEL = "cairn/audit/1";
    static final String CA_LABEL = "cairn/ca/1";
    static final String APPROVAL_LABEL = "cairn/approval/1";
    /** Unwrap only: with decrypt allowed, a PIN holder could decrypt a customer's wrapped key outside C_UnwrapKey. */
    static final Map<Long, Boolean> TRANSPORT_USAGE = Map.of(Ck.CKA_UNWRAP, true, Ck.CKA_DECRYPT, false,
            Ck.CKA_SIGN, false, Ck.CKA_SIGN_RECOVER, false, Ck.CKA_DERIVE, false);
    /** Sign only: the audit, CA and approval keys. */
    static final Map<Long, Boolean> SIGN_ONLY_USAGE = Map.of(Ck.CKA_SIGN, true, Ck.CKA_DECRYPT, false,
            Ck.CKA_UNWRAP, false, Ck.CKA_DERIVE, false, Ck.CKA_SIGN_RECOVER, false);
    private static final Pattern KEK_LABEL = Pattern.compile("cairn/([a-z0-9][a-z0-9-]{0,47})/kek/([0-9]{1,9})");
    private static final int NONCE = 12;

    private final Pkcs11Token token;
    private final VaultState state;
    private final Clock clock;
    private final SecureRandom random;
    private final List<KeyEventListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean tokenLossReported;

    private Pkcs11KeyVault(Pkcs11Token token, VaultState state, Clock clock, SecureRandom random) {
        this.token = token;
        this.state = state;
        this.clock = clock;
        this.random = random;
    }

    /** Opens the vault described by {@code hsm.conf} with the system clock and a strong random source. */
    public static Pkcs11KeyVault open(Path hsmConf) {
        return open(HsmConfig.load(hsmConf), Clock.systemUTC(), new SecureRandom());
    }

    /**
     * Opens the vault: loads the module, finds the token, logs in with the PIN from the configuration.
     *
     * @throws HsmUnavailableException when the token cannot be reached (fail closed)
     * @throws HsmLoginException       when the PIN is missing or wrong
     */
    public static Pkcs11KeyVault open(HsmConfig config, Clock clock, SecureRandom random) {
        char[] pin = config.readPin();
        try {
            Pkcs11Token token = Pkcs11Token.open(config, pin);
            VaultState state = new VaultState(config.stateDir());
            state.ensureExists();
            return new Pkcs11KeyVault(token, state, clock, random);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    @Override
    public String token() {
        return token.description();
    }

    /** The token under this vault, for this package's tests. */
    Pkcs11Token pkcs11() {
        return token;
    }

    @Override
    public boolean healthy() {
        return token.failure() == null;
    }

    @Override
    public void addListener(KeyEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public List<String> tenants() {
        TreeSet<String> all = new TreeSet<>(state.tenants());
        for (String label : token.labels()) {
            Matcher m = KEK_LABEL.matcher(label);
            if (m.matches()) {
                all.add(m.group(1));
            }
        }
        return List.copyOf(all);
    }

    // ---------------------------------------------------------------- tenants and data keys

    @Override
    public void createKek(String tenant, Duration rotationPeriod) {
        TenantId.check(tenant);
        requirePositive(rotationPeriod);
        operation(Operation.CREATE_KEK, tenant, () -> changing(() -> {
            Properties props = state.tenantProperties(tenant);
            refuseIfDestroyed(tenant, props);
            TreeMap<Integer, KekState> keks = keks(tenant);
            List<WrappedKey> existing = loadRecords(tenant);
            int generation;
            boolean complete = java.util.Arrays.stream(KeyPurpose.values())
                    .allMatch(p -> existing.stream().anyMatch(k -> k.purpose() == p));
            if (!keks.isEmpty()) {
                if (complete) {
                    throw new KeyStateException("tenant " + tenant + " already has KEK generation " + keks.lastKey()
                            + "; use `cairn keys rotate` to make a new one");
                }
                generation = activeGeneration(tenant, keks); // an earlier attempt stopped halfway: finish it
            } else {
                if (!existing.isEmpty()) {
                    throw new KeyStateException("the state directory holds wrapped keys of tenant " + tenant
                            + " but " + token.description() + " has no KEK for it: this is not the token those "
                            + "keys were made with. Refusing to create a new KEK over them.");
                }
                generation = 1;
                token.generateAes256(kekLabel(tenant, generation));
            }
            Instant now = clock.instant();
            props.putIfAbsent("created", now.toString());
            props.setProperty("rotation.period", VaultStatus.period(rotationPeriod));
            props.putIfAbsent("kek." + generation + ".created", now.toString());
            props.putIfAbsent("kek." + generation + ".origin", "generated");
            state.writeTenantProperties(tenant, props);
            for (KeyPurpose purpose : KeyPurpose.values()) {
                if (existing.stream().noneMatch(k -> k.purpose() == purpose)) {
                    createDataKey(tenant, purpose, 1, generation);
                }
            }
            emit(Operation.CREATE_KEK, tenant, kekLabel(tenant, generation), generation, Outcome.SUCCESS, "");
            return null;
        }));
    }

    @Override
    public DataKey dataKey(String tenant, KeyPurpose purpose) {
        TenantId.check(tenant);
        int version = operation(Operation.UNWRAP_DATA_KEY, tenant, () -> currentVersion(tenant, purpose));
        return dataKey(tenant, purpose, version);
    }

    @Override
    public DataKey dataKey(String tenant, KeyPurpose purpose, int version) {
        TenantId.check(tenant);
        return operation(Operation.UNWRAP_DATA_KEY, tenant, () -> reading(() -> {
            WrappedKey record = bestRecord(tenant, purpose, version);
            byte[] key = unwrap(record);
            emit(Operation.UNWRAP_DATA_KEY, tenant, record.fileName(), version, Outcome.SUCCESS, "");
            return new DataKey(tenant, purpose, version, key);
        }));
    }

    @Override
    public int rollForward(String tenant, KeyPurpose purpose) {
        TenantId.check(tenant);
        return operation(Operation.ROLL_FORWARD, tenant, () -> changing(() -> {
            int generation = activeGeneration(tenant, keks(tenant));
            int version = currentVersion(tenant, purpose) + 1;
            createDataKey(tenant, purpose, version, generation);
            emit(Operation.ROLL_FORWARD, tenant, purpose.fileName() + "-v" + version, version, Outcome.SUCCESS, "");
            return version;
        }));
    }

    // ---------------------------------------------------------------- rotation and BYOK

    @Override
    public RotationReport rotate(String tenant) {
        TenantId.check(tenant);
        return operation(Operation.ROTATE, tenant, () -> changing(() -> {
            TreeMap<Integer, KekState> keks = keks(tenant);
            List<Integer> active = activeGenerations(tenant, keks);
            int to;
            if (active.size() >= 2) {
                to = active.getLast(); // an earlier rotation stopped halfway: finish it
            } else {
                to = keks.lastKey() + 1;
                token.generateAes256(kekLabel(tenant, to));
            }
            int from = active.size() >= 2 ? active.get(active.size() - 2) : active.getFirst();
            Properties props = state.tenantProperties(tenant);
            props.putIfAbsent("kek." + to + ".created", clock.instant().toString());
            props.putIfAbsent("kek." + to + ".origin", "generated");
            state.writeTenantProperties(tenant, props);
            List<RotationReport.Rewrapped> rewrapped = rewrapAll(tenant, to);
            retireBelow(tenant, to);
            emit(Operation.ROTATE, tenant, kekLabel(tenant, to), to, Outcome.SUCCESS,
                    "generation " + from + " -> " + to + ", " + rewrapped.size() + " data keys re-wrapped");
            return new RotationReport(tenant, from, to, rewrapped, null);
        }));
    }

    @Override
    public void setRotationPeriod(String tenant, Duration period) {
        TenantId.check(tenant);
        requirePositive(period);
        operation(Operation.SET_ROTATION_PERIOD, tenant, () -> changing(() -> {
            if (keks(tenant).isEmpty()) {
                throw new KeyNotFoundException("tenant " + tenant + " has no KEK in " + token.description());
            }
            Properties props = state.tenantProperties(tenant);
            props.setProperty("rotation.period", VaultStatus.period(period));
            state.writeTenantProperties(tenant, props);
            emit(Operation.SET_ROTATION_PERIOD, tenant, null, 0, Outcome.SUCCESS, VaultStatus.period(period));
            return null;
        }));
    }

    @Override
    public TransportKey transportKey() {
        return operation(Operation.CREATE_TRANSPORT_KEY, null, () -> {
            X509Certificate cert = token.certificate(TRANSPORT_LABEL);
            Properties props = state.transportProperties();
            if (cert != null && props.getProperty("oaep.hash") != null) {
                token.ensureUsage(TRANSPORT_LABEL, TRANSPORT_USAGE);
                return new TransportKey(TRANSPORT_LABEL, cert.getPublicKey(), props.getProperty("oaep.hash"));
            }
            return changing(() -> {
                X509Certificate c = token.certificate(TRANSPORT_LABEL);
                boolean created = false;
                if (c == null) {
                    c = token.generateKeyPair(TRANSPORT_LABEL, "RSA", TRANSPORT_USAGE);
                    created = true;
                } else {
                    token.ensureUsage(TRANSPORT_LABEL, TRANSPORT_USAGE);
                }
                String hash = probeOaepHash(c.getPublicKey());
                Properties p = new Properties();
                p.setProperty("label", TRANSPORT_LABEL);
                p.setProperty("oaep.hash", hash);
                p.setProperty("created", clock.instant().toString());
                state.writeTransportProperties(p);
                if (created) {
                    emit(Operation.CREATE_TRANSPORT_KEY, null, TRANSPORT_LABEL, 1, Outcome.SUCCESS, "RSA-3072, OAEP " + hash);
                }
                return new TransportKey(TRANSPORT_LABEL, c.getPublicKey(), hash);
            });
        });
    }

    /** Which OAEP hash the token's C_UnwrapKey accepts: SHA-256 when it can, else SHA-1. */
    private String probeOaepHash(PublicKey publicKey) {
        for (String hash : List.of("SHA-256", "SHA-1")) {
            byte[] probe = new byte[32];
            random.nextBytes(probe);
            try {
                token.unwrapOaep(TRANSPORT_LABEL, hash.equals("SHA-256") ? Ck.CKM_SHA256 : Ck.CKM_SHA_1,
                        oaepEncrypt(publicKey, hash, probe), "cairn/probe", true);
                return hash;
            } catch (HsmUnavailableException e) {
                throw e;
            } catch (KeyVaultException e) {
                // this hash is not supported by the token: try the next one
            } finally {
                Arrays.fill(probe, (byte) 0);
            }
        }
        throw new KeyVaultException(token.description() + " cannot unwrap RSA-OAEP with SHA-256 or SHA-1 "
                + "(C_UnwrapKey with CKM_RSA_PKCS_OAEP): bring-your-own-key is not available with this token");
    }

    /** RSA-OAEP encryption in software with {@code hash} for OAEP and MGF1: what a customer does with openssl. */
    static byte[] oaepEncrypt(PublicKey publicKey, String hash, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
            c.init(Cipher.ENCRYPT_MODE, publicKey, new OAEPParameterSpec(hash, "MGF1",
                    hash.equals("SHA-256") ? MGF1ParameterSpec.SHA256 : MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT));
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-OAEP unavailable", e);
        }
    }

    @Override
    public RotationReport importKek(String tenant, byte[] wrapped) {
        return importKek(tenant, wrapped, null);
    }

    @Override
    public RotationReport importKek(String tenant, byte[] wrapped, String expectedCheckValue) {
        TenantId.check(tenant);
        if (expectedCheckValue != null && !expectedCheckValue.matches("[0-9a-fA-F]{16}")) {
            throw new IllegalArgumentException("a key check value is 16 hex digits (the first 8 bytes of AES-256-ECB(key, zero block))");
        }
        TransportKey transport = transportKey();
        int expected = (((java.security.interfaces.RSAPublicKey) transport.publicKey()).getModulus().bitLength() + 7) / 8;
        if (wrapped.length != expected) {
            throw new IllegalArgumentException("the wrapped key has " + wrapped.length + " bytes; a key wrapped to this "
                    + "appliance's RSA-3072 transport key has " + expected + ". Wrap it with: " + transport.opensslCommand());
        }
        return operation(Operation.IMPORT_KEK, tenant, () -> changing(() -> {
            Properties props = state.tenantProperties(tenant);
            refuseIfDestroyed(tenant, props);
            TreeMap<Integer, KekState> keks = keks(tenant);
            if (keks.containsValue(KekState.DISABLED)) {
                throw new KeyStateException("tenant " + tenant + " is disabled; enable it before importing a KEK");
            }
            List<WrappedKey> existing = loadRecords(tenant);
            if (keks.isEmpty() && !existing.isEmpty()) {
                throw new KeyStateException("the state directory holds wrapped keys of tenant " + tenant
                        + " but the token has no KEK for it; refusing to import a KEK over them");
            }
            int from = keks.isEmpty() ? 0 : activeGeneration(tenant, keks);
            int to = keks.isEmpty() ? 1 : keks.lastKey() + 1;
            String label = kekLabel(tenant, to);
            SecretKey kek;
            try {
                kek = token.unwrapOaep(TRANSPORT_LABEL, transport.oaepHash().equals("SHA-256") ? Ck.CKM_SHA256 : Ck.CKM_SHA_1,
                        wrapped, label, false);
            } catch (HsmUnavailableException | KeyStateException e) {
                throw e;
            } catch (KeyVaultException e) {
                throw new KeyVaultException("the wrapped key does not open with this appliance's transport key. "
                        + "Wrap a 32-byte AES key with: " + transport.opensslCommand(), e);
            }
            String checkValue = HexFormat.of().formatHex(token.checkValue(kek, label));
            if (expectedCheckValue != null && !checkValue.equalsIgnoreCase(expectedCheckValue)) {
                token.destroy(label);
                throw new KeyStateException("the imported key's check value is " + checkValue + ", not " + expectedCheckValue
                        + ": it is not the key you meant (or not 32 bytes). Nothing was imported.");
            }
            Instant now = clock.instant();
            props.putIfAbsent("created", now.toString());
            props.putIfAbsent("rotation.period", VaultStatus.period(DEFAULT_ROTATION_PERIOD));
            props.setProperty("kek." + to + ".created", now.toString());
            props.setProperty("kek." + to + ".origin", "imported");
            props.setProperty("kek." + to + ".check-value", checkValue);
            state.writeTenantProperties(tenant, props);
            List<RotationReport.Rewrapped> rewrapped;
            if (existing.isEmpty()) {
                for (KeyPurpose purpose : KeyPurpose.values()) {
                    createDataKey(tenant, purpose, 1, to);
                }
                rewrapped = List.of();
            } else {
                rewrapped = rewrapAll(tenant, to);
                retireBelow(tenant, to);
            }
            emit(Operation.IMPORT_KEK, tenant, label, to, Outcome.SUCCESS, "check value " + checkValue);
            return new RotationReport(tenant, from, to, rewrapped, checkValue);
        }));
    }

    // ---------------------------------------------------------------- ENC-6

    @Override
    public void disableKek(String tenant, Authorization authorization) {
        TenantId.check(tenant);
        operation(Operation.DISABLE_KEK, tenant, () -> changing(() -> {
            authorization.authorize(ApprovalActions.KEY_DISABLE, ApprovalActions.tenantTarget(tenant), clock.instant());
            TreeMap<Integer, KekState> keks = requireKeks(tenant);
            for (int g : keks.keySet()) {
                token.setUsage(kekLabel(tenant, g), false, false);
            }
            emit(Operation.DISABLE_KEK, tenant, kekLabel(tenant, keks.lastKey()), keks.lastKey(), Outcome.SUCCESS,
                    keks.size() + " generation(s) disabled");
            return null;
        }));
    }

    @Override
    public void enableKek(String tenant, Authorization authorization) {
        TenantId.check(tenant);
        operation(Operation.ENABLE_KEK, tenant, () -> changing(() -> {
            authorization.authorize(ApprovalActions.KEY_ENABLE, ApprovalActions.tenantTarget(tenant), clock.instant());
            TreeMap<Integer, KekState> keks = requireKeks(tenant);
            int newest = keks.lastKey();
            for (int g : keks.keySet()) {
                token.setUsage(kekLabel(tenant, g), g == newest, true);
            }
            emit(Operation.ENABLE_KEK, tenant, kekLabel(tenant, newest), newest, Outcome.SUCCESS, "");
            return null;
        }));
    }

    @Override
    public void destroyKek(String tenant, Authorization authorization) {
        TenantId.check(tenant);
        operation(Operation.DESTROY_KEK, tenant, () -> changing(() -> {
            authorization.authorize(ApprovalActions.KEY_DESTROY, ApprovalActions.tenantTarget(tenant), clock.instant());
            TreeMap<Integer, KekState> keks = keks(tenant);
            if (keks.isEmpty() && loadRecords(tenant).isEmpty() && state.tenantProperties(tenant).isEmpty()) {
                throw new KeyNotFoundException("tenant " + tenant + " does not exist on " + token.description());
            }
            for (int g : keks.keySet()) {
                token.destroy(kekLabel(tenant, g)); // the shredding itself: first, so a crash leaves no usable KEK
            }
            for (WrappedKey k : loadRecords(tenant)) {
                state.deleteRecord(k);
            }
            Properties props = state.tenantProperties(tenant);
            props.setProperty("destroyed", clock.instant().toString());
            state.writeTenantProperties(tenant, props);
            emit(Operation.DESTROY_KEK, tenant, "cairn/" + tenant + "/kek/*", keks.isEmpty() ? 0 : keks.lastKey(),
                    Outcome.SUCCESS, keks.size() + " generation(s) destroyed");
            return null;
        }));
    }

    // ---------------------------------------------------------------- ENC-9

    @Override
    public List<RecoveryShare> createRecoveryKit(int shares, int threshold) {
        return operation(Operation.CREATE_RECOVERY_KIT, null, () -> changing(() -> {
            List<String> tenants = new ArrayList<>();
            for (String tenant : tenants()) {
                if (state.tenantProperties(tenant).getProperty("destroyed") != null) {
                    continue;
                }
                if (keks(tenant).containsValue(KekState.DISABLED)) {
                    throw new KeyStateException("tenant " + tenant + "'s KEK is disabled, so its keys cannot be sealed to a "
                            + "new recovery kit. Enable it (an approved request) or destroy it, then create the kit.");
                }
                tenants.add(tenant);
            }
            RecoveryKit.Created kit = RecoveryKit.create(shares, threshold, random);
            long kitId = ByteBuffer.wrap(kit.kitId()).getLong();
            try {
                for (String tenant : tenants) {
                    for (WrappedKey k : latestPerKey(tenant)) {
                        byte[] key = unwrap(k);
                        try {
                            seal(k, key, kit.publicKey(), kitId);
                        } finally {
                            Arrays.fill(key, (byte) 0);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // the kit was never made: remove what was sealed to it so far
                for (String tenant : tenants) {
                    loadRecords(tenant).stream().filter(k -> k.scheme() == WrappedKey.Scheme.RECOVERY_SEAL
                            && k.wrappingKeyId() == kitId).forEach(state::deleteRecord);
                }
                throw e;
            }
            Properties p = new Properties();
            p.setProperty("kit.id", HexFormat.of().formatHex(kit.kitId()));
            p.setProperty("public.key", HexFormat.of().formatHex(kit.publicKey()));
            p.setProperty("threshold", Integer.toString(threshold));
            p.setProperty("shares", Integer.toString(shares));
            p.setProperty("created", clock.instant().toString());
            state.writeRecoveryKit(p);
            for (String tenant : tenants) {
                for (WrappedKey k : loadRecords(tenant)) {
                    if (k.scheme() == WrappedKey.Scheme.RECOVERY_SEAL && k.wrappingKeyId() != kitId) {
                        state.deleteRecord(k); // sealed to the kit this one replaces
                    }
                }
            }
            emit(Operation.CREATE_RECOVERY_KIT, null, "kit " + HexFormat.of().formatHex(kit.kitId()), 0, Outcome.SUCCESS,
                    threshold + " of " + shares + " shares, " + tenants.size() + " tenant(s) sealed");
            return kit.shares();
        }));
    }

    @Override
    public List<WrappedKey> recoveryRecords(String tenant) {
        TenantId.check(tenant);
        Long kitId = currentKitId();
        if (kitId == null) {
            return List.of();
        }
        return loadRecords(tenant).stream()
                .filter(k -> k.scheme() == WrappedKey.Scheme.RECOVERY_SEAL && k.wrappingKeyId() == kitId)
                .sorted(Comparator.comparing(WrappedKey::fileName)).toList();
    }

    @Override
    public void restoreTenant(String tenant, List<DataKey> keys, Duration rotationPeriod) {
        TenantId.check(tenant);
        requirePositive(rotationPeriod);
        operation(Operation.RESTORE_TENANT, tenant, () -> changing(() -> {
            refuseIfDestroyed(tenant, state.tenantProperties(tenant));
            if (!keks(tenant).isEmpty() || !loadRecords(tenant).isEmpty()) {
                throw new KeyStateException("tenant " + tenant + " already exists on " + token.description()
                        + "; recovered keys are restored only into a tenant that does not exist yet");
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("no recovered keys to restore");
            }
            token.generateAes256(kekLabel(tenant, 1));
            Instant now = clock.instant();
            Properties props = new Properties();
            props.setProperty("created", now.toString());
            props.setProperty("rotation.period", VaultStatus.period(rotationPeriod));
            props.setProperty("kek.1.created", now.toString());
            props.setProperty("kek.1.origin", "generated");
            props.setProperty("restored", now.toString());
            state.writeTenantProperties(tenant, props);
            for (DataKey k : keys) {
                if (!k.tenant().equals(tenant)) {
                    throw new IllegalArgumentException("a recovered key of tenant " + k.tenant() + " cannot be restored into " + tenant);
                }
                byte[] bytes = k.bytes();
                try {
                    storeDataKey(tenant, k.purpose(), k.version(), 1, now, bytes);
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            }
            emit(Operation.RESTORE_TENANT, tenant, kekLabel(tenant, 1), 1, Outcome.SUCCESS, keys.size() + " data keys");
            return null;
        }));
    }

    // ---------------------------------------------------------------- audit key

    @Override
    public AuditSigner auditSigner() {
        return new AuditSigner(signer(Operation.CREATE_AUDIT_KEY, AUDIT_LABEL));
    }

    @Override
    public TokenSigner caSigner() {
        return signer(Operation.CREATE_CA_KEY, CA_LABEL);
    }

    @Override
    public TokenSigner approvalSigner() {
        return signer(Operation.CREATE_APPROVAL_KEY, APPROVAL_LABEL);
    }

    /**
     * The sign-only EC P-256 key pair {@code label}, generated in the token on first use (under the write
     * lock and the state directory's lock, so two callers never make two); its usage is checked and
     * corrected on every call.
     */
    private TokenSigner signer(Operation create, String label) {
        return operation(create, null, () -> {
            X509Certificate cert = token.certificate(label);
            if (cert == null) {
                cert = changing(() -> {
                    X509Certificate c = token.certificate(label);
                    if (c == null) {
                        c = token.generateKeyPair(label, "EC", SIGN_ONLY_USAGE);
                        emit(create, null, label, 1, Outcome.SUCCESS, "EC P-256");
                    }
                    return c;
                });
            }
            token.ensureUsage(label, SIGN_ONLY_USAGE);
            PrivateKey key = token.privateKey(label);
            if (key == null) {
                throw new KeyNotFoundException(token.description() + " has a certificate but no private key for " + label);
            }
            return new TokenSigner(token, label, key, cert.getPublicKey(),
                    () -> emit(Operation.SIGN, null, label, 1, Outcome.SUCCESS, ""));
        });
    }

    // ---------------------------------------------------------------- status

    @Override
    public VaultStatus status() {
        Instant now = clock.instant();
        if (!healthy()) {
            return new VaultStatus(token.description(), false, token.failure(), now, List.of(), List.of(), null);
        }
        try {
            token.refresh(); // another process may have changed the token
        } catch (HsmUnavailableException e) {
            return new VaultStatus(token.description(), false, token.failure(), now, List.of(), List.of(), null);
        }
        List<VaultStatus.TokenKey> keys = new ArrayList<>();
        List<String> labels = new ArrayList<>(token.labels());
        labels.sort(Comparator.comparing((String l) -> {
            Matcher m = KEK_LABEL.matcher(l);
            return m.matches() ? m.group(1) : "~" + l; // KEKs by tenant first, then the other keys
        }).thenComparingInt(l -> {
            Matcher m = KEK_LABEL.matcher(l);
            return m.matches() ? Integer.parseInt(m.group(2)) : 0;
        }));
        for (String label : labels) {
            Matcher m = KEK_LABEL.matcher(label);
            String kind = m.matches() ? "kek" : switch (label) {
                case TRANSPORT_LABEL -> "transport";
                case AUDIT_LABEL -> "audit";
                case CA_LABEL -> "ca";
                case APPROVAL_LABEL -> "approval";
                default -> null;
            };
            if (kind == null) {
                continue;
            }
            Pkcs11Token.KeyAttributes a = token.attributes(label);
            if (a == null) {
                continue;
            }
            String tenant = m.matches() ? m.group(1) : null;
            int generation = m.matches() ? Integer.parseInt(m.group(2)) : 1;
            KekState st = m.matches() ? KekState.of(a.encryptOrSign(), a.decrypt()) : null;
            String origin = tenant == null ? "generated"
                    : state.tenantProperties(tenant).getProperty("kek." + generation + ".origin", a.local() ? "generated" : "imported");
            keys.add(new VaultStatus.TokenKey(label, kind, tenant, generation, st, origin, a.sensitive(), a.extractable(),
                    a.alwaysSensitive(), a.neverExtractable(), a.local()));
        }
        Long kitId = currentKitId();
        List<VaultStatus.Tenant> tenants = new ArrayList<>();
        for (String tenant : tenants()) {
            tenants.add(tenantStatus(tenant, now, kitId));
        }
        Properties kit = state.recoveryKit();
        VaultStatus.RecoveryKit rk = kitId == null ? null : new VaultStatus.RecoveryKit(kit.getProperty("kit.id"),
                Integer.parseInt(kit.getProperty("threshold")), Integer.parseInt(kit.getProperty("shares")),
                Instant.parse(kit.getProperty("created")));
        return new VaultStatus(token.description(), true, null, now, keys, tenants, rk);
    }

    private VaultStatus.Tenant tenantStatus(String tenant, Instant now, Long kitId) {
        Properties props = state.tenantProperties(tenant);
        Duration period = parseDuration(props.getProperty("rotation.period"), DEFAULT_ROTATION_PERIOD);
        boolean destroyed = props.getProperty("destroyed") != null;
        TreeMap<Integer, KekState> keks = keks(tenant);
        Instant last = null;
        for (var e : keks.descendingMap().entrySet()) {
            if (e.getValue() != KekState.RETIRED) {
                last = parseInstant(props.getProperty("kek." + e.getKey() + ".created"));
                break;
            }
        }
        Instant due = last == null ? null : last.plus(period);
        List<WrappedKey> all = loadRecords(tenant);
        Map<String, List<WrappedKey>> byKey = new TreeMap<>();
        for (WrappedKey k : all) {
            byKey.computeIfAbsent(k.purpose().code() + ":" + String.format("%09d", k.keyVersion()), x -> new ArrayList<>()).add(k);
        }
        List<VaultStatus.DataKeyInfo> dataKeys = new ArrayList<>();
        for (List<WrappedKey> group : byKey.values()) {
            WrappedKey first = group.getFirst();
            List<Integer> gens = group.stream().filter(k -> k.scheme() == WrappedKey.Scheme.KEK_AES256_GCM)
                    .map(k -> (int) k.wrappingKeyId()).sorted().toList();
            boolean sealed = kitId != null && group.stream()
                    .anyMatch(k -> k.scheme() == WrappedKey.Scheme.RECOVERY_SEAL && k.wrappingKeyId() == kitId);
            boolean current = all.stream().filter(k -> k.purpose() == first.purpose())
                    .mapToInt(WrappedKey::keyVersion).max().orElse(0) == first.keyVersion();
            dataKeys.add(new VaultStatus.DataKeyInfo(first.purpose(), first.keyVersion(),
                    KeyFingerprint.hex(first.fingerprint()), gens, sealed, current));
        }
        return new VaultStatus.Tenant(tenant, period, last, due, due != null && !destroyed && now.isAfter(due),
                destroyed, dataKeys);
    }

    @Override
    public void close() {
        token.close();
    }

    // ---------------------------------------------------------------- internals

    static String kekLabel(String tenant, int generation) {
        return "cairn/" + tenant + "/kek/" + generation;
    }

    /** KEK generations of {@code tenant} in the token, with the state the token enforces. */
    private TreeMap<Integer, KekState> keks(String tenant) {
        TreeMap<Integer, KekState> out = new TreeMap<>();
        for (String label : token.labels()) {
            Matcher m = KEK_LABEL.matcher(label);
            if (m.matches() && m.group(1).equals(tenant)) {
                Pkcs11Token.KeyAttributes a = token.attributes(label);
                if (a != null) {
                    out.put(Integer.parseInt(m.group(2)), KekState.of(a.encryptOrSign(), a.decrypt()));
                }
            }
        }
        return out;
    }

    private TreeMap<Integer, KekState> requireKeks(String tenant) {
        TreeMap<Integer, KekState> keks = keks(tenant);
        if (keks.isEmpty()) {
            throw new KeyNotFoundException("tenant " + tenant + " has no KEK in " + token.description());
        }
        return keks;
    }

    private List<Integer> activeGenerations(String tenant, TreeMap<Integer, KekState> keks) {
        if (keks.isEmpty()) {
            throw new KeyNotFoundException("tenant " + tenant + " has no KEK in " + token.description()
                    + "; create one with `cairn keys create-kek`");
        }
        List<Integer> active = keks.entrySet().stream().filter(e -> e.getValue() == KekState.ACTIVE)
                .map(Map.Entry::getKey).toList();
        if (active.isEmpty()) {
            throw new KeyStateException("tenant " + tenant + "'s KEK is " + (keks.containsValue(KekState.DISABLED)
                    ? "disabled; enabling it needs an approved request" : "retired with no active generation; rotate it"));
        }
        return active;
    }

    private int activeGeneration(String tenant, TreeMap<Integer, KekState> keks) {
        return activeGenerations(tenant, keks).getLast();
    }

    /** Always read from disk: records are few and small, and what is on disk is what counts. */
    private List<WrappedKey> loadRecords(String tenant) {
        return state.records(tenant);
    }

    private int currentVersion(String tenant, KeyPurpose purpose) {
        int v = loadRecords(tenant).stream().filter(k -> k.purpose() == purpose).mapToInt(WrappedKey::keyVersion).max().orElse(0);
        if (v == 0) {
            Properties props = state.tenantProperties(tenant);
            refuseIfDestroyed(tenant, props);
            throw new KeyNotFoundException("tenant " + tenant + " has no " + purpose.fileName() + " key; create it with "
                    + "`cairn keys create-kek --tenant " + tenant + "`");
        }
        return v;
    }

    /** The KEK-wrapped record of a data key under the newest generation the token still has. */
    private WrappedKey bestRecord(String tenant, KeyPurpose purpose, int version) {
        List<WrappedKey> candidates = loadRecords(tenant).stream()
                .filter(k -> k.scheme() == WrappedKey.Scheme.KEK_AES256_GCM && k.purpose() == purpose
                        && k.keyVersion() == version)
                .sorted(Comparator.comparingLong(WrappedKey::wrappingKeyId).reversed()).toList();
        for (int attempt = 0; attempt < 2 && !candidates.isEmpty(); attempt++) {
            for (WrappedKey k : candidates) {
                if (token.secretKey(kekLabel(tenant, (int) k.wrappingKeyId())) != null) {
                    if (attempt == 0 && k != candidates.getFirst()) {
                        break; // a newer generation's KEK is not in our view: another process made it
                    }
                    return k;
                }
            }
            token.refresh();
        }
        refuseIfDestroyed(tenant, state.tenantProperties(tenant));
        if (candidates.isEmpty()) {
            throw new KeyNotFoundException("tenant " + tenant + " has no " + purpose.fileName() + " key version " + version);
        }
        throw new KeyStateException("the token has none of the KEKs that wrap tenant " + tenant + "'s "
                + purpose.fileName() + " key version " + version + " (generations "
                + candidates.stream().map(k -> Long.toString(k.wrappingKeyId())).toList()
                + "): wrong token, or the KEK was destroyed");
    }

    /** The newest KEK-wrapped record of each data key of the tenant. */
    private List<WrappedKey> latestPerKey(String tenant) {
        Map<String, WrappedKey> best = new TreeMap<>();
        for (WrappedKey k : loadRecords(tenant)) {
            if (k.scheme() != WrappedKey.Scheme.KEK_AES256_GCM) {
                continue;
            }
            best.merge(k.purpose().code() + ":" + k.keyVersion(), k,
                    (a, b) -> a.wrappingKeyId() >= b.wrappingKeyId() ? a : b);
        }
        List<WrappedKey> out = new ArrayList<>();
        for (WrappedKey k : best.values()) {
            out.add(bestRecord(tenant, k.purpose(), k.keyVersion()));
        }
        return out;
    }

    private void createDataKey(String tenant, KeyPurpose purpose, int version, int generation) {
        byte[] key = new byte[DataKey.LENGTH];
        random.nextBytes(key);
        try {
            storeDataKey(tenant, purpose, version, generation, clock.instant(), key);
            emit(Operation.CREATE_DATA_KEY, tenant, purpose.fileName() + "-v" + version, version, Outcome.SUCCESS,
                    "fingerprint " + KeyFingerprint.hex(KeyFingerprint.of(key)));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Wraps {@code key} under KEK {@code generation}, writes it, proves it unwraps, and seals it for recovery. */
    private void storeDataKey(String tenant, KeyPurpose purpose, int version, int generation, Instant created, byte[] key) {
        WrappedKey record = wrap(tenant, purpose, version, generation, created, key);
        state.writeRecord(record);
        proveSame(record, key);
        Long kitId = currentKitId();
        if (kitId != null) {
            seal(record, key, HexFormat.of().parseHex(state.recoveryKit().getProperty("public.key")), kitId);
        }
    }

    private WrappedKey wrap(String tenant, KeyPurpose purpose, int version, int generation, Instant created, byte[] key) {
        String label = kekLabel(tenant, generation);
        SecretKey kek = token.secretKey(label);
        if (kek == null) {
            throw new KeyNotFoundException(token.description() + " has no KEK " + label);
        }
        byte[] fingerprint = KeyFingerprint.of(key);
        byte[] header = WrappedKey.header(WrappedKey.Scheme.KEK_AES256_GCM, purpose, version, generation, created,
                fingerprint, tenant);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] sealed = token.gcmEncrypt(kek, label, nonce, header, key);
        byte[] body = new byte[NONCE + sealed.length];
        System.arraycopy(nonce, 0, body, 0, NONCE);
        System.arraycopy(sealed, 0, body, NONCE, sealed.length);
        return new WrappedKey(WrappedKey.Scheme.KEK_AES256_GCM, purpose, version, generation, created, fingerprint, tenant, body);
    }

    /** Opens a KEK-wrapped record in the token and checks the fingerprint. The caller zeroes the result. */
    private byte[] unwrap(WrappedKey record) {
        String label = kekLabel(record.tenant(), (int) record.wrappingKeyId());
        SecretKey kek = token.secretKey(label);
        if (kek == null) {
            throw new KeyNotFoundException(token.description() + " has no KEK " + label);
        }
        byte[] body = record.body();
        byte[] key = token.gcmDecrypt(kek, label, Arrays.copyOf(body, NONCE), record.header(),
                Arrays.copyOfRange(body, NONCE, body.length));
        if (!KeyFingerprint.same(KeyFingerprint.of(key), record.fingerprint())) {
            Arrays.fill(key, (byte) 0);
            throw new WrappedKeyException(record + " opened to a key with another fingerprint; the record is not trustworthy");
        }
        return key;
    }

    /** Reads the record back from the state directory, unwraps it, and checks it is {@code key}. */
    private void proveSame(WrappedKey written, byte[] key) {
        WrappedKey reread = loadRecords(written.tenant()).stream()
                .filter(k -> k.fileName().equals(written.fileName())).findFirst()
                .orElseThrow(() -> new KeyVaultException(written + " vanished right after it was written"));
        byte[] back = unwrap(reread);
        try {
            if (!KeyFingerprint.same(KeyFingerprint.of(back), KeyFingerprint.of(key))) {
                throw new KeyVaultException(written + " does not unwrap to the key it was made from");
            }
        } finally {
            Arrays.fill(back, (byte) 0);
        }
    }

    private void seal(WrappedKey basis, byte[] key, byte[] recoveryPublic, long kitId) {
        byte[] header = WrappedKey.header(WrappedKey.Scheme.RECOVERY_SEAL, basis.purpose(), basis.keyVersion(), kitId,
                basis.created(), basis.fingerprint(), basis.tenant());
        byte[] body = RecoverySeal.seal(recoveryPublic, header, key, random);
        WrappedKey sealed = new WrappedKey(WrappedKey.Scheme.RECOVERY_SEAL, basis.purpose(), basis.keyVersion(), kitId,
                basis.created(), basis.fingerprint(), basis.tenant(), body);
        state.writeRecord(sealed);
        emit(Operation.SEAL_FOR_RECOVERY, basis.tenant(), sealed.fileName(), basis.keyVersion(), Outcome.SUCCESS, "");
    }

    /** Every data key of the tenant re-wrapped under {@code to} and proven to unwrap to the same key. */
    private List<RotationReport.Rewrapped> rewrapAll(String tenant, int to) {
        List<RotationReport.Rewrapped> out = new ArrayList<>();
        for (WrappedKey old : latestPerKey(tenant)) {
            byte[] key = unwrap(old);
            try {
                if (old.wrappingKeyId() != to) {
                    WrappedKey next = wrap(tenant, old.purpose(), old.keyVersion(), to, old.created(), key);
                    state.writeRecord(next);
                    proveSame(next, key);
                }
                out.add(new RotationReport.Rewrapped(old.purpose(), old.keyVersion(), KeyFingerprint.hex(old.fingerprint())));
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return out;
    }

    private void retireBelow(String tenant, int to) {
        for (var e : keks(tenant).entrySet()) {
            if (e.getKey() < to && e.getValue() == KekState.ACTIVE) {
                token.setUsage(kekLabel(tenant, e.getKey()), false, true);
                emit(Operation.RETIRE_KEK, tenant, kekLabel(tenant, e.getKey()), e.getKey(), Outcome.SUCCESS, "");
            }
        }
    }

    private Long currentKitId() {
        String id = state.recoveryKit().getProperty("kit.id");
        return id == null ? null : ByteBuffer.wrap(HexFormat.of().parseHex(id)).getLong();
    }

    private static void refuseIfDestroyed(String tenant, Properties props) {
        String destroyed = props.getProperty("destroyed");
        if (destroyed != null) {
            throw new KeyStateException("tenant " + tenant + "'s keys were destroyed (crypto-shredded) at " + destroyed
                    + "; its data can no longer be decrypted and the id cannot be reused");
        }
    }

    private static void requirePositive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the rotation period must be positive");
        }
    }

    private static Duration parseDuration(String s, Duration fallback) {
        try {
            return s == null ? fallback : Duration.parse(s);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static Instant parseInstant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- locking and events

    private <T> T reading(Supplier<T> body) {
        lock.readLock().lock();
        try {
            token.ensureUsable();
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T changing(Supplier<T> body) {
        lock.writeLock().lock();
        try {
            token.ensureUsable();
            try (VaultState.ChangeLock ignored = state.lockForChange()) {
                token.refresh(); // another process may have changed the token since we last looked
                return body.get();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code body}; on failure emits a DENIED or FAILURE event and rethrows. */
    private <T> T operation(Operation op, String tenant, Supplier<T> body) {
        try {
            return body.get();
        } catch (AuthorizationException e) {
            emit(op, tenant, null, 0, Outcome.DENIED, "not approved: " + e.getMessage());
            throw e;
        } catch (KeyStateException e) {
            emit(op, tenant, null, 0, Outcome.DENIED, e.getClass().getSimpleName());
            throw e;
        } catch (RuntimeException e) {
            if (e instanceof HsmUnavailableException && !healthy() && !tokenLossReported) {
                tokenLossReported = true;
                emit(Operation.TOKEN_LOST, tenant, null, 0, Outcome.FAILURE, token.failure());
            }
            emit(op, tenant, null, 0, Outcome.FAILURE, e.getClass().getSimpleName());
            throw e;
        }
    }

    private void emit(Operation op, String tenant, String label, int generation, Outcome outcome, String detail) {
        KeyEvent event = new KeyEvent(clock.instant(), op, tenant, label, generation, outcome, detail == null ? "" : detail);
        for (KeyEventListener l : listeners) {
            l.onEvent(event);
        }
    }
}
