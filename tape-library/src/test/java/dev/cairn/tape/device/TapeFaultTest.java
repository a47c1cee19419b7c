package dev.cairn.tape.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.tape.testing.EmulatedLibraryExtension;
import dev.cairn.tape.transport.TransportException;
import dev.cairn.tape.transport.iscsi.IscsiTransport;
import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The library daemon dies in the middle of a write, and comes back. */
class TapeFaultTest {
    @RegisterExtension
    static final EmulatedLibraryExtension VTL = new EmulatedLibraryExtension();

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aKilledLibraryFailsTheWriteClearlyAndARestartedOneIsReconnectedAndReinventoried() {
        VirtualTapeLibrary vtl = VTL.library();
        try (TapeLibrary library = TapeLibrary.open(IscsiTransport.connect(vtl.url()))) {
            library.changer().move(VirtualTapeLibrary.FIRST_STORAGE, library.driveElement(0));
            TapeDrive drive = library.drive(0);
            drive.load();
            byte[] block = new byte[256 * 1024];
            Thread killer = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                vtl.kill();
            });
            RuntimeException failure = null;
            for (int i = 0; i < 1_000_000 && failure == null; i++) {
                try {
                    drive.write(block);
                } catch (TransportException e) {
                    failure = e;
                }
            }
            assertThat(failure).isInstanceOf(TransportException.class);
            assertThat(failure.getMessage()).contains("WRITE(6)").contains("outcome on the device is unknown");
            // the position is not guessed: it is unknown, and writes are refused until a rewind
            assertThat(drive.position().known()).isFalse();
            assertThatThrownBy(() -> drive.write(block)).isInstanceOf(TapeException.PositionUnknownException.class)
                    .hasMessageContaining("rewind first");
            // while the daemon is down, commands fail at once with a clear error
            assertThatThrownBy(() -> library.changer().inventory()).isInstanceOf(TransportException.class)
                    .hasMessageContaining("cannot log in");

            vtl.restart(); // tgt keeps its inventory only in memory: it starts from the layout again
            MediaChanger.Inventory inv = library.changer().inventory();
            assertThat(inv.storage().getFirst().barcode()).isEqualTo(vtl.layout().storage().getFirst());
            assertThat(inv.drives()).allMatch(e -> !e.full());
            assertThat(library.transport()).isInstanceOf(IscsiTransport.class);
            assertThat(((IscsiTransport) library.transport()).logins()).isGreaterThanOrEqualTo(2);
        }
    }
}
