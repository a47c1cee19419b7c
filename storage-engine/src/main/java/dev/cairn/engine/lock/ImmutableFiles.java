package dev.cairn.engine.lock;

import dev.cairn.engine.fs.Dir;
import dev.cairn.engine.fs.ImmutableState;
import dev.cairn.engine.fs.NativeName;
import java.nio.file.Path;

/** The immutable attribute of a repository file by path (file names in the repository are ASCII ids). */
final class ImmutableFiles {
    private ImmutableFiles() {
    }

    /** The attribute of {@code file}; throws {@link dev.cairn.engine.fs.FsException} (ENOENT when it is gone). */
    static ImmutableState get(Path file) {
        try (Dir d = Dir.open(file.getParent())) {
            return d.immutable(NativeName.of(file.getFileName().toString()));
        }
    }

    /** Sets or lifts the attribute of {@code file}; returns the state afterwards. */
    static ImmutableState set(Path file, boolean on) {
        try (Dir d = Dir.open(file.getParent())) {
            return d.setImmutable(NativeName.of(file.getFileName().toString()), on);
        }
    }

    /**
     * Lifts the attribute if it is set. Returns true if it was set and is now lifted, false if there
     * was nothing to lift (clear, unsupported).
     */
    static boolean lift(Path file) {
        try (Dir d = Dir.open(file.getParent())) {
            NativeName n = NativeName.of(file.getFileName().toString());
            if (d.immutable(n) != ImmutableState.SET) {
                return false;
            }
            d.setImmutable(n, false);
            return true;
        }
    }
}
