package dev.cairn.tape.vtl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start and stop of the emulated library: no double start, no stale pid trusted. */
class VirtualTapeLibraryTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStartInTheSameDirectoryIsRefusedAndStopIsSafeToRepeat() {
        VirtualTapeLibrary v = VirtualTapeLibrary.start(dir, VirtualTapeLibrary.Layout.standard(), 0);
        try {
            assertThat(v.running()).isTrue();
            assertThatThrownBy(() -> VirtualTapeLibrary.start(dir, VirtualTapeLibrary.Layout.standard(), 0))
                    .isInstanceOf(VtlException.class).hasMessageContaining("already running").hasMessageContaining(v.url());
            assertThat(VirtualTapeLibrary.open(dir).running()).isTrue(); // the first one is still reachable
        } finally {
            v.stop();
        }
        assertThat(v.running()).isFalse();
        VirtualTapeLibrary.open(dir).stop(); // nothing to stop: no error
    }

    @Test
    void aStalePidThatIsNotTgtdIsNeverTreatedAsTheDaemon() throws Exception {
        VirtualTapeLibrary v = VirtualTapeLibrary.start(dir, VirtualTapeLibrary.Layout.standard(), 0);
        v.stop();
        Path props = dir.resolve("vtl.properties");
        String text = Files.readString(props).replaceFirst("(?m)^pid=.*$", "pid=" + ProcessHandle.current().pid());
        Files.writeString(props, text);
        VirtualTapeLibrary stale = VirtualTapeLibrary.open(dir);
        assertThat(stale.running()).isFalse(); // our own JVM is alive, but it is not tgtd
        stale.stop(); // and stopping does not kill it
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        VirtualTapeLibrary again = VirtualTapeLibrary.start(dir, VirtualTapeLibrary.Layout.standard(), 0);
        again.stop();
    }
}
