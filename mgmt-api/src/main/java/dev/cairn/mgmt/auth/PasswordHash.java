package dev.cairn.mgmt.auth;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Argon2id PHC string (docs/auth.md, section 2): {@code $argon2id$v=19$m=M,t=T,p=P$salt$hash}, salt and
 * hash in standard base64 without padding. {@link #toString()} shows the parameters only, never the salt or hash.
 *
 * @param params the cost parameters, with the salt and hash lengths of this record
 * @param salt   the salt (not copied; do not modify)
 * @param hash   the Argon2id tag (not copied; do not modify)
 */
public record PasswordHash(Argon2Params params, byte[] salt, byte[] hash) {
    /** The only Argon2 version accepted: 0x13. */
    public static final int VERSION = 19;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=(\\d{1,3})\\$m=(\\d{1,7}),t=(\\d{1,2}),p=(\\d{1,2})\\$([A-Za-z0-9+/]{1,100})\\$([A-Za-z0-9+/]{1,100})");

    /** Checks that the lengths agree with the parameters. */
    public PasswordHash {
        if (salt.length != params.saltBytes() || hash.length != params.hashBytes()) {
            throw new IllegalArgumentException("salt or hash length does not match the parameters");
        }
    }

    /** Parses a stored record; anything but the exact format of section 2 is refused. */
    public static PasswordHash parse(String phc) throws MalformedCredentialException {
        if (phc == null) {
            throw new MalformedCredentialException("record is missing");
        }
        Matcher m = PHC.matcher(phc);
        if (!m.matches()) {
            throw new MalformedCredentialException("not an argon2id PHC string");
        }
        if (Integer.parseInt(m.group(1)) != VERSION) {
            throw new MalformedCredentialException("unsupported argon2 version");
        }
        byte[] salt = decode(m.group(5), "salt");
        byte[] hash = decode(m.group(6), "hash");
        Argon2Params params;
        try {
            params = new Argon2Params(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), salt.length, hash.length);
        } catch (IllegalArgumentException e) {
            throw new MalformedCredentialException(e.getMessage());
        }
        return new PasswordHash(params, salt, hash);
    }

    private static byte[] decode(String b64, String field) throws MalformedCredentialException {
        // PHC base64 has no padding; a length of 1 mod 4 cannot occur.
        if (b64.length() % 4 == 1) {
            throw new MalformedCredentialException(field + " is not unpadded base64");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(b64);
            // reject non-canonical encodings (non-zero trailing bits) so one record has one spelling
            if (!Base64.getEncoder().withoutPadding().encodeToString(bytes).equals(b64)) {
                throw new MalformedCredentialException(field + " is not canonical base64");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new MalformedCredentialException(field + " is not base64");
        }
    }

    /** The PHC string, the stored form. */
    public String format() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=" + VERSION + "$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p="
                + params.parallelism() + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public String toString() {
        return "PasswordHash[argon2id, v=" + VERSION + ", m=" + params.memoryKiB() + ", t=" + params.iterations()
                + ", p=" + params.parallelism() + ", salt=<redacted>, hash=<redacted>]";
    }
}
