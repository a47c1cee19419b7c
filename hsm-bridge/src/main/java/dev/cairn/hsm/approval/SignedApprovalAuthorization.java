package dev.cairn.hsm.approval;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An {@link Authorization} backed by one signed approval record. {@link #authorize} applies the
 * rules of docs/formats/approval-record.md, "Verification", in this order, and stops at the first
 * that fails:
 * <ol>
 *   <li>signature: SHA256withECDSA over the canonical bytes verifies under the authority key (SunEC);</li>
 *   <li>action: the record's action equals the requested action;</li>
 *   <li>target: the record's target equals the requested target;</li>
 *   <li>time: {@code approvedAt <= now < expiresAt};</li>
 *   <li>approvers: at least {@code requiredApprovers} distinct identities other than the requester
 *       (identities compared ASCII case-insensitively; duplicates count once; the requester never counts).</li>
 * </ol>
 * It does not remember use: the same record authorizes again until it expires (see "Replay" in the format doc).
 *
 * <p>Immutable and thread safe: every call creates its own {@link Signature}.
 */
public final class SignedApprovalAuthorization implements Authorization {

    /** The verifying provider: the JDK's own, whatever provider signed. */
    private static final String VERIFY_PROVIDER = "SunEC";

    private final SignedApproval approval;
    private final PublicKey authority;
    private final int requiredApprovers;

    /**
     * @param approval          the signed record to check requests against
     * @param authority         the approval authority's EC P-256 public key
     * @param requiredApprovers how many distinct approvers other than the requester are needed (usually 2)
     * @throws IllegalArgumentException if {@code requiredApprovers < 1}, or {@code authority} is not a
     *                                  valid EC P-256 public key
     */
    public SignedApprovalAuthorization(SignedApproval approval, PublicKey authority, int requiredApprovers) {
        this.approval = Objects.requireNonNull(approval, "approval");
        Objects.requireNonNull(authority, "authority");
        if (requiredApprovers < 1) {
            throw new IllegalArgumentException("requiredApprovers must be at least 1, was " + requiredApprovers);
        }
        this.authority = p256(authority);
        this.requiredApprovers = requiredApprovers;
    }

    @Override
    public void authorize(String action, String target, Instant now) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(now, "now");
        ApprovalRecord r = approval.record();

        checkSignature(r);
        if (!r.action().equals(action)) {
            throw refuse(r, "action", "approved for " + r.action() + ", requested " + shown(action));
        }
        if (!r.target().equals(target)) {
            throw refuse(r, "target", "approved for " + r.target() + ", requested " + shown(target));
        }
        if (now.isBefore(r.approvedAt())) {
            throw refuse(r, "time", "not valid before " + ApprovalRecord.formatTime(r.approvedAt()) + " (now " + now + ")");
        }
        if (!now.isBefore(r.expiresAt())) {
            throw refuse(r, "time", "expired at " + ApprovalRecord.formatTime(r.expiresAt()) + " (now " + now + ")");
        }
        int counted = countedApprovers(r);
        if (counted < requiredApprovers) {
            throw refuse(r, "approvers", counted + " distinct approver" + (counted == 1 ? "" : "s")
                    + " other than the requester, " + requiredApprovers + " required");
        }
    }

    /** Distinct approvers, ASCII case-insensitive, without the requester. */
    private static int countedApprovers(ApprovalRecord r) {
        String requester = r.requester().toLowerCase(Locale.ROOT);
        Set<String> distinct = new HashSet<>();
        for (String a : r.approvers()) {
            String id = a.toLowerCase(Locale.ROOT);
            if (!id.equals(requester)) {
                distinct.add(id);
            }
        }
        return distinct.size();
    }

    private void checkSignature(ApprovalRecord r) {
        boolean valid;
        try {
            Signature v = Signature.getInstance(SignedApproval.ALGORITHM, VERIFY_PROVIDER);
            v.initVerify(authority);
            v.update(r.canonicalBytes());
            valid = v.verify(approval.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            // Malformed DER, a missing provider, anything at all: fail closed.
            throw refuse(r, "signature", "the signature cannot be verified (" + e.getClass().getSimpleName() + ")", e);
        }
        if (!valid) {
            throw refuse(r, "signature", "the signature does not verify under the approval authority key", null);
        }
    }

    private static AuthorizationException refuse(ApprovalRecord r, String rule, String detail) {
        return refuse(r, rule, detail, null);
    }

    private static AuthorizationException refuse(ApprovalRecord r, String rule, String detail, Throwable cause) {
        return new AuthorizationException("approval " + r.id() + " refused, " + rule + " rule: " + detail, cause);
    }

    /** Echoes a requested action or target only if it is a well-formed target string. */
    private static String shown(String s) {
        return ApprovalRecord.TARGET.matcher(s).matches() ? s : "(malformed, " + s.length() + " characters, not shown)";
    }

    /** Checks that {@code key} is an EC public key on P-256 and returns it as a SunEC key. */
    private static PublicKey p256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new IllegalArgumentException("authority must be an EC P-256 public key, got " + key.getAlgorithm());
        }
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC", VERIFY_PROVIDER);
            params.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec p256 = params.getParameterSpec(ECParameterSpec.class);
            ECParameterSpec given = ec.getParams();
            if (given == null
                    || !p256.getCurve().equals(given.getCurve())
                    || !p256.getGenerator().equals(given.getGenerator())
                    || !p256.getOrder().equals(given.getOrder())
                    || p256.getCofactor() != given.getCofactor()) {
                throw new IllegalArgumentException("authority must be on curve P-256 (secp256r1)");
            }
            ECPoint w = ec.getW();
            if (!onCurve(w, p256)) {
                throw new IllegalArgumentException("authority public point is not on P-256");
            }
            return KeyFactory.getInstance("EC", VERIFY_PROVIDER).generatePublic(new ECPublicKeySpec(w, p256));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("authority key cannot be used for verification: " + e.getMessage(), e);
        }
    }

    /** y^2 = x^3 + ax + b (mod p), coordinates in [0, p). The JDK's KeyFactory does not check this. */
    private static boolean onCurve(ECPoint w, ECParameterSpec spec) {
        if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
            return false;
        }
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger lhs = y.multiply(y).mod(p);
        BigInteger rhs = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return lhs.equals(rhs);
    }

    @Override
    public String toString() {
        return "SignedApprovalAuthorization[id=" + approval.record().id() + ", required=" + requiredApprovers + "]";
    }
}
