package dev.cairn.hsm;

import java.security.PublicKey;
import java.util.Base64;

/**
 * The BYOK transport key: an RSA-3072 key pair whose private key lives in the token. A customer wraps
 * an AES-256 key to {@link #publicKey()} with RSA-OAEP using {@link #oaepHash()} for both the OAEP
 * hash and MGF1, and imports the result with {@code cairn keys import-kek}.
 *
 * @param label     the token label of the key pair
 * @param publicKey the public key
 * @param oaepHash  "SHA-256" when the token unwraps OAEP-SHA-256, else "SHA-1" (SoftHSM 2.6 accepts only SHA-1)
 */
public record TransportKey(String label, PublicKey publicKey, String oaepHash) {

    /** The public key as PEM (SubjectPublicKeyInfo). */
    public String pem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(publicKey.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    /** The openssl command a customer runs to wrap a 32-byte key file for import. */
    public String opensslCommand() {
        String md = oaepHash.equals("SHA-256") ? "sha256" : "sha1";
        return "openssl pkeyutl -encrypt -pubin -inkey transport.pem -pkeyopt rsa_padding_mode:oaep"
                + " -pkeyopt rsa_oaep_md:" + md + " -pkeyopt rsa_mgf1_md:" + md + " -in customer-kek.bin -out wrapped.bin";
    }
}
