package dev.cairn.tape.transport.iscsi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * CHAP as iSCSI uses it (RFC 7143 section 12.1.3, RFC 1994): the response is MD5(identifier byte ||
 * secret || challenge), sent as 0x-prefixed hex. Only algorithm 5 (MD5) is offered; it is what every
 * iSCSI target implements. CHAP protects the secret, not the session: use it on trusted networks.
 */
final class Chap {
    static final String MD5 = "5";

    private Chap() {
    }

    static String response(int identifier, String secret, String challenge) {
        byte[] c = decodeBinary(challenge);
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update((byte) identifier);
            md.update(secret.getBytes(StandardCharsets.UTF_8));
            md.update(c);
            return "0x" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    /** iSCSI binary values: 0x-prefixed hex (0b base64 is not used by CHAP targets Cairn meets). */
    static byte[] decodeBinary(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.startsWith("0x") || v.length() < 4 || (v.length() & 1) != 0) {
            throw new IscsiProtocolException("the target sent a CHAP challenge Cairn cannot read (expected 0x-hex)");
        }
        try {
            return HexFormat.of().parseHex(v.substring(2));
        } catch (IllegalArgumentException e) {
            throw new IscsiProtocolException("the target sent a CHAP challenge that is not hex");
        }
    }
}
