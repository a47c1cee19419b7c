package dev.cairn.mgmt.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throwaway certificates made with Bouncy Castle for the TLS tests (docs/tls.md, section 8): a CA (EC P-256,
 * self-signed) that issues EC P-256 or RSA 2048 leaf certificates, by default with SANs {@code localhost} and
 * {@code 127.0.0.1}.
 */
final class TestPki {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final GeneralNames LOCAL = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")});

    /** A certificate with its private key and chain (leaf first). */
    record Identity(KeyPair keys, X509Certificate[] chain) {
        X509Certificate certificate() {
            return chain[0];
        }

        /** Key managers presenting this identity. */
        KeyManager[] keyManagers() {
            try {
                char[] pw = "test".toCharArray();
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("id", keys.getPrivate(), pw, chain);
                KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
                factory.init(store, pw);
                return factory.getKeyManagers();
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Identity ca;

    private TestPki(Identity ca) {
        this.ca = ca;
    }

    /** A new CA named {@code CN=name}. */
    static TestPki create(String name) {
        KeyPair keys = ec();
        X500Name subject = new X500Name("CN=" + name);
        X509Certificate cert = sign(subject, subject, keys, keys, null);
        return new TestPki(new Identity(keys, new X509Certificate[] {cert}));
    }

    X509Certificate caCertificate() {
        return ca.certificate();
    }

    /** An EC P-256 leaf for {@code CN=name}, valid for server and client authentication. */
    Identity issueEc(String name) {
        return issue(name, ec(), LOCAL);
    }

    /** An EC P-256 leaf whose only SAN is the DNS name {@code host} (not 127.0.0.1). */
    Identity issueEcFor(String name, String host) {
        return issue(name, ec(), new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
    }

    /** An RSA 2048 leaf for {@code CN=name}. */
    Identity issueRsa(String name) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return issue(name, g.generateKeyPair(), LOCAL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Identity issue(String name, KeyPair keys, GeneralNames sans) {
        X509Certificate cert = sign(new X500Name("CN=" + name), new X500Name(ca.certificate()
                .getSubjectX500Principal().getName()), keys, ca.keys(), sans);
        return new Identity(keys, new X509Certificate[] {cert, ca.certificate()});
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, KeyPair issuerKeys,
            GeneralNames sans) {
        boolean isCa = sans == null;
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(
                    BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                    subject, subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (isCa) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                int usage = KeyUsage.digitalSignature
                        | ("RSA".equals(subjectKeys.getPublic().getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
                b.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                b.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            String alg = "EC".equals(issuerKeys.getPublic().getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder(alg).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
