package dev.cairn.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.hsm.KeyEvent.Operation;
import dev.cairn.hsm.approval.ApprovalActions;
import dev.cairn.hsm.recovery.RecoveryShare;
import dev.cairn.hsm.testing.Approvals;
import dev.cairn.hsm.testing.SoftHsm;
import dev.cairn.hsm.testing.SoftHsmExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults and SoftHSM-specific checks: wrong PIN, missing token, a token removed under a running vault,
 * recovery onto a new token, crash-resume of changes, and the token's own view of the attributes
 * (pkcs11-tool). Each test makes its own tokens.
 */
class SoftHsmFaultTest {
    @RegisterExtension
    static final SoftHsmExtension HSM = new SoftHsmExtension();

    @Test
    void aWrongPinIsRefusedWithATypedErrorThatNamesTheFileButNotThePin() throws Exception {
        SoftHsm token = HSM.newToken();
        Path wrong = writePin(HSM.root().resolve("wrong.pin"), "not-the-pin-12345");
        Path conf = token.hsmConfForNewProcess(wrong);
        String rightPin = Files.readString(token.hsmConf().getParent().resolve("user.pin")).strip();
        assertThatThrownBy(() -> Pkcs11KeyVault.open(conf))
                .isInstanceOf(HsmLoginException.class)
                .hasMessageContaining("CKR_PIN_INCORRECT")
                .hasMessageContaining(wrong.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-pin-12345").doesNotContain(rightPin));
        // the right PIN still works afterwards (SoftHSM has no lockout)
        try (Pkcs11KeyVault v = Pkcs11KeyVault.open(token.hsmConfForNewProcess())) {
            assertThat(v.healthy()).isTrue();
        }
    }

    @Test
    void aPinFileOthersCanReadIsRefused() throws Exception {
        SoftHsm token = HSM.newToken();
        Path pin = HSM.root().resolve("open.pin");
        Files.copy(token.hsmConf().getParent().resolve("user.pin"), pin);
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> Pkcs11KeyVault.open(token.hsmConfForNewProcess(pin)))
                .isInstanceOf(HsmLoginException.class).hasMessageContaining("chmod 600");
    }

    @Test
    void noPinAtAllIsRefused() throws Exception {
        SoftHsm token = HSM.newToken();
        Path conf = token.hsmConfForNewProcess();
        Files.writeString(conf, Files.readString(conf).replaceFirst("(?m)^pin.file = .*$", "pin.env = CAIRN_TEST_UNSET_PIN_VARIABLE"));
        assertThatThrownBy(() -> Pkcs11KeyVault.open(conf)).isInstanceOf(HsmLoginException.class)
                .hasMessageContaining("CAIRN_TEST_UNSET_PIN_VARIABLE");
    }

    @Test
    void anAbsentTokenIsReportedWithTheTokensThatArePresent() throws Exception {
        SoftHsm token = HSM.newToken();
        Path conf = token.hsmConfForNewProcess();
        Files.writeString(conf, Files.readString(conf).replace("token.label = cairn", "token.label = elsewhere"));
        assertThatThrownBy(() -> Pkcs11KeyVault.open(conf)).isInstanceOf(HsmUnavailableException.class)
                .hasMessageContaining("'elsewhere'").hasMessageContaining("'cairn'");
    }

    @Test
    void aVaultIsOpenedOnceAndCloseLogsOut() throws Exception {
        SoftHsm token = HSM.newToken();
        Path conf = token.hsmConfForNewProcess();
        try (Pkcs11KeyVault v = Pkcs11KeyVault.open(conf)) {
            assertThatThrownBy(() -> Pkcs11KeyVault.open(conf)).isInstanceOf(KeyStateException.class)
                    .hasMessageContaining("already open");
            v.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
        }
        // after close the module is logged out, so the PIN is checked again on the same library instance
        Path wrong = writePin(HSM.root().resolve("wrong2.pin"), "still-not-the-pin");
        Path sameLibraryWrongPin = conf.resolveSibling(conf.getFileName() + ".wrong");
        Files.writeString(sameLibraryWrongPin, Files.readString(conf).replaceFirst("(?m)^pin.file = .*$", "pin.file = " + wrong));
        assertThatThrownBy(() -> Pkcs11KeyVault.open(sameLibraryWrongPin)).isInstanceOf(HsmLoginException.class);
        try (Pkcs11KeyVault v = Pkcs11KeyVault.open(conf)) {
            v.dataKey("clinic-a", KeyPurpose.DATA).close();
        }
    }

    @Test
    void aTokenRemovedUnderARunningVaultFailsClosedUntilRestart() throws Exception {
        SoftHsm token = HSM.newToken();
        List<KeyEvent> events = new CopyOnWriteArrayList<>();
        Pkcs11KeyVault vault = token.open();
        vault.addListener(events::add);
        vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
        String fingerprint;
        try (DataKey k = vault.dataKey("clinic-a", KeyPurpose.DATA)) {
            fingerprint = KeyFingerprint.hex(k.fingerprint());
        }
        Path away = token.tokenFiles().resolveSibling("tokens-pulled");
        Files.move(token.tokenFiles(), away);
        try {
            assertThatThrownBy(() -> vault.dataKey("clinic-a", KeyPurpose.DATA))
                    .isInstanceOf(HsmUnavailableException.class)
                    .hasMessageContaining("stopped answering").hasMessageContaining("restart");
            assertThat(vault.healthy()).isFalse();
            assertThat(vault.status().healthy()).isFalse();
            assertThat(vault.status().failure()).contains("CKR_");
            assertThat(events).anyMatch(e -> e.operation() == Operation.TOKEN_LOST);
            // every later call fails at once, without touching the token
            assertThatThrownBy(() -> vault.createKek("clinic-b", KeyVault.DEFAULT_ROTATION_PERIOD))
                    .isInstanceOf(HsmUnavailableException.class);
        } finally {
            Files.move(away, token.tokenFiles(), StandardCopyOption.ATOMIC_MOVE);
        }
        // the token is back, but this process cannot re-attach: still closed
        assertThatThrownBy(() -> vault.dataKey("clinic-a", KeyPurpose.DATA)).isInstanceOf(HsmUnavailableException.class);
        vault.close();
        // a restarted process works, with the same keys
        try (Pkcs11KeyVault restarted = Pkcs11KeyVault.open(token.hsmConfForNewProcess());
             DataKey k = restarted.dataKey("clinic-a", KeyPurpose.DATA)) {
            assertThat(KeyFingerprint.hex(k.fingerprint())).isEqualTo(fingerprint);
        }
    }

    @Test
    void aTokenMissingAtStartIsRefused() throws Exception {
        SoftHsm token = HSM.newToken();
        Path away = token.tokenFiles().resolveSibling("tokens-gone");
        Files.move(token.tokenFiles(), away);
        Files.createDirectories(token.tokenFiles());
        try {
            assertThatThrownBy(() -> Pkcs11KeyVault.open(token.hsmConfForNewProcess()))
                    .isInstanceOf(HsmUnavailableException.class).hasMessageContaining("not present");
        } finally {
            Files.delete(token.tokenFiles());
            Files.move(away, token.tokenFiles());
        }
    }

    @Test
    void pkcs11ToolSeesANeverExtractableKek() throws Exception {
        SoftHsm token = HSM.newToken();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
        }
        HsmConfig c = token.config();
        String pin = Files.readString(c.pinFile()).strip();
        ProcessBuilder pb = new ProcessBuilder("pkcs11-tool", "--module", c.library().toString(), "--token-label", "cairn",
                "--login", "--pin", pin, "--list-objects", "--type", "secrkey").redirectErrorStream(true);
        pb.environment().put("SOFTHSM2_CONF", c.env().get("SOFTHSM2_CONF"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        int at = out.indexOf("label:      cairn/clinic-a/kek/1");
        assertThat(at).as(out).isGreaterThan(0);
        String block = out.substring(at, Math.min(out.length(), at + 300));
        assertThat(block).contains("sensitive").contains("always sensitive").contains("never extractable").contains("local");
        assertThat(block).containsPattern("Usage:\\s+encrypt, decrypt\\s");
    }

    @Test
    void recoveryRebuildsTheKeysOnANewToken() {
        SoftHsm old = HSM.newToken();
        SoftHsm fresh = HSM.newToken();
        List<RecoveryShare> shares;
        List<WrappedKey> sealed;
        List<String> fingerprints = new ArrayList<>();
        try (Pkcs11KeyVault vault = old.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            vault.rollForward("clinic-a", KeyPurpose.DATA);
            shares = vault.createRecoveryKit(3, 2);
            vault.rotate("clinic-a");
            sealed = vault.recoveryRecords("clinic-a");
            for (WrappedKey k : sealed) {
                try (DataKey d = vault.dataKey("clinic-a", k.purpose(), k.keyVersion())) {
                    fingerprints.add(k.purpose() + "/" + k.keyVersion() + "/" + KeyFingerprint.hex(d.fingerprint()));
                }
            }
        }
        assertThat(sealed).hasSize(3);
        // the appliance burnt: only two share sheets and the sealed records (from tape) remain
        List<RecoveryShare> two = List.of(RecoveryShare.parse(shares.get(0).toPrintable()), RecoveryShare.parse(shares.get(2).toPrintable()));
        List<DataKey> keys = Recovery.open(two, sealed);
        try (Pkcs11KeyVault vault = fresh.open()) {
            vault.restoreTenant("clinic-a", keys, KeyVault.DEFAULT_ROTATION_PERIOD);
            List<String> restored = new ArrayList<>();
            for (WrappedKey k : sealed) {
                try (DataKey d = vault.dataKey("clinic-a", k.purpose(), k.keyVersion())) {
                    restored.add(k.purpose() + "/" + k.keyVersion() + "/" + KeyFingerprint.hex(d.fingerprint()));
                }
            }
            assertThat(restored).containsExactlyElementsOf(fingerprints);
            assertThat(vault.dataKey("clinic-a", KeyPurpose.DATA).version()).isEqualTo(2);
            assertThatThrownBy(() -> vault.restoreTenant("clinic-a", keys, KeyVault.DEFAULT_ROTATION_PERIOD))
                    .isInstanceOf(KeyStateException.class);
        } finally {
            keys.forEach(DataKey::close);
        }
    }

    @Test
    void recordsWithoutTheirKekAreNeverPaperedOver() throws Exception {
        SoftHsm a = HSM.newToken();
        SoftHsm b = HSM.newToken();
        try (Pkcs11KeyVault vault = a.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
        }
        Path from = a.stateDir().resolve("tenants").resolve("clinic-a");
        Path to = Files.createDirectories(b.stateDir().resolve("tenants").resolve("clinic-a").resolve("keys"));
        try (var files = Files.list(from.resolve("keys"))) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        try (Pkcs11KeyVault vault = b.open()) {
            assertThatThrownBy(() -> vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD))
                    .isInstanceOf(KeyStateException.class).hasMessageContaining("not the token");
            assertThatThrownBy(() -> vault.dataKey("clinic-a", KeyPurpose.DATA))
                    .isInstanceOf(KeyStateException.class).hasMessageContaining("wrong token");
        }
    }

    @Test
    void aRotationThatStoppedHalfwayIsFinishedByTheNextOne() {
        SoftHsm token = HSM.newToken();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            String fp;
            try (DataKey k = vault.dataKey("clinic-a", KeyPurpose.DATA)) {
                fp = KeyFingerprint.hex(k.fingerprint());
            }
            // the crash: generation 2 exists in the token, nothing was re-wrapped or retired
            vault.pkcs11().generateAes256(Pkcs11KeyVault.kekLabel("clinic-a", 2));
            RotationReport r = vault.rotate("clinic-a");
            assertThat(r.fromGeneration()).isEqualTo(1);
            assertThat(r.toGeneration()).isEqualTo(2);
            assertThat(r.rewrapped()).hasSize(2);
            VaultStatus s = vault.status();
            assertThat(s.keys()).filteredOn(k -> "clinic-a".equals(k.tenant())).extracting(VaultStatus.TokenKey::state)
                    .containsExactly(KekState.RETIRED, KekState.ACTIVE);
            try (DataKey k = vault.dataKey("clinic-a", KeyPurpose.DATA)) {
                assertThat(KeyFingerprint.hex(k.fingerprint())).isEqualTo(fp);
            }
        }
    }

    @Test
    void aTenantCreationThatStoppedAfterTheKekIsFinished() {
        SoftHsm token = HSM.newToken();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.pkcs11().generateAes256(Pkcs11KeyVault.kekLabel("clinic-a", 1));
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            assertThat(vault.status().keys()).filteredOn(k -> "clinic-a".equals(k.tenant())).hasSize(1);
            vault.dataKey("clinic-a", KeyPurpose.DEDUPE).close();
        }
    }

    @Test
    void changesMadeByAnotherProcessAreSeen() {
        SoftHsm token = HSM.newToken();
        try (Pkcs11KeyVault appliance = token.open();
             Pkcs11KeyVault cli = Pkcs11KeyVault.open(token.hsmConfForNewProcess())) {
            appliance.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            String fp;
            try (DataKey k = appliance.dataKey("clinic-a", KeyPurpose.DATA)) {
                fp = KeyFingerprint.hex(k.fingerprint());
            }
            cli.rotate("clinic-a");                       // the other process makes generation 2
            int v2 = appliance.rollForward("clinic-a", KeyPurpose.DATA); // must wrap under generation 2
            assertThat(v2).isEqualTo(2);
            assertThat(appliance.status().tenants().getFirst().dataKeys())
                    .filteredOn(d -> d.version() == 2).singleElement()
                    .satisfies(d -> assertThat(d.kekGenerations()).containsExactly(2));
            try (DataKey k = cli.dataKey("clinic-a", KeyPurpose.DATA, 1); DataKey n = cli.dataKey("clinic-a", KeyPurpose.DATA)) {
                assertThat(KeyFingerprint.hex(k.fingerprint())).isEqualTo(fp);
                assertThat(n.version()).isEqualTo(2);
            }
        }
    }

    @Test
    void aDestroyedTenantIsNotBroughtBackByTheRecoveryKit() {
        SoftHsm token = HSM.newToken();
        Approvals approvals = new Approvals();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            List<RecoveryShare> shares = vault.createRecoveryKit(2, 2);
            List<WrappedKey> sealed = vault.recoveryRecords("clinic-a");
            vault.destroyKek("clinic-a", approvals.approve(ApprovalActions.KEY_DESTROY,
                    ApprovalActions.tenantTarget("clinic-a"), java.time.Instant.now()));
            assertThat(vault.recoveryRecords("clinic-a")).isEmpty();
            List<DataKey> keys = Recovery.open(shares, sealed); // copies kept elsewhere still open...
            try {
                assertThatThrownBy(() -> vault.restoreTenant("clinic-a", keys, KeyVault.DEFAULT_ROTATION_PERIOD))
                        .isInstanceOf(KeyStateException.class).hasMessageContaining("destroyed"); // ...but not here
            } finally {
                keys.forEach(DataKey::close);
            }
            assertThatThrownBy(() -> vault.destroyKek("never-was", approvals.approve(ApprovalActions.KEY_DESTROY,
                    ApprovalActions.tenantTarget("never-was"), java.time.Instant.now())))
                    .isInstanceOf(KeyNotFoundException.class);
        }
    }

    @Test
    void aRecoveryKitIsRefusedWhileATenantIsDisabledAndLeavesNoRecords() {
        SoftHsm token = HSM.newToken();
        Approvals approvals = new Approvals();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            vault.createKek("clinic-b", KeyVault.DEFAULT_ROTATION_PERIOD);
            vault.disableKek("clinic-b", approvals.approve(ApprovalActions.KEY_DISABLE,
                    ApprovalActions.tenantTarget("clinic-b"), java.time.Instant.now()));
            assertThatThrownBy(() -> vault.createRecoveryKit(3, 2)).isInstanceOf(KeyStateException.class)
                    .hasMessageContaining("clinic-b").hasMessageContaining("disabled");
            assertThat(vault.status().recoveryKit()).isNull();
            assertThat(vault.pkcs11().labels()).isNotEmpty();
            assertThat(vault.recoveryRecords("clinic-a")).isEmpty();
            assertThat(token.stateDir().resolve("tenants/clinic-a/keys").toFile().list())
                    .noneMatch(n -> n.contains("recovery"));
        }
    }

    @Test
    void aTenantWhoseSecondDataKeyWasNeverWrittenIsFinished() throws Exception {
        SoftHsm token = HSM.newToken();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            String data;
            try (DataKey k = vault.dataKey("clinic-a", KeyPurpose.DATA)) {
                data = KeyFingerprint.hex(k.fingerprint());
            }
            Files.delete(token.stateDir().resolve("tenants/clinic-a/keys/dedupe-v1.g1.cwk")); // the crash
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            vault.dataKey("clinic-a", KeyPurpose.DEDUPE).close();
            try (DataKey k = vault.dataKey("clinic-a", KeyPurpose.DATA)) {
                assertThat(KeyFingerprint.hex(k.fingerprint())).isEqualTo(data); // the existing key is kept
            }
            assertThatThrownBy(() -> vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD))
                    .isInstanceOf(KeyStateException.class);
        }
    }

    @Test
    void theTransportKeysUsageLimitIsRestoredWhenSomeoneLiftsIt() throws Exception {
        SoftHsm token = HSM.newToken();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.transportKey();
            HsmConfig c = token.config();
            // someone with the PIN turns decryption back on...
            dev.cairn.hsm.pkcs11.Cryptoki ck = dev.cairn.hsm.pkcs11.Cryptoki.load(c.library());
            try (dev.cairn.hsm.pkcs11.Session s = ck.openSession(vault.pkcs11().slot(), true)) {
                long h = s.find(List.of(dev.cairn.hsm.pkcs11.Session.Attr.ulong(dev.cairn.hsm.pkcs11.Ck.CKA_CLASS,
                        dev.cairn.hsm.pkcs11.Ck.CKO_PRIVATE_KEY), new dev.cairn.hsm.pkcs11.Session.Attr(dev.cairn.hsm.pkcs11.Ck.CKA_ID,
                        Pkcs11KeyVault.TRANSPORT_LABEL.getBytes(java.nio.charset.StandardCharsets.UTF_8))))[0];
                s.setBooleans(h, List.of(dev.cairn.hsm.pkcs11.Session.Attr.bool(dev.cairn.hsm.pkcs11.Ck.CKA_DECRYPT, true)));
                assertThat(s.getBoolean(h, dev.cairn.hsm.pkcs11.Ck.CKA_DECRYPT)).isTrue();
                // ...and the next use of the transport key puts the limit back
                vault.transportKey();
                assertThat(s.getBoolean(h, dev.cairn.hsm.pkcs11.Ck.CKA_DECRYPT)).isFalse();
            }
        }
    }

    @Test
    void changesDoNotLeakFileDescriptors() throws Exception {
        SoftHsm token = HSM.newToken();
        try (Pkcs11KeyVault vault = token.open()) {
            vault.createKek("clinic-a", KeyVault.DEFAULT_ROTATION_PERIOD);
            long before = openFiles();
            for (int i = 0; i < 30; i++) {
                vault.rollForward("clinic-a", KeyPurpose.DATA);
            }
            assertThat(openFiles() - before).isLessThan(5);
        }
    }

    private static long openFiles() throws Exception {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static Path writePin(Path file, String pin) throws Exception {
        Files.writeString(file, pin + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
