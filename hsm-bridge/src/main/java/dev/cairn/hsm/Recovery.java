package dev.cairn.hsm;

import dev.cairn.hsm.recovery.RecoveryKeyPair;
import dev.cairn.hsm.recovery.RecoveryKit;
import dev.cairn.hsm.recovery.RecoverySeal;
import dev.cairn.hsm.recovery.RecoveryShare;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Recovery on a new machine (ENC-9, docs/keys.md "Recovery kit"): rebuild the recovery key from M
 * shares, open the sealed records that travelled with the backups, and hand the data keys to
 * {@link KeyVault#restoreTenant} on the new token. The rebuilt private key exists only inside
 * {@link #open} and is zeroed before it returns.
 */
public final class Recovery {
    private Recovery() {
    }

    /**
     * Opens every record in {@code sealed} with the key rebuilt from {@code shares}. The caller closes the
     * returned keys.
     *
     * @throws dev.cairn.hsm.recovery.RecoveryShareException when the shares do not rebuild a key
     * @throws WrappedKeyException when a record belongs to another kit or does not authenticate
     */
    public static List<DataKey> open(List<RecoveryShare> shares, List<WrappedKey> sealed) {
        List<DataKey> out = new ArrayList<>();
        try (RecoveryKeyPair key = RecoveryKit.recover(shares)) {
            long kitId = ByteBuffer.wrap(key.kitId()).getLong();
            for (WrappedKey record : sealed) {
                if (record.scheme() != WrappedKey.Scheme.RECOVERY_SEAL) {
                    throw new WrappedKeyException(record + " is not sealed to a recovery kit");
                }
                if (record.wrappingKeyId() != kitId) {
                    throw new WrappedKeyException(record + " was sealed to kit "
                            + HexFormat.of().toHexDigits(record.wrappingKeyId()) + ", not to kit "
                            + HexFormat.of().formatHex(key.kitId()) + " that these shares rebuild");
                }
                byte[] bytes = RecoverySeal.open(key, record.header(), record.body());
                if (!KeyFingerprint.same(KeyFingerprint.of(bytes), record.fingerprint())) {
                    java.util.Arrays.fill(bytes, (byte) 0);
                    throw new WrappedKeyException(record + " opened to a key with another fingerprint");
                }
                out.add(new DataKey(record.tenant(), record.purpose(), record.keyVersion(), bytes));
            }
        } catch (RuntimeException e) {
            out.forEach(DataKey::close);
            throw e;
        }
        return out;
    }
}
