package dev.cairn.mgmt.ca;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A certificate the appliance CA issued, as the issued log records it (docs/formats/appliance-ca.md).
 * Certificates are public: nothing here is secret.
 *
 * @param serial      the serial number (positive, at most 16 bytes)
 * @param subject     the subject's CN: {@code agent:<name>} / {@code api:<name>} for client certificates, the
 *                    first DNS name or IP address for server certificates
 * @param notBefore   start of validity
 * @param notAfter    end of validity
 * @param certificate the certificate
 * @param revoked     whether it was revoked when this value was made
 * @param pem         the certificate as PEM ({@code -----BEGIN CERTIFICATE-----})
 */
public record IssuedCertificate(BigInteger serial, String subject, Instant notBefore, Instant notAfter,
                                X509Certificate certificate, boolean revoked, String pem) {
    public IssuedCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(pem, "pem");
    }

    @Override
    public String toString() {
        return "IssuedCertificate[serial " + serial.toString(16) + ", " + subject + ", " + notBefore + " .. " + notAfter
                + (revoked ? ", revoked" : "") + "]";
    }
}
