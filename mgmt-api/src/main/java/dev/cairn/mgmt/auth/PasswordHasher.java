package dev.cairn.mgmt.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing and verification (docs/auth.md, section 2) with Bouncy Castle. Immutable and thread
 * safe (the {@link SecureRandom} is thread safe). The policy (section 1) is not applied here: check it with
 * {@link PasswordPolicy} when a password is set.
 */
public final class PasswordHasher {
    private final Argon2Params params;
    private final SecureRandom random;

    /**
     * A hasher that gives new hashes {@code params}.
     *
     * @param params the parameters new hashes get ({@link Argon2Params#DEFAULT} in production)
     * @param random the salt source
     */
    public PasswordHasher(Argon2Params params, SecureRandom random) {
        this.params = Objects.requireNonNull(params, "params");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A hasher with {@link Argon2Params#DEFAULT} and a new {@link SecureRandom}. */
    public static PasswordHasher withDefaults() {
        return new PasswordHasher(Argon2Params.DEFAULT, new SecureRandom());
    }

    /** The parameters new hashes get. */
    public Argon2Params params() {
        return params;
    }

    /** Hashes a password (NFC-normalised, UTF-8) with a fresh salt; returns the PHC string to store. */
    public String hash(CharSequence password) {
        byte[] salt = new byte[params.saltBytes()];
        random.nextBytes(salt);
        byte[] pw = encode(password);
        try {
            return new PasswordHash(params, salt, derive(pw, salt, null, null, params)).format();
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /**
     * Whether {@code password} matches the stored record, compared in constant time. A wrong password is
     * {@code false}; a record that does not parse is an exception (it needs an administrator, not a retry).
     */
    public boolean verify(CharSequence password, String storedPhc) throws MalformedCredentialException {
        Objects.requireNonNull(password, "password");
        PasswordHash stored = PasswordHash.parse(storedPhc);
        byte[] pw = encode(password);
        try {
            byte[] computed = derive(pw, stored.salt(), null, null, stored.params());
            return MessageDigest.isEqual(computed, stored.hash());
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    /** True when the record was made with other parameters than {@link #params()}: rehash after the next login. */
    public boolean needsRehash(String storedPhc) throws MalformedCredentialException {
        return !PasswordHash.parse(storedPhc).params().equals(params);
    }

    private static byte[] encode(CharSequence password) {
        return PasswordPolicy.normalize(password).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The one Argon2id computation (version 0x13) every hash goes through; {@code secret} and {@code ad} are only
     * non-null in the RFC 9106 test vector.
     */
    static byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] ad, Argon2Params p) {
        Argon2Parameters.Builder b = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(p.memoryKiB())
                .withIterations(p.iterations())
                .withParallelism(p.parallelism())
                .withSalt(salt);
        if (secret != null) {
            b.withSecret(secret);
        }
        if (ad != null) {
            b.withAdditional(ad);
        }
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(b.build());
        byte[] out = new byte[p.hashBytes()];
        g.generateBytes(password, out);
        return out;
    }
}
