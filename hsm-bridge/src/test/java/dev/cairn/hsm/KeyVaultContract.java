package dev.cairn.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.hsm.KeyEvent.Operation;
import dev.cairn.hsm.KeyEvent.Outcome;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.approval.Authorization;
import dev.cairn.hsm.approval.AuthorizationException;
import dev.cairn.hsm.recovery.RecoveryShare;
import dev.cairn.hsm.recovery.RecoveryShareException;
import dev.cairn.hsm.testing.Approvals;
import dev.cairn.hsm.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link KeyVault} must have, run against each real PKCS#11 implementation that
 * runs here (SoftHSM2, NSS softoken). One vault per class; every test uses its own tenants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KeyVaultContract {
    private static final AtomicInteger TENANTS = new AtomicInteger();

    protected final TestClock clock = new TestClock(Instant.parse("2026-11-28T12:00:00Z"));
    protected final Approvals approvals = new Approvals();
    protected final List<KeyEvent> events = new CopyOnWriteArrayList<>();
    protected Pkcs11KeyVault vault;

    /** Opens the vault under test with {@link #clock}. */
    protected abstract Pkcs11KeyVault openVault();

    /** The vault's state directory. */
    protected abstract Path stateDir();

    /** Whether the token keeps CKA_NEVER_EXTRACTABLE/ALWAYS_SENSITIVE/LOCAL on generated KEKs (NSS does not). */
    protected abstract boolean keepsGenerationAttributes();

    /** Whether the token refuses ECDH with a key whose CKA_DERIVE is false (NSS softoken does not check it). */
    protected abstract boolean enforcesDeriveLimit();

    @BeforeAll
    void openIt() {
        vault = openVault();
        vault.addListener(events::add);
    }

    @AfterAll
    void closeIt() {
        if (vault != null) {
            vault.close();
        }
    }

    protected String newTenant() {
        return "t" + TENANTS.incrementAndGet() + "-" + getClass().getSimpleName().toLowerCase().replaceAll("[^a-z0-9]", "");
    }

    // ------------------------------------------------------------ non-extractability

    @Test
    void kekIsSensitiveAndNeverLeavesTheToken() throws Exception {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        VaultStatus.TokenKey kek = tokenKey(Pkcs11KeyVault.kekLabel(t, 1));
        assertThat(kek.sensitive()).isTrue();
        assertThat(kek.extractable()).isFalse();
        assertThat(kek.state()).isEqualTo(KekState.ACTIVE);
        if (keepsGenerationAttributes()) {
            assertThat(kek.neverExtractable()).isTrue();
            assertThat(kek.alwaysSensitive()).isTrue();
            assertThat(kek.local()).isTrue();
        }
        SecretKey key = vault.pkcs11().secretKey(Pkcs11KeyVault.kekLabel(t, 1));
        assertThat(key).isNotNull();
        assertThat(key.getEncoded()).isNull();
        SecretKeyFactory f = SecretKeyFactory.getInstance("AES", vault.pkcs11().providerForTests());
        assertThatThrownBy(() -> f.getKeySpec(key, SecretKeySpec.class)).isInstanceOf(java.security.spec.InvalidKeySpecException.class);
    }

    // ------------------------------------------------------------ wrap / unwrap

    @Test
    void dataKeysRoundTripAndAreDistinct() {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        try (DataKey a = vault.dataKey(t, KeyPurpose.DATA); DataKey b = vault.dataKey(t, KeyPurpose.DATA);
             DataKey d = vault.dataKey(t, KeyPurpose.DEDUPE)) {
            assertThat(a.bytes()).isEqualTo(b.bytes());
            assertThat(a.version()).isEqualTo(1);
            assertThat(d.bytes()).isNotEqualTo(a.bytes());
            assertThat(a.secretKey().getAlgorithm()).isEqualTo("AES");
            assertThat(d.secretKey().getAlgorithm()).isEqualTo("HmacSHA256");
        }
    }

    @Test
    void recordsOnDiskHoldNoPlaintextKey() throws Exception {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        byte[] key;
        try (DataKey k = vault.dataKey(t, KeyPurpose.DATA)) {
            key = k.bytes();
        }
        try (var files = Files.walk(stateDir())) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                byte[] content = Files.readAllBytes(p);
                assertThat(indexOf(content, key)).as(p.toString()).isEqualTo(-1);
                assertThat(new String(content, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .doesNotContain(HexFormat.of().formatHex(key)).doesNotContain(Base64.getEncoder().encodeToString(key));
            }
        }
    }

    @Test
    void aRecordMovedToAnotherTenantOrPurposeDoesNotOpen() throws Exception {
        String a = newTenant();
        String b = newTenant();
        vault.createKek(a, KeyVault.DEFAULT_ROTATION_PERIOD);
        vault.createKek(b, KeyVault.DEFAULT_ROTATION_PERIOD);
        Path aDir = stateDir().resolve("tenants").resolve(a).resolve("keys");
        Path bDir = stateDir().resolve("tenants").resolve(b).resolve("keys");
        WrappedKey aData = WrappedKey.decode(Files.readAllBytes(aDir.resolve("data-v1.g1.cwk")));

        // a's record relabelled as b's: b's KEK and b's AAD; it must not authenticate.
        WrappedKey forged = new WrappedKey(aData.scheme(), aData.purpose(), 1, 1, aData.created(), aData.fingerprint(), b, aData.body());
        Path bData = bDir.resolve("data-v1.g1.cwk");
        byte[] original = Files.readAllBytes(bData);
        Files.write(bData, forged.encode());
        try {
            assertThatThrownBy(() -> vault.dataKey(b, KeyPurpose.DATA, 1)).isInstanceOf(WrappedKeyException.class);
        } finally {
            Files.write(bData, original);
        }

        // a's data key record presented as its dedupe key: the purpose is in the AAD.
        WrappedKey asDedupe = new WrappedKey(aData.scheme(), KeyPurpose.DEDUPE, 1, 1, aData.created(), aData.fingerprint(), a, aData.body());
        Path aDedupe = aDir.resolve("dedupe-v1.g1.cwk");
        byte[] dedupeOriginal = Files.readAllBytes(aDedupe);
        Files.write(aDedupe, asDedupe.encode());
        try {
            assertThatThrownBy(() -> vault.dataKey(a, KeyPurpose.DEDUPE, 1)).isInstanceOf(WrappedKeyException.class);
        } finally {
            Files.write(aDedupe, dedupeOriginal);
        }
        try (DataKey k = vault.dataKey(a, KeyPurpose.DEDUPE, 1); DataKey l = vault.dataKey(b, KeyPurpose.DATA, 1)) {
            assertThat(k.version()).isEqualTo(1);
            assertThat(l.version()).isEqualTo(1);
        }
    }

    @Test
    void aFlippedBitInARecordIsDetected() throws Exception {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        Path file = stateDir().resolve("tenants").resolve(t).resolve("keys").resolve("data-v1.g1.cwk");
        byte[] original = Files.readAllBytes(file);
        try {
            for (int bit : new int[] {8 * 30, 8 * 60, 8 * (original.length - 1)}) {
                byte[] damaged = original.clone();
                damaged[bit / 8] ^= 1;
                Files.write(file, damaged);
                assertThatThrownBy(() -> vault.dataKey(t, KeyPurpose.DATA, 1)).isInstanceOf(WrappedKeyException.class);
            }
        } finally {
            Files.write(file, original);
        }
        vault.dataKey(t, KeyPurpose.DATA, 1).close();
    }

    // ------------------------------------------------------------ rotation and roll-forward

    @Test
    void rotationKeepsEveryKeyAndRetiresTheOldGeneration() {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        int v2 = vault.rollForward(t, KeyPurpose.DATA);
        assertThat(v2).isEqualTo(2);
        String dataV1 = fingerprint(t, KeyPurpose.DATA, 1);
        String dataV2 = fingerprint(t, KeyPurpose.DATA, 2);
        String dedupeV1 = fingerprint(t, KeyPurpose.DEDUPE, 1);

        RotationReport r = vault.rotate(t);
        assertThat(r.fromGeneration()).isEqualTo(1);
        assertThat(r.toGeneration()).isEqualTo(2);
        assertThat(r.rewrapped()).extracting(RotationReport.Rewrapped::fingerprint)
                .containsExactlyInAnyOrder(dataV1, dataV2, dedupeV1);
        assertThat(fingerprint(t, KeyPurpose.DATA, 1)).isEqualTo(dataV1);
        assertThat(fingerprint(t, KeyPurpose.DATA, 2)).isEqualTo(dataV2);
        assertThat(fingerprint(t, KeyPurpose.DEDUPE, 1)).isEqualTo(dedupeV1);
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 1)).state()).isEqualTo(KekState.RETIRED);
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 2)).state()).isEqualTo(KekState.ACTIVE);

        // the token itself refuses to wrap with the retired generation
        SecretKey old = vault.pkcs11().secretKey(Pkcs11KeyVault.kekLabel(t, 1));
        assertThatThrownBy(() -> vault.pkcs11().gcmEncrypt(old, "old", new byte[12], new byte[1], new byte[32]))
                .isInstanceOf(KeyStateException.class).hasMessageContaining("disabled or retired");

        // new data keys go under the new generation; a second rotation keeps them all too
        int v3 = vault.rollForward(t, KeyPurpose.DATA);
        assertThat(statusOf(t).dataKeys()).filteredOn(d -> d.version() == v3 && d.purpose() == KeyPurpose.DATA)
                .singleElement().satisfies(d -> assertThat(d.kekGenerations()).containsExactly(2));
        RotationReport r2 = vault.rotate(t);
        assertThat(r2.toGeneration()).isEqualTo(3);
        assertThat(r2.rewrapped()).hasSize(4);
        assertThat(fingerprint(t, KeyPurpose.DATA, 1)).isEqualTo(dataV1);
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 2)).state()).isEqualTo(KekState.RETIRED);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.operation()).isEqualTo(Operation.ROTATE);
            assertThat(e.tenant()).isEqualTo(t);
            assertThat(e.generation()).isEqualTo(3);
        });
    }

    @Test
    void rollForwardMakesANewCurrentVersionAndKeepsTheOld() {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        String v1 = fingerprint(t, KeyPurpose.DEDUPE, 1);
        assertThat(vault.rollForward(t, KeyPurpose.DEDUPE)).isEqualTo(2);
        try (DataKey current = vault.dataKey(t, KeyPurpose.DEDUPE)) {
            assertThat(current.version()).isEqualTo(2);
            assertThat(KeyFingerprint.hex(current.fingerprint())).isNotEqualTo(v1);
        }
        assertThat(fingerprint(t, KeyPurpose.DEDUPE, 1)).isEqualTo(v1);
        assertThat(vault.dataKey(t, KeyPurpose.DATA).version()).isEqualTo(1);
    }

    @Test
    void statusFlagsAnOverdueRotation() {
        String t = newTenant();
        vault.createKek(t, Duration.ofDays(30));
        assertThat(statusOf(t).rotationOverdue()).isFalse();
        assertThat(statusOf(t).rotationPeriod()).isEqualTo(Duration.ofDays(30));
        clock.advance(Duration.ofDays(31));
        try {
            assertThat(statusOf(t).rotationOverdue()).isTrue();
            vault.rotate(t);
            assertThat(statusOf(t).rotationOverdue()).isFalse();
            vault.setRotationPeriod(t, Duration.ofDays(7));
            clock.advance(Duration.ofDays(8));
            assertThat(statusOf(t).rotationOverdue()).isTrue();
        } finally {
            clock.advance(Duration.ofDays(-39));
        }
    }

    @Test
    void createKekRefusesASecondKekAndUnknownTenantsAreReported() {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        assertThatThrownBy(() -> vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD))
                .isInstanceOf(KeyStateException.class).hasMessageContaining("rotate");
        assertThatThrownBy(() -> vault.dataKey("no-such-tenant", KeyPurpose.DATA)).isInstanceOf(KeyNotFoundException.class)
                .hasMessageContaining("no-such-tenant");
        assertThatThrownBy(() -> vault.rotate("no-such-tenant")).isInstanceOf(KeyNotFoundException.class);
        assertThatThrownBy(() -> vault.createKek("Bad/Tenant", KeyVault.DEFAULT_ROTATION_PERIOD))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------ ENC-6

    @Test
    void destroyingATenantsKeksShredsItAndSparesOthers() {
        String doomed = newTenant();
        String other = newTenant();
        vault.createKek(doomed, KeyVault.DEFAULT_ROTATION_PERIOD);
        vault.createKek(other, KeyVault.DEFAULT_ROTATION_PERIOD);
        vault.rotate(doomed);
        String otherFp = fingerprint(other, KeyPurpose.DATA, 1);

        assertThatThrownBy(() -> vault.destroyKek(doomed, Authorization.denyAll())).isInstanceOf(AuthorizationException.class);
        Authorization wrongTarget = approvals.approve(ApprovalActions.KEY_DESTROY, ApprovalActions.tenantTarget(other), clock.instant());
        assertThatThrownBy(() -> vault.destroyKek(doomed, wrongTarget)).isInstanceOf(AuthorizationException.class);
        vault.dataKey(doomed, KeyPurpose.DATA).close(); // still there after the refusals
        assertThat(events).anySatisfy(e -> {
            assertThat(e.operation()).isEqualTo(Operation.DESTROY_KEK);
            assertThat(e.outcome()).isEqualTo(Outcome.DENIED);
        });

        vault.destroyKek(doomed, approvals.approve(ApprovalActions.KEY_DESTROY, ApprovalActions.tenantTarget(doomed), clock.instant()));
        assertThatThrownBy(() -> vault.dataKey(doomed, KeyPurpose.DATA, 1)).isInstanceOf(KeyVaultException.class)
                .hasMessageContaining("destroyed");
        assertThat(vault.pkcs11().labels()).noneMatch(l -> l.startsWith("cairn/" + doomed + "/"));
        assertThat(statusOf(doomed).destroyed()).isTrue();
        assertThatThrownBy(() -> vault.createKek(doomed, KeyVault.DEFAULT_ROTATION_PERIOD)).isInstanceOf(KeyStateException.class);
        assertThat(fingerprint(other, KeyPurpose.DATA, 1)).isEqualTo(otherFp);
    }

    @Test
    void aDisabledKekRefusesEverythingUntilEnabled() {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        vault.rotate(t);
        assertThatThrownBy(() -> vault.disableKek(t, approvals.approve(ApprovalActions.KEY_DESTROY,
                ApprovalActions.tenantTarget(t), clock.instant()))).isInstanceOf(AuthorizationException.class);
        vault.disableKek(t, approvals.approve(ApprovalActions.KEY_DISABLE, ApprovalActions.tenantTarget(t), clock.instant()));
        assertThatThrownBy(() -> vault.dataKey(t, KeyPurpose.DATA)).isInstanceOf(KeyStateException.class);
        assertThatThrownBy(() -> vault.rollForward(t, KeyPurpose.DATA)).isInstanceOf(KeyStateException.class);
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 1)).state()).isEqualTo(KekState.DISABLED);
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 2)).state()).isEqualTo(KekState.DISABLED);

        vault.enableKek(t, approvals.approve(ApprovalActions.KEY_ENABLE, ApprovalActions.tenantTarget(t), clock.instant()));
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 1)).state()).isEqualTo(KekState.RETIRED);
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 2)).state()).isEqualTo(KekState.ACTIVE);
        vault.dataKey(t, KeyPurpose.DATA).close();
    }

    // ------------------------------------------------------------ BYOK

    @Test
    void importedCustomerKekWrapsTheDataKeys() throws Exception {
        TransportKey transport = vault.transportKey();
        assertThat(((java.security.interfaces.RSAPublicKey) transport.publicKey()).getModulus().bitLength()).isEqualTo(3072);
        assertThat(transport.oaepHash()).isIn("SHA-256", "SHA-1");
        assertThat(tokenKey(Pkcs11KeyVault.TRANSPORT_LABEL).extractable()).isFalse();
        // the PEM is what a customer would use
        String b64 = transport.pem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var parsed = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        assertThat(parsed).isEqualTo(transport.publicKey());

        byte[] customerKey = new byte[32];
        new java.security.SecureRandom().nextBytes(customerKey);
        String t = newTenant();
        RotationReport r = vault.importKek(t, Pkcs11KeyVault.oaepEncrypt(parsed, transport.oaepHash(), customerKey));
        assertThat(r.toGeneration()).isEqualTo(1);
        assertThat(r.checkValue()).isEqualTo(checkValue(customerKey));
        VaultStatus.TokenKey kek = tokenKey(Pkcs11KeyVault.kekLabel(t, 1));
        assertThat(kek.origin()).isEqualTo("imported");
        assertThat(kek.sensitive()).isTrue();
        assertThat(kek.extractable()).isFalse();

        // the record really is under the customer's key: open it in software with that key
        byte[] dataKey;
        try (DataKey k = vault.dataKey(t, KeyPurpose.DATA)) {
            dataKey = k.bytes();
        }
        WrappedKey record = WrappedKey.decode(Files.readAllBytes(
                stateDir().resolve("tenants").resolve(t).resolve("keys").resolve("data-v1.g1.cwk")));
        assertThat(openWithSoftwareKek(customerKey, record)).isEqualTo(dataKey);

        // importing a second customer key rotates onto it and keeps the data keys
        byte[] second = new byte[32];
        new java.security.SecureRandom().nextBytes(second);
        RotationReport r2 = vault.importKek(t, Pkcs11KeyVault.oaepEncrypt(parsed, transport.oaepHash(), second));
        assertThat(r2.fromGeneration()).isEqualTo(1);
        assertThat(r2.toGeneration()).isEqualTo(2);
        assertThat(r2.rewrapped()).hasSize(2);
        WrappedKey rewrapped = WrappedKey.decode(Files.readAllBytes(
                stateDir().resolve("tenants").resolve(t).resolve("keys").resolve("data-v1.g2.cwk")));
        assertThat(openWithSoftwareKek(second, rewrapped)).isEqualTo(dataKey);
        assertThat(tokenKey(Pkcs11KeyVault.kekLabel(t, 1)).state()).isEqualTo(KekState.RETIRED);
    }

    @Test
    void theTransportKeyOnlyUnwrapsAndTheAuditKeyOnlySigns() throws Exception {
        TransportKey transport = vault.transportKey();
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        byte[] wrapped = Pkcs11KeyVault.oaepEncrypt(transport.publicKey(), transport.oaepHash(), secret);
        java.security.PrivateKey priv = vault.pkcs11().privateKey(Pkcs11KeyVault.TRANSPORT_LABEL);
        java.security.Provider p = vault.pkcs11().providerForTests();
        // a PIN holder must not be able to decrypt a customer's wrapped key outside C_UnwrapKey
        assertThatThrownBy(() -> {
            Cipher c = Cipher.getInstance("RSA/ECB/NoPadding", p);
            c.init(Cipher.DECRYPT_MODE, priv);
            c.doFinal(wrapped);
        }).isInstanceOf(Exception.class);
        assertThatThrownBy(() -> {
            java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA", p);
            s.initSign(priv);
            s.update(secret);
            s.sign();
        }).isInstanceOf(Exception.class);
        // ...while unwrapping still works
        String t = newTenant();
        vault.importKek(t, wrapped, checkValue(secret));
        // the audit key signs but does not decrypt or derive
        vault.auditSigner().sign(secret);
        java.security.PrivateKey audit = vault.pkcs11().privateKey(Pkcs11KeyVault.AUDIT_LABEL);
        if (!enforcesDeriveLimit()) {
            return;
        }
        assertThatThrownBy(() -> {
            javax.crypto.KeyAgreement ka = javax.crypto.KeyAgreement.getInstance("ECDH", p);
            ka.init(audit);
            ka.doPhase(vault.auditSigner().publicKey(), true);
            ka.generateSecret();
        }).isInstanceOf(Exception.class);
    }

    @Test
    void anImportWithTheWrongCheckValueLeavesNothingBehind() throws Exception {
        TransportKey transport = vault.transportKey();
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        String t = newTenant();
        byte[] wrapped = Pkcs11KeyVault.oaepEncrypt(transport.publicKey(), transport.oaepHash(), secret);
        assertThatThrownBy(() -> vault.importKek(t, wrapped, "0011223344556677")).isInstanceOf(KeyStateException.class)
                .hasMessageContaining("Nothing was imported");
        assertThat(vault.pkcs11().labels()).noneMatch(l -> l.startsWith("cairn/" + t + "/"));
        // a 16-byte key is not an AES-256 KEK: its check value (computed by the customer for AES-256) cannot match
        byte[] short16 = Arrays.copyOf(secret, 16);
        byte[] wrappedShort = Pkcs11KeyVault.oaepEncrypt(transport.publicKey(), transport.oaepHash(), short16);
        assertThatThrownBy(() -> vault.importKek(t, wrappedShort, checkValue(Arrays.copyOf(short16, 32))))
                .isInstanceOf(KeyStateException.class);
        assertThat(vault.pkcs11().labels()).noneMatch(l -> l.startsWith("cairn/" + t + "/"));
        assertThat(vault.importKek(t, wrapped, checkValue(secret)).checkValue()).isEqualTo(checkValue(secret));
    }

    @Test
    void importRejectsGarbageWithAClearMessage() {
        String t = newTenant();
        TransportKey transport = vault.transportKey();
        assertThatThrownBy(() -> vault.importKek(t, new byte[10])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("384");
        byte[] garbage = new byte[384];
        garbage[0] = 0x01;
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] &= 0x3f; // below the modulus, so the token gets to try
        assertThatThrownBy(() -> vault.importKek(t, garbage)).isInstanceOf(KeyVaultException.class)
                .hasMessageContaining("transport key");
        assertThat(vault.pkcs11().labels()).noneMatch(l -> l.startsWith("cairn/" + t + "/"));
        assertThat(transport.opensslCommand()).contains("rsa_padding_mode:oaep");
    }

    // ------------------------------------------------------------ recovery kit

    @Test
    void anyMofNSharesRecoverTheDataKeysAndFewerDoNot() {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        vault.rollForward(t, KeyPurpose.DATA);
        List<RecoveryShare> shares = vault.createRecoveryKit(5, 3);
        assertThat(shares).hasSize(5);
        int later = vault.rollForward(t, KeyPurpose.DATA); // keys made after the kit are sealed too
        List<WrappedKey> sealed = vault.recoveryRecords(t);
        assertThat(sealed).hasSize(4);
        assertThat(statusOf(t).dataKeys()).allMatch(VaultStatus.DataKeyInfo::sealedForRecovery);

        for (int[] pick : new int[][] {{0, 1, 2}, {0, 2, 4}, {1, 3, 4}, {2, 3, 4}, {0, 1, 2, 3, 4}}) {
            List<RecoveryShare> chosen = new ArrayList<>();
            for (int i : pick) {
                chosen.add(RecoveryShare.parse(shares.get(i).toPrintable()));
            }
            List<DataKey> keys = Recovery.open(chosen, sealed);
            try {
                assertThat(keys).hasSize(4);
                for (DataKey k : keys) {
                    assertThat(KeyFingerprint.hex(k.fingerprint())).isEqualTo(fingerprint(t, k.purpose(), k.version()));
                }
                assertThat(keys).anyMatch(k -> k.version() == later);
            } finally {
                keys.forEach(DataKey::close);
            }
        }
        assertThatThrownBy(() -> Recovery.open(List.of(shares.get(0), shares.get(4)), sealed))
                .isInstanceOf(RecoveryShareException.class);
    }

    // ------------------------------------------------------------ audit key

    @Test
    void auditKeySignsInTheTokenAndVerifiesOffline() throws Exception {
        AuditSigner signer = vault.auditSigner();
        byte[] msg = "checkpoint 1 sha256=...".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = signer.sign(msg);
        String b64 = signer.publicKeyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var pub = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
        assertThat(AuditSigner.verify(pub, msg, sig)).isTrue();
        byte[] tampered = msg.clone();
        tampered[0] ^= 1;
        assertThat(AuditSigner.verify(pub, tampered, sig)).isFalse();
        assertThat(tokenKey(Pkcs11KeyVault.AUDIT_LABEL).extractable()).isFalse();
        assertThat(tokenKey(Pkcs11KeyVault.AUDIT_LABEL).sensitive()).isTrue();
        assertThat(vault.auditSigner().publicKey()).isEqualTo(signer.publicKey()); // created once
        vault.transportKey();
        // one token object per key pair and per KEK: no unlabelled twins left behind by the copy into the token
        long keks = vault.pkcs11().labels().stream().filter(l -> l.contains("/kek/")).count();
        assertThat(vault.pkcs11().countObjects(dev.cairn.hsm.pkcs11.Ck.CKO_PRIVATE_KEY)).isEqualTo(2);
        assertThat(vault.pkcs11().countObjects(dev.cairn.hsm.pkcs11.Ck.CKO_SECRET_KEY)).isEqualTo((int) keks);
    }

    // ------------------------------------------------------------ concurrency and events

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void eightThreadsUnwrapAThousandTimesEach() throws Exception {
        String t = newTenant();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        String expected = fingerprint(t, KeyPurpose.DATA, 1);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    for (int j = 0; j < 1000; j++) {
                        try (DataKey k = vault.dataKey(t, KeyPurpose.DATA, 1)) {
                            seen.add(KeyFingerprint.hex(k.fingerprint()));
                            done.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(done.get()).isEqualTo(8000);
        assertThat(seen).containsExactly(expected);
    }

    @Test
    void eventsNameKeysButNeverCarryKeyMaterial() {
        String t = newTenant();
        int before = events.size();
        vault.createKek(t, KeyVault.DEFAULT_ROTATION_PERIOD);
        byte[] key;
        try (DataKey k = vault.dataKey(t, KeyPurpose.DATA)) {
            key = k.bytes();
        }
        List<KeyEvent> mine = events.subList(before, events.size());
        assertThat(mine).extracting(KeyEvent::operation)
                .contains(Operation.CREATE_KEK, Operation.CREATE_DATA_KEY, Operation.UNWRAP_DATA_KEY);
        assertThat(mine).allSatisfy(e -> {
            assertThat(e.time()).isEqualTo(clock.instant());
            assertThat(e.toString()).doesNotContainIgnoringCase(HexFormat.of().formatHex(key))
                    .doesNotContain(Base64.getEncoder().encodeToString(key));
        });
        assertThat(mine).filteredOn(e -> e.operation() == Operation.CREATE_KEK).singleElement()
                .satisfies(e -> assertThat(e.keyLabel()).isEqualTo(Pkcs11KeyVault.kekLabel(t, 1)));
        assertThatThrownBy(() -> vault.dataKey(t, KeyPurpose.DATA, 9)).isInstanceOf(KeyNotFoundException.class);
        assertThat(events.getLast().outcome()).isEqualTo(Outcome.FAILURE);
    }

    // ------------------------------------------------------------ helpers

    protected VaultStatus.TokenKey tokenKey(String label) {
        return vault.status().keys().stream().filter(k -> k.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("status does not list " + label));
    }

    protected VaultStatus.Tenant statusOf(String tenant) {
        return vault.status().tenants().stream().filter(x -> x.tenant().equals(tenant)).findFirst()
                .orElseThrow(() -> new AssertionError("status does not list tenant " + tenant));
    }

    protected String fingerprint(String tenant, KeyPurpose purpose, int version) {
        try (DataKey k = vault.dataKey(tenant, purpose, version)) {
            return KeyFingerprint.hex(k.fingerprint());
        }
    }

    static String checkValue(byte[] key) throws Exception {
        Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return HexFormat.of().formatHex(Arrays.copyOf(c.doFinal(new byte[16]), 8));
    }

    static byte[] openWithSoftwareKek(byte[] kek, WrappedKey record) throws Exception {
        byte[] body = record.body();
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, Arrays.copyOf(body, 12)));
        c.updateAAD(record.header());
        return c.doFinal(body, 12, body.length - 12);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
