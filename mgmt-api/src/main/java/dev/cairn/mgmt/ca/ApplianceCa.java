package dev.cairn.mgmt.ca;

import dev.cairn.hsm.TokenSigner;
import dev.cairn.mgmt.tls.TlsPolicy;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * The appliance CA (TLS-2; docs/formats/appliance-ca.md). Its key is the token's {@code cairn/ca/1}
 * ({@link dev.cairn.hsm.KeyVault#caSigner()}): every certificate and CRL is signed inside the HSM. It issues the
 * HTTPS server's certificate (a fresh in-memory key at every start) and client certificates for agents and API
 * clients from their PKCS#10 requests, revokes them, publishes a CRL, and gives the mTLS listener a trust manager
 * that trusts only this CA and refuses revoked certificates in the handshake.
 *
 * <p>Files in the CA directory (mode 0700, files 0600): {@code ca.pem} (the CA certificate), {@code issued.jsonl}
 * (every certificate issued and every revocation, appended and fsynced), {@code crl.pem} (the latest CRL). No
 * private key is ever written. A restart rebuilds the whole state from them.
 *
 * <p>Thread safety: one instance is shared by request threads and TLS handshakes. Issuing, revoking and CRL
 * re-issue take one lock (each does one signature in the token, then one durable append or rename); reads of the
 * revocation state ({@link #isRevoked}, the trust manager) take no lock and see a revocation as soon as its log
 * line is durable.
 */
public final class ApplianceCa {
    /** The longest leaf validity the CA issues (the CA/Browser Forum limit). */
    public static final Duration MAX_VALIDITY = Duration.ofDays(398);
    /** The CA certificate's validity. */
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** notBefore is set this far in the past, so peers whose clocks run a little slow accept a new certificate. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    /** A CRL older than this is re-issued by {@link #crl()}. */
    static final Duration CRL_REFRESH = Duration.ofDays(1);
    /** A CRL's nextUpdate is this long after its thisUpdate. */
    static final Duration CRL_LIFETIME = Duration.ofDays(2);
    static final String CA_FILE = "ca.pem";
    static final String CRL_FILE = "crl.pem";
    static final String PROFILE_SERVER = "server";
    static final String PROFILE_CLIENT = "client";

    private static final Pattern CLIENT_SUBJECT = Pattern.compile("(agent|api):[a-z0-9][a-z0-9._@-]{0,63}");
    private static final Pattern DNS_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    /** RFC 5280 CRLReason names accepted by {@link #revoke}, to their codes. certificateHold and removeFromCRL are not offered: revocation is final. */
    private static final Map<String, Integer> REASONS = reasons();

    private final Path dir;
    private final TokenSigner signer;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final X509Certificate caCertificate;
    private final JcaX509ExtensionUtils extensions;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: every certificate in log order. */
    private final Map<BigInteger, IssuedLog.Issued> issued = new LinkedHashMap<>();
    /** Written under {@link #lock}, read without it. */
    private final Map<BigInteger, IssuedLog.Revoked> revoked = new ConcurrentHashMap<>();
    /** Guarded by {@link #lock}. */
    private X509CRL crl;
    /** Guarded by {@link #lock}: the CRL lacks a revocation (or there is none yet). */
    private boolean crlStale;

    private ApplianceCa(Path dir, TokenSigner signer, Clock clock, X509Certificate caCertificate) {
        this.dir = dir;
        this.signer = signer;
        this.clock = clock;
        this.caCertificate = caCertificate;
        try {
            this.extensions = new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is unavailable", e);
        }
    }

    /**
     * Opens the CA in {@code dir} (created with mode 0700 if absent). The first call creates the self-signed CA
     * certificate for the signer's key and writes {@code ca.pem}; later calls check that {@code ca.pem} holds
     * the signer's public key and a valid self-signature, and fail closed if not.
     *
     * @param signer the token's CA key, {@code KeyVault.caSigner()}
     * @throws IllegalStateException when the directory's files do not belong to this key or are damaged (the
     *                               message names the file and what to do)
     */
    public static ApplianceCa open(Path dir, TokenSigner signer, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(clock, "clock");
        CaFiles.ensureDirectory(dir);
        Path caFile = dir.resolve(CA_FILE);
        Path logFile = dir.resolve(IssuedLog.FILE);
        X509Certificate caCert;
        if (Files.exists(caFile)) {
            caCert = loadCaCertificate(caFile, signer);
        } else {
            if (Files.exists(logFile) && size(logFile) > 0) {
                throw new IllegalStateException(caFile + " is missing but " + logFile + " lists issued certificates: "
                        + "restore ca.pem from a backup of the CA directory (it is public; any copy given to agents will do)");
            }
            caCert = createCaCertificate(signer, clock);
            CaFiles.writeAtomically(caFile, pem(caCert).getBytes(StandardCharsets.US_ASCII));
        }
        ApplianceCa ca = new ApplianceCa(dir, signer, clock, caCert);
        ca.load();
        return ca;
    }

    /** The CA certificate (the trust anchor agents pin). */
    public X509Certificate certificate() {
        return caCertificate;
    }

    /**
     * A fresh EC P-256 key pair, generated in memory and never written, and a certificate for it: subject
     * {@code CN=<first DNS name, else first IP>}, subjectAltName exactly the given DNS names then IP addresses, EKU
     * serverAuth, keyUsage digitalSignature. The certificate is recorded in the issued log.
     *
     * @param validity 10 minutes to {@link #MAX_VALIDITY}
     * @throws IllegalArgumentException when there is no name, a DNS name is not a host name, or the validity is out of range
     */
    public ServerIdentity issueServerIdentity(List<String> dnsNames, List<InetAddress> ips, Duration validity) {
        Objects.requireNonNull(dnsNames, "dnsNames");
        Objects.requireNonNull(ips, "ips");
        checkValidity(validity);
        if (dnsNames.isEmpty() && ips.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name or IP address");
        }
        List<GeneralName> sans = new ArrayList<>();
        for (String name : dnsNames) {
            checkDnsName(name);
            sans.add(new GeneralName(GeneralName.dNSName, name));
        }
        for (InetAddress ip : ips) {
            sans.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress()));
        }
        String cn = dnsNames.isEmpty() ? ips.getFirst().getHostAddress() : dnsNames.getFirst();
        KeyPair kp;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            kp = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key pair", e);
        }
        X509Certificate cert = issue(PROFILE_SERVER, cn, kp.getPublic(), validity, KeyPurposeId.id_kp_serverAuth,
                new GeneralNames(sans.toArray(GeneralName[]::new)));
        return new ServerIdentity(kp.getPrivate(), cert, caCertificate);
    }

    /**
     * A client certificate for a PKCS#10 request: subject {@code CN=<subject>} (the request's own subject is
     * ignored), the request's public key, EKU clientAuth, keyUsage digitalSignature. The request's signature must
     * verify with its key; the key must be EC P-256/P-384 or RSA of at least 3072 bits.
     *
     * @param subject  {@code agent:<name>} or {@code api:<name>}, name {@code [a-z0-9][a-z0-9._@-]{0,63}}
     * @param csrPem   the request as PEM ({@code -----BEGIN CERTIFICATE REQUEST-----})
     * @param validity 10 minutes to {@link #MAX_VALIDITY}
     * @throws IllegalArgumentException naming what is wrong with the subject, the request or the validity
     */
    public IssuedCertificate issueClientCertificate(String subject, String csrPem, Duration validity) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(csrPem, "csrPem");
        if (!CLIENT_SUBJECT.matcher(subject).matches()) {
            throw new IllegalArgumentException("subject must be agent:<name> or api:<name>, the name 1 to 64 characters "
                    + "of a-z 0-9 . _ @ - starting with a letter or digit");
        }
        checkValidity(validity);
        PKCS10CertificationRequest csr = parseCsr(csrPem);
        PublicKey key = checkCsr(csr);
        X509Certificate cert = issue(PROFILE_CLIENT, subject, key, validity, KeyPurposeId.id_kp_clientAuth, null);
        return view(cert.getSerialNumber());
    }

    /**
     * Revokes a certificate this CA issued: the revocation is appended to the issued log (fsynced), takes effect
     * for new handshakes at once, and a new CRL is issued. Revoking a revoked certificate again changes nothing.
     *
     * @param reason an RFC 5280 CRLReason name: unspecified, keyCompromise, cACompromise, affiliationChanged,
     *               superseded, cessationOfOperation, privilegeWithdrawn or aACompromise
     * @throws IllegalArgumentException for an unknown serial or reason
     * @throws RuntimeException          from the token when the new CRL cannot be signed: the revocation stands
     *                                   all the same (it is in the log and refused in handshakes), and the next
     *                                   {@link #crl()} issues the CRL
     */
    public void revoke(BigInteger serial, String reason) {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(reason, "reason");
        if (!REASONS.containsKey(reason)) {
            throw new IllegalArgumentException("unknown revocation reason \"" + reason + "\"; use one of " + REASONS.keySet());
        }
        synchronized (lock) {
            if (!issued.containsKey(serial)) {
                throw new IllegalArgumentException("this CA issued no certificate with serial " + serial.toString(16));
            }
            if (revoked.containsKey(serial)) {
                return;
            }
            IssuedLog.Revoked r = new IssuedLog.Revoked(serial, reason, now());
            CaFiles.appendDurably(dir.resolve(IssuedLog.FILE), IssuedLog.revokedLine(r));
            revoked.put(serial, r);
            crlStale = true;
            issueCrl();
        }
    }

    /** The current CRL, signed by the CA; re-issued after a revocation and when it is older than a day. */
    public X509CRL crl() {
        synchronized (lock) {
            if (crl == null || crlStale
                    || !crl.getThisUpdate().toInstant().plus(CRL_REFRESH).isAfter(clock.instant())) {
                issueCrl();
            }
            return crl;
        }
    }

    /** Whether {@code serial} was revoked. Takes no lock: safe in a TLS handshake. */
    public boolean isRevoked(BigInteger serial) {
        return revoked.containsKey(serial);
    }

    /** Every certificate issued, oldest first, with its current revocation state. */
    public List<IssuedCertificate> issued() {
        synchronized (lock) {
            return issued.keySet().stream().map(this::view).toList();
        }
    }

    /**
     * The trust manager for the mTLS listener: PKIX with this CA as the only anchor, then the client certificate
     * must carry EKU clientAuth and must not be revoked. The revocation check reads the live state, so a
     * {@link #revoke} refuses the next handshake without a restart. Server-side checks are refused.
     */
    public X509TrustManager clientTrustManager() {
        for (TrustManager tm : TlsPolicy.trustOnly(caCertificate)) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return new ClientTrustManager(this, x);
            }
        }
        throw new IllegalStateException("the JDK's PKIX trust manager factory gave no X509ExtendedTrustManager");
    }

    // ---------------------------------------------------------------- issuing

    private X509Certificate issue(String profile, String cn, PublicKey key, Duration validity, KeyPurposeId purpose,
                                  GeneralNames sans) {
        synchronized (lock) {
            BigInteger serial = newSerial();
            Instant notBefore = now().minus(BACKDATE);
            Instant notAfter = notBefore.plus(validity);
            try {
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCertificate, serial, Date.from(notBefore),
                        Date.from(notAfter), name(cn, false), key);
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
                if (sans != null) {
                    b.addExtension(Extension.subjectAlternativeName, false, sans);
                }
                b.addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(key));
                b.addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(caCertificate.getPublicKey()));
                X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(new TokenContentSigner(signer)));
                cert.verify(caCertificate.getPublicKey()); // the token signed what we meant
                IssuedLog.Issued e = new IssuedLog.Issued(serial, profile, cn, notBefore, notAfter, cert);
                CaFiles.appendDurably(dir.resolve(IssuedLog.FILE), IssuedLog.issuedLine(e));
                issued.put(serial, e);
                return cert;
            } catch (GeneralSecurityException | CertIOException e) {
                throw new IllegalStateException("cannot issue a " + profile + " certificate", e);
            }
        }
    }

    /** 16 random bytes, made positive, never one this CA used before. Caller holds the lock. */
    private BigInteger newSerial() {
        while (true) {
            byte[] b = new byte[16];
            random.nextBytes(b);
            b[0] &= 0x7f;
            BigInteger s = new BigInteger(1, b);
            if (s.signum() > 0 && !issued.containsKey(s) && !s.equals(caCertificate.getSerialNumber())) {
                return s;
            }
        }
    }

    private IssuedCertificate view(BigInteger serial) {
        IssuedLog.Issued e = issued.get(serial);
        return new IssuedCertificate(e.serial(), e.subject(), e.notBefore(), e.notAfter(), e.certificate(),
                revoked.containsKey(serial), pem(e.certificate()));
    }

    /** Caller holds the lock. */
    private void issueCrl() {
        Instant thisUpdate = now();
        BigInteger number = crl == null ? BigInteger.ONE : crlNumber(crl).add(BigInteger.ONE);
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(
                    X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            b.setNextUpdate(Date.from(thisUpdate.plus(CRL_LIFETIME)));
            for (IssuedLog.Revoked r : revoked.values().stream()
                    .sorted((x, y) -> x.serial().compareTo(y.serial())).toList()) {
                b.addCRLEntry(r.serial(), Date.from(r.time()), REASONS.get(r.reason()));
            }
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            b.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(caCertificate.getPublicKey()));
            X509CRL next = new JcaX509CRLConverter().getCRL(b.build(new TokenContentSigner(signer)));
            next.verify(caCertificate.getPublicKey());
            CaFiles.writeAtomically(dir.resolve(CRL_FILE), pem(next).getBytes(StandardCharsets.US_ASCII));
            crl = next;
            crlStale = false;
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue the CRL", e);
        }
    }

    // ---------------------------------------------------------------- loading

    /** Rebuilds the state from issued.jsonl and crl.pem. */
    private void load() {
        IssuedLog.Contents c = IssuedLog.load(dir.resolve(IssuedLog.FILE), caCertificate.getPublicKey());
        synchronized (lock) {
            for (IssuedLog.Issued e : c.issued()) {
                issued.put(e.serial(), e);
            }
            for (IssuedLog.Revoked r : c.revoked()) {
                revoked.putIfAbsent(r.serial(), r);
            }
            Path crlFile = dir.resolve(CRL_FILE);
            if (Files.exists(crlFile)) {
                X509CRL stored = loadCrl(crlFile);
                Set<BigInteger> listed = new java.util.HashSet<>();
                if (stored.getRevokedCertificates() != null) {
                    for (X509CRLEntry entry : stored.getRevokedCertificates()) {
                        listed.add(entry.getSerialNumber());
                        // fail closed: a serial the CRL lists stays revoked even if its log line is gone
                        String reason = entry.getRevocationReason() == null ? "unspecified" : reasonName(entry);
                        revoked.putIfAbsent(entry.getSerialNumber(), new IssuedLog.Revoked(entry.getSerialNumber(),
                                reason, entry.getRevocationDate().toInstant()));
                    }
                }
                crl = stored;
                crlStale = !listed.containsAll(revoked.keySet());
            } else {
                crlStale = true;
            }
        }
    }

    private X509CRL loadCrl(Path file) {
        try {
            X509CRL c = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(Files.newInputStream(file));
            c.verify(caCertificate.getPublicKey());
            return c;
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException(file + " is not a CRL signed by this CA (" + e.getClass().getSimpleName()
                    + "). Delete it to have a new one issued from issued.jsonl, after checking why it changed", e);
        }
    }

    private static X509Certificate loadCaCertificate(Path file, TokenSigner signer) {
        X509Certificate cert;
        try (var in = Files.newInputStream(file)) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException(file + " is not a readable PEM certificate (" + e.getClass().getSimpleName()
                    + "): restore ca.pem from a backup of the CA directory", e);
        }
        if (!Arrays.equals(cert.getPublicKey().getEncoded(), signer.publicKey().getEncoded())) {
            throw new IllegalStateException(file + " is the certificate of another key than the token's CA key "
                    + signer.label() + ": this CA directory belongs to another HSM token. Restore the ca.pem made with "
                    + "this token, or use the token this directory was made with");
        }
        try {
            cert.verify(signer.publicKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(file + " carries the CA key but its self-signature does not verify: it was "
                    + "altered. Restore ca.pem from a backup of the CA directory", e);
        }
        if (cert.getBasicConstraints() < 0) {
            throw new IllegalStateException(file + " is not a CA certificate (no basicConstraints CA:true): restore ca.pem");
        }
        return cert;
    }

    private static X509Certificate createCaCertificate(TokenSigner signer, Clock clock) {
        PublicKey key = signer.publicKey();
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
        try {
            X500Name name = name("Cairn appliance CA " + caId(key), true);
            byte[] b = new byte[16];
            new SecureRandom().nextBytes(b);
            b[0] &= 0x7f;
            b[0] |= 0x01; // never zero
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, b),
                    Date.from(notBefore), Date.from(notBefore.plus(CA_VALIDITY)), name, key);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(builder.build(new TokenContentSigner(signer)));
            cert.verify(key);
            return cert;
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create the CA certificate with " + signer.label(), e);
        }
    }

    /** 8 hex digits naming the CA: the start of SHA-256 over the key's SubjectPublicKeyInfo. */
    static String caId(PublicKey key) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- checks

    private static PKCS10CertificationRequest parseCsr(String csrPem) {
        Object o;
        try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
            o = p.readObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("csrPem is not a readable PEM certificate request "
                    + "(-----BEGIN CERTIFICATE REQUEST-----)");
        }
        if (!(o instanceof PKCS10CertificationRequest csr)) {
            throw new IllegalArgumentException("csrPem is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----)");
        }
        return csr;
    }

    /** Checks the request's key and self-signature; returns its key. */
    private static PublicKey checkCsr(PKCS10CertificationRequest csr) {
        SubjectPublicKeyInfo spki = csr.getSubjectPublicKeyInfo();
        AlgorithmIdentifier alg = spki.getAlgorithm();
        PublicKey key;
        try {
            key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(spki);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the CSR's public key cannot be read");
        }
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
            ASN1ObjectIdentifier curve = alg.getParameters() instanceof ASN1ObjectIdentifier c ? c : null;
            if (!SECObjectIdentifiers.secp256r1.equals(curve) && !SECObjectIdentifiers.secp384r1.equals(curve)) {
                throw new IllegalArgumentException("the CSR's EC key must be on P-256 or P-384 (named curve), was "
                        + (curve == null ? "explicit parameters" : curve.getId()));
            }
        } else if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 3072) {
                throw new IllegalArgumentException("the CSR's RSA key has " + rsa.getModulus().bitLength()
                        + " bits; at least 3072 are required (or use EC P-256)");
            }
        } else {
            throw new IllegalArgumentException("the CSR's key must be EC P-256/P-384 or RSA of at least 3072 bits, was "
                    + key.getAlgorithm());
        }
        boolean valid;
        try {
            valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(spki));
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new IllegalArgumentException("the CSR's signature does not verify with its own public key: "
                    + "it was altered or not signed with the matching private key");
        }
        return key;
    }

    private static void checkValidity(Duration validity) {
        Objects.requireNonNull(validity, "validity");
        if (validity.compareTo(Duration.ofMinutes(10)) < 0 || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("validity must be between 10 minutes and 398 days, was " + validity);
        }
    }

    private static void checkDnsName(String name) {
        Objects.requireNonNull(name, "DNS name");
        boolean ok = !name.isEmpty() && name.length() <= 253 && !name.endsWith(".")
                && Arrays.stream(name.split("\\.", -1)).allMatch(l -> DNS_LABEL.matcher(l).matches());
        if (!ok) {
            throw new IllegalArgumentException("\"" + name + "\" is not a DNS host name (letters, digits and hyphens in "
                    + "dot-separated labels of 1 to 63 characters; no wildcards, no trailing dot)");
        }
    }

    // ---------------------------------------------------------------- helpers

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * {@code O=Cairn, CN=<cn>} (or just {@code CN=<cn>}), encoded in that order, so RFC 4514 text shows
     * {@code CN=...,O=Cairn}. The CN is a UTF8String set directly: a client subject may reach 70 characters, above
     * RFC 5280's ub-common-name of 64, which Bouncy Castle's string conversion refuses.
     */
    private static X500Name name(String cn, boolean withOrganisation) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (withOrganisation) {
            b.addRDN(BCStyle.O, new DERUTF8String("Cairn"));
        }
        b.addRDN(BCStyle.CN, new DERUTF8String(cn));
        return b.build();
    }

    private static BigInteger crlNumber(X509CRL c) {
        byte[] ext = c.getExtensionValue(Extension.cRLNumber.getId());
        if (ext == null) {
            return BigInteger.ZERO;
        }
        try {
            return CRLNumber.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getCRLNumber();
        } catch (RuntimeException e) {
            return BigInteger.ZERO;
        }
    }

    private static String reasonName(X509CRLEntry entry) {
        int code = entry.getRevocationReason().ordinal();
        return REASONS.entrySet().stream().filter(e -> e.getValue() == code).map(Map.Entry::getKey)
                .findFirst().orElse("unspecified");
    }

    static String pem(Object certOrCrl) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(certOrCrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Map<String, Integer> reasons() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("unspecified", CRLReason.unspecified);
        m.put("keyCompromise", CRLReason.keyCompromise);
        m.put("cACompromise", CRLReason.cACompromise);
        m.put("affiliationChanged", CRLReason.affiliationChanged);
        m.put("superseded", CRLReason.superseded);
        m.put("cessationOfOperation", CRLReason.cessationOfOperation);
        m.put("privilegeWithdrawn", CRLReason.privilegeWithdrawn);
        m.put("aACompromise", CRLReason.aACompromise);
        return Collections.unmodifiableMap(m);
    }
}
