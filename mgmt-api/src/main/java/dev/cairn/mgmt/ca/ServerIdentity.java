package dev.cairn.mgmt.ca;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The HTTPS server's key and certificate, made by {@link ApplianceCa#issueServerIdentity} at every start. The
 * private key exists in memory only: it is never written anywhere. {@code toString} names the certificate, never
 * the key.
 *
 * @param key           the server's EC P-256 private key (in memory)
 * @param certificate   its certificate, issued by the appliance CA
 * @param caCertificate the appliance CA certificate, sent as the rest of the chain
 */
public record ServerIdentity(PrivateKey key, X509Certificate certificate, X509Certificate caCertificate) {
    /** The alias of the one key entry in {@link #keyStore}. */
    public static final String ALIAS = "server";

    public ServerIdentity {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }

    /**
     * A PKCS12 key store in memory with one key entry {@link #ALIAS} (the key, and the chain certificate then CA
     * certificate), protected by {@code password}, for a JSSE {@code KeyManagerFactory} or Helidon's key config.
     */
    public KeyStore keyStore(char[] password) {
        Objects.requireNonNull(password, "password");
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, new Certificate[] {certificate, caCertificate});
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the in-memory PKCS12 key store of the server identity", e);
        }
    }

    @Override
    public String toString() {
        return "ServerIdentity[" + certificate.getSubjectX500Principal().getName() + ", serial "
                + certificate.getSerialNumber().toString(16) + "]";
    }
}
