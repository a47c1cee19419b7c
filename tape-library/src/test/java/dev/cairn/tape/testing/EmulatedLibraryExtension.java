package dev.cairn.tape.testing;

import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a fresh emulated tape library ({@link VirtualTapeLibrary}: tgtd on a free loopback
 * port with its own control socket, 2 drives, a changer with 10 slots and 2 mail slots, cartridges made
 * by tgtimg) in a temporary directory for the test class, torn down cleanly afterwards (connections
 * dropped, target and LUNs deleted, daemon stopped, files removed). Register with
 * {@code @RegisterExtension static EmulatedLibraryExtension vtl = new EmulatedLibraryExtension();}.
 *
 * <p>tgt must be installed ({@code ./cairn test} installs it); without it the tests fail with that
 * message rather than being skipped.
 */
public final class EmulatedLibraryExtension implements BeforeAllCallback, AfterAllCallback {
    private final VirtualTapeLibrary.Layout layout;
    private Path dir;
    private VirtualTapeLibrary library;

    public EmulatedLibraryExtension() {
        this(VirtualTapeLibrary.Layout.standard());
    }

    public EmulatedLibraryExtension(VirtualTapeLibrary.Layout layout) {
        this.layout = layout;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("cairn-vtl-");
        library = VirtualTapeLibrary.start(dir, layout, 0);
    }

    public VirtualTapeLibrary library() {
        return library;
    }

    public String url() {
        return library.url();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (library != null) {
                library.stop();
            }
        } finally {
            if (dir != null) {
                try (var s = Files.walk(dir)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
