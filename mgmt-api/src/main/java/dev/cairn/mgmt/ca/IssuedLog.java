package dev.cairn.mgmt.ca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The issued log {@code issued.jsonl}: one JSON object per line, an {@code issued} line per certificate and a
 * {@code revoked} line per revocation, appended and fsynced before the operation returns. Format:
 * docs/formats/appliance-ca.md, section 3.
 */
final class IssuedLog {
    static final String FILE = "issued.jsonl";
    /** Format version of every line. FROZEN: a change of meaning needs version 2. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An issued line. */
    record Issued(BigInteger serial, String profile, String subject, Instant notBefore, Instant notAfter,
                  X509Certificate certificate) {
    }

    /** A revoked line. */
    record Revoked(BigInteger serial, String reason, Instant time) {
    }

    /** What a load found, in file order. */
    record Contents(List<Issued> issued, List<Revoked> revoked) {
    }

    private IssuedLog() {
    }

    static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    static byte[] issuedLine(Issued e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", VERSION);
        m.put("type", "issued");
        m.put("serial", hex(e.serial()));
        m.put("profile", e.profile());
        m.put("subject", e.subject());
        m.put("notBefore", e.notBefore().toString());
        m.put("notAfter", e.notAfter().toString());
        try {
            m.put("cert", Base64.getEncoder().encodeToString(e.certificate().getEncoded()));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot encode certificate " + hex(e.serial()), ex);
        }
        return line(m);
    }

    static byte[] revokedLine(Revoked r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", VERSION);
        m.put("type", "revoked");
        m.put("serial", hex(r.serial()));
        m.put("reason", r.reason());
        m.put("time", r.time().toString());
        return line(m);
    }

    private static byte[] line(Map<String, Object> m) {
        try {
            return (JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the log. A last line without its newline is a write that a crash interrupted before it was
     * acknowledged: it is cut off. Anything else that does not parse, a certificate that the CA key did not
     * sign, a repeated serial or a revocation of an unknown serial fails closed.
     */
    static Contents load(Path file, PublicKey caKey) {
        if (!Files.exists(file)) {
            return new Contents(List.of(), List.of());
        }
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        int end = all.length;
        while (end > 0 && all[end - 1] != '\n') {
            end--;
        }
        if (end < all.length) {
            CaFiles.truncate(file, end);
        }
        List<Issued> issued = new ArrayList<>();
        List<Revoked> revoked = new ArrayList<>();
        Map<BigInteger, Issued> bySerial = new LinkedHashMap<>();
        String[] lines = new String(all, 0, end, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < lines.length - 1; i++) {
            int lineNo = i + 1;
            try {
                JsonNode n = JSON.readTree(lines[i]);
                if (n == null || !n.isObject()) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                JsonNode v = n.path("v");
                if (!v.isInt() || v.intValue() != VERSION) {
                    throw new IllegalArgumentException("format version " + n.path("v") + "; this Cairn reads version " + VERSION);
                }
                BigInteger serial = new BigInteger(text(n, "serial"), 16);
                switch (text(n, "type")) {
                    case "issued" -> {
                        X509Certificate cert = parseCertificate(Base64.getDecoder().decode(text(n, "cert")));
                        cert.verify(caKey);
                        if (!cert.getSerialNumber().equals(serial)) {
                            throw new IllegalArgumentException("serial does not match the certificate's");
                        }
                        if (bySerial.containsKey(serial)) {
                            throw new IllegalArgumentException("serial " + hex(serial) + " is listed twice");
                        }
                        Issued e = new Issued(serial, text(n, "profile"), text(n, "subject"),
                                Instant.parse(text(n, "notBefore")), Instant.parse(text(n, "notAfter")), cert);
                        bySerial.put(serial, e);
                        issued.add(e);
                    }
                    case "revoked" -> {
                        if (!bySerial.containsKey(serial)) {
                            throw new IllegalArgumentException("revokes serial " + hex(serial) + ", which no earlier line issued");
                        }
                        revoked.add(new Revoked(serial, text(n, "reason"), Instant.parse(text(n, "time"))));
                    }
                    default -> throw new IllegalArgumentException("unknown type " + n.path("type"));
                }
            } catch (IOException | GeneralSecurityException | IllegalArgumentException | DateTimeParseException e) {
                throw new IllegalStateException(file + " line " + lineNo + " is not valid (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "). The CA refuses to start on a damaged "
                        + "log; restore the CA directory from a backup (docs/formats/appliance-ca.md)", e);
            }
        }
        return new Contents(List.copyOf(issued), List.copyOf(revoked));
    }

    private static String text(JsonNode n, String field) {
        JsonNode f = n.get(field);
        if (f == null || !f.isTextual()) {
            throw new IllegalArgumentException("field \"" + field + "\" missing or not a string");
        }
        return f.asText();
    }

    static X509Certificate parseCertificate(byte[] der) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }
}
