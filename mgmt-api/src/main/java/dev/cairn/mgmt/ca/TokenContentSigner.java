package dev.cairn.mgmt.ca;

import dev.cairn.hsm.TokenSigner;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A Bouncy Castle {@link ContentSigner} that signs through {@link TokenSigner#sign}, so every certificate and
 * CRL signature happens in the token and is reported as a key event. One instance per signature.
 */
final class TokenContentSigner implements ContentSigner {
    private static final AlgorithmIdentifier ECDSA_SHA256 =
            new DefaultSignatureAlgorithmIdentifierFinder().find(TokenSigner.ALGORITHM);

    private final TokenSigner signer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    TokenContentSigner(TokenSigner signer) {
        this.signer = signer;
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return ECDSA_SHA256;
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        return signer.sign(buffer.toByteArray());
    }
}
