package dev.cairn.mgmt.ca;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The mTLS listener's trust manager: PKIX with the appliance CA as the only anchor (the delegate), then the
 * CA's live revocation state and the clientAuth key purpose. Refuses every use as a server-side check.
 */
final class ClientTrustManager extends X509ExtendedTrustManager {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final ApplianceCa ca;
    private final X509ExtendedTrustManager pkix;

    ClientTrustManager(ApplianceCa ca, X509ExtendedTrustManager pkix) {
        this.ca = ca;
        this.pkix = pkix;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
        checkLeaf(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
        checkLeaf(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
        checkLeaf(chain);
    }

    private void checkLeaf(X509Certificate[] chain) throws CertificateException {
        X509Certificate leaf = chain[0];
        if (ca.isRevoked(leaf.getSerialNumber())) {
            throw new CertificateException("client certificate serial " + leaf.getSerialNumber().toString(16)
                    + " was revoked by the appliance CA");
        }
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException("client certificate has an unreadable extended key usage", e);
        }
        if (eku == null || !eku.contains(CLIENT_AUTH)) {
            throw new CertificateException("client certificate serial " + leaf.getSerialNumber().toString(16)
                    + " is not for client authentication (no clientAuth extended key usage)");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw serverRefused();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw serverRefused();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw serverRefused();
    }

    private static CertificateException serverRefused() {
        return new CertificateException("the appliance CA's client trust manager checks client certificates only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {ca.certificate()};
    }
}
