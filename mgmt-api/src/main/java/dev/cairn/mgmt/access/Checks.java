package dev.cairn.mgmt.access;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Input rules shared by the access services (docs/access.md, "Inputs"). Messages never echo the value. */
final class Checks {
    /** A user name: lowercase, as in the user store. */
    static final Pattern IDENTITY = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");
    /** A reason: printable ASCII, 1 to 200 characters. */
    static final Pattern REASON = Pattern.compile("[\\x20-\\x7E]{1,200}");
    /** A lowercase version-4 UUID, the id of every request. */
    static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    private Checks() {
    }

    static boolean isIdentity(String s) {
        return s != null && IDENTITY.matcher(s).matches();
    }

    static boolean isReason(String s) {
        return s != null && REASON.matcher(s).matches();
    }

    /** A random (version 4) UUID in lowercase text form, from the injected random source. */
    static String newId(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        String h = HexFormat.of().formatHex(b);
        return h.substring(0, 8) + '-' + h.substring(8, 12) + '-' + h.substring(12, 16) + '-' + h.substring(16, 20)
                + '-' + h.substring(20);
    }
}
