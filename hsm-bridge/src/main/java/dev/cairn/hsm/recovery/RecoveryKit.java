package dev.cairn.hsm.recovery;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The recovery kit (ENC-9): creating the recovery key pair and its printed shares at set-up, and rebuilding
 * the key pair from shares on a new machine. Spec: {@code docs/formats/recovery-share.md} §6
 * "Rebuilding the key from shares".
 *
 * <p>The private key exists only inside {@link #create} (until split) and inside the {@link RecoveryKeyPair}
 * that {@link #recover} returns (close it when done). Stateless and thread safe.
 */
public final class RecoveryKit {
    private RecoveryKit() {}

    /**
     * What set-up keeps and hands out: the public key (stays on the appliance; every data key is sealed to
     * it), its kit id, and the shares to print. Nothing private besides the shares themselves.
     */
    public record Created(byte[] publicKey, byte[] kitId, List<RecoveryShare> shares) {
        public Created {
            publicKey = publicKey.clone();
            kitId = kitId.clone();
            shares = List.copyOf(shares);
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] kitId() {
            return kitId.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Created c && Arrays.equals(c.publicKey, publicKey) && Arrays.equals(c.kitId, kitId)
                    && c.shares.equals(shares);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(publicKey), Arrays.hashCode(kitId), shares);
        }

        @Override
        public String toString() {
            return "Created[kit=" + HexFormat.of().formatHex(kitId) + ", " + shares.size() + " shares]";
        }
    }

    /**
     * Generates a recovery key pair, splits its private key into {@code shares} shares of which any
     * {@code threshold} rebuild it, checks that they do (first and last {@code threshold} shares, after a
     * round trip through the printed form), and forgets the private key.
     *
     * @param random source of the key pair (32 bytes, read first) and of the share polynomials
     * @throws IllegalArgumentException unless 2 <= threshold <= shares <= 255
     */
    public static Created create(int shares, int threshold, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        if (threshold < 2 || shares < threshold || shares > Shamir.MAX_SHARES) {
            throw new IllegalArgumentException(
                    "need 2 <= threshold <= shares <= 255, got threshold " + threshold + " and " + shares + " shares");
        }
        byte[] privateKey = null;
        try (RecoveryKeyPair pair = RecoveryKeyPair.generate(random)) {
            byte[] publicKey = pair.publicKey();
            byte[] kitId = pair.kitId();
            privateKey = pair.privateKeyForSplitting();
            List<RecoveryShare> out = new ArrayList<>(shares);
            for (Shamir.Share share : Shamir.split(privateKey, shares, threshold, random)) {
                out.add(RecoveryShare.of(kitId, threshold, shares, share));
            }
            verify(publicKey, out, threshold);
            return new Created(publicKey, kitId, out);
        } finally {
            if (privateKey != null) {
                Arrays.fill(privateKey, (byte) 0);
            }
        }
    }

    /**
     * Verify after write: before any sheet is printed, every share must survive its printed form and the first
     * and the last {@code threshold} shares must each rebuild the public key. A failure here is a defect, not
     * a user error, and it must stop set-up rather than hand out useless paper.
     */
    private static void verify(byte[] publicKey, List<RecoveryShare> shares, int threshold) {
        for (RecoveryShare s : shares) {
            if (!RecoveryShare.parse(s.toPrintable()).equals(s)) {
                throw new IllegalStateException("recovery share " + s.x() + " does not survive its printed form");
            }
        }
        for (List<RecoveryShare> subset : List.of(shares.subList(0, threshold),
                shares.subList(shares.size() - threshold, shares.size()))) {
            try (RecoveryKeyPair rebuilt = recover(subset)) {
                if (!MessageDigest.isEqual(rebuilt.publicKey(), publicKey)) {
                    throw new IllegalStateException("the new recovery shares do not rebuild the recovery key");
                }
            }
        }
    }

    /**
     * Rebuilds the recovery key pair from at least {@code threshold} distinct shares of one kit. A share given
     * twice counts once. The caller closes the returned key pair.
     *
     * @throws RecoveryShareException if the shares disagree on kit, threshold or share count, two different
     *                                shares claim the same number, there are too few, or they do not rebuild
     *                                the kit's key (a share is from another kit or mistyped)
     */
    public static RecoveryKeyPair recover(List<RecoveryShare> shares) {
        Objects.requireNonNull(shares, "shares");
        if (shares.isEmpty()) {
            throw new RecoveryShareException("need shares to rebuild the recovery key, got none");
        }
        RecoveryShare first = Objects.requireNonNull(shares.getFirst(), "share");
        byte[] kitId = first.kitId();
        String kitHex = first.kitIdHex();
        Map<Integer, RecoveryShare> byX = new LinkedHashMap<>();
        for (RecoveryShare s : shares) {
            Objects.requireNonNull(s, "share");
            if (!Arrays.equals(s.kitId(), kitId)) {
                throw new RecoveryShareException("the shares are from different kits (" + kitHex + " and "
                        + s.kitIdHex() + "): use only shares of the kit that protected these backups");
            }
            if (s.threshold() != first.threshold() || s.shareCount() != first.shareCount()) {
                throw new RecoveryShareException("the shares of kit " + kitHex + " disagree on how many were made ("
                        + first.threshold() + " of " + first.shareCount() + " versus " + s.threshold() + " of "
                        + s.shareCount() + "): at least one share is from another kit or mistyped");
            }
            RecoveryShare earlier = byX.putIfAbsent(s.x(), s);
            if (earlier != null && !earlier.equals(s)) {
                throw new RecoveryShareException("two different shares claim to be share " + s.x() + " of kit "
                        + kitHex + ": at least one is from another kit or mistyped");
            }
        }
        int threshold = first.threshold();
        if (byX.size() < threshold) {
            String duplicates = byX.size() < shares.size() ? " (a share given twice counts once)" : "";
            throw new RecoveryShareException("need " + threshold + " shares, got " + byX.size() + duplicates
                    + ": kit " + kitHex + " needs any " + threshold + " of its " + first.shareCount() + " shares");
        }

        List<Shamir.Share> shamirShares = new ArrayList<>(byX.size());
        for (RecoveryShare s : byX.values()) {
            shamirShares.add(s.asShamirShare());
        }
        byte[] privateKey = Shamir.combine(shamirShares);
        RecoveryKeyPair pair;
        try {
            pair = RecoveryKeyPair.fromPrivate(privateKey);
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
        if (!MessageDigest.isEqual(pair.kitId(), kitId)) {
            pair.close();
            throw new RecoveryShareException("the shares do not rebuild kit " + kitHex
                    + ": at least one share is from another kit or mistyped");
        }
        return pair;
    }
}
