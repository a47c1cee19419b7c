package dev.cairn.hsm.testing;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class a fresh SoftHSM2 token in a temporary directory with its
 * own SOFTHSM2_CONF, and deletes it afterwards. Register it with
 * {@code @RegisterExtension static SoftHsmExtension hsm = new SoftHsmExtension();} and call
 * {@link #token()}, or take a {@link SoftHsm} parameter. {@link #newToken()} makes more tokens
 * (another appliance, say) that are cleaned up with the class.
 *
 * <p>SoftHSM2 must be installed ({@code ./cairn test} installs it); without it the tests fail with
 * that message rather than being skipped.
 */
public final class SoftHsmExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private Path root;
    private SoftHsm token;
    private int count;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("cairn-softhsm-");
        token = newToken();
    }

    /** The class's token. */
    public SoftHsm token() {
        return token;
    }

    /** Another independent token, deleted with the class's temporary directory. */
    public SoftHsm newToken() {
        try {
            Path dir = root.resolve("hsm-" + (++count));
            Files.createDirectories(dir);
            return SoftHsm.create(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The temporary directory of this class (for files the test makes beside the token). */
    public Path root() {
        return root;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (root == null) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == SoftHsm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return token;
    }
}
