package dev.cairn.mgmt.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys, CSRs and PKIX validation for the CA tests: real JCA and Bouncy Castle, nothing mocked. */
final class CaFixture {
    private CaFixture() {
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM CSR for {@code publicKey}, signed with {@code signingKey} (normally the matching private key). */
    static String csr(PublicKey publicKey, PrivateKey signingKey) {
        String alg = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=whatever-the-agent-says"),
                    publicKey).build(new JcaContentSignerBuilder(alg).build(signingKey));
            StringWriter w = new StringWriter();
            try (JcaPEMWriter p = new JcaPEMWriter(w)) {
                p.writeObject(req);
            }
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String csr(KeyPair kp) {
        return csr(kp.getPublic(), kp.getPrivate());
    }

    /** PKIX path validation of {@code leaf} against {@code anchor} alone, at {@code when}, without revocation checking. */
    static PKIXCertPathValidatorResult validate(X509Certificate leaf, X509Certificate anchor, Instant when)
            throws GeneralSecurityException {
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        p.setRevocationEnabled(false);
        p.setDate(Date.from(when));
        var path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
        return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(path, p);
    }

    static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
