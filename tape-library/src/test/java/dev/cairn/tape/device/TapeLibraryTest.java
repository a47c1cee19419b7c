package dev.cairn.tape.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.tape.scsi.ElementType;
import dev.cairn.tape.testing.EmulatedLibraryExtension;
import dev.cairn.tape.transport.iscsi.IscsiTransport;
import dev.cairn.tape.vtl.VirtualTapeLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drives and changer against the emulated library (tgtd). Every test leaves the cartridges where it
 * found them, so the order of tests does not matter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapeLibraryTest {
    @RegisterExtension
    static final EmulatedLibraryExtension VTL = new EmulatedLibraryExtension();
    static final int SLOT = VirtualTapeLibrary.FIRST_STORAGE;

    TapeLibrary library;

    @BeforeAll
    void open() {
        library = TapeLibrary.open(IscsiTransport.connect(VTL.url()));
    }

    @AfterAll
    void close() {
        if (library != null) {
            library.close();
        }
    }

    @Test
    void inventoryShowsEveryBarcodeInItsSlot() {
        MediaChanger.Inventory inv = library.changer().inventory();
        VirtualTapeLibrary.Layout layout = VTL.library().layout();
        assertThat(inv.transports()).hasSize(1);
        assertThat(inv.storage()).hasSize(layout.storageSlots());
        assertThat(inv.importExport()).hasSize(layout.importExportSlots());
        assertThat(inv.drives()).hasSize(layout.drives());
        for (int i = 0; i < layout.storage().size(); i++) {
            MediaChanger.Element e = inv.storage().get(i);
            assertThat(e.address()).isEqualTo(SLOT + i);
            assertThat(e.full()).isTrue();
            assertThat(e.barcode()).isEqualTo(layout.storage().get(i));
        }
        assertThat(inv.storage().subList(layout.storage().size(), layout.storageSlots())).allMatch(e -> !e.full());
        assertThat(inv.importExport().getFirst().barcode()).isEqualTo(layout.importExport().getFirst());
        assertThat(inv.drives()).allMatch(e -> !e.full() && e.driveIdentifier().startsWith("IET"));
        // tgt cuts the last drive's serial short in its device identifier (Quirks.elementReportShortBy8),
        // so the drives are paired with their elements by order; the pairing is still right:
        assertThat(library.pairedBySerial()).isFalse();
        assertThat(library.drives()).hasSize(2);
        assertThat(library.drive(0).lun()).isEqualTo(1);
        assertThat(library.driveElement(0)).isEqualTo(VirtualTapeLibrary.FIRST_DRIVE);
        assertThat(library.drive(1).lun()).isEqualTo(2);
        assertThat(library.changer().quirks()).isEqualTo(Quirks.TGT);
        assertThat(library.drive(0).quirks()).isEqualTo(Quirks.TGT);
    }

    @Test
    void slotToDriveToSlotAndSlotToMailSlotToSlot() {
        MediaChanger c = library.changer();
        int drive = library.driveElement(0);
        String barcode = c.inventory().at(SLOT + 1).orElseThrow().barcode();
        c.move(SLOT + 1, drive);
        MediaChanger.Inventory inv = c.inventory();
        assertThat(inv.at(drive).orElseThrow().barcode()).isEqualTo(barcode);
        assertThat(inv.at(drive).orElseThrow().sourceAddress()).contains(SLOT + 1);
        assertThat(inv.at(SLOT + 1).orElseThrow().full()).isFalse();
        c.move(drive, SLOT + 1);
        assertThat(c.inventory().at(SLOT + 1).orElseThrow().barcode()).isEqualTo(barcode);

        int mail = VirtualTapeLibrary.FIRST_IMPORT_EXPORT + 1; // the empty mail slot
        c.move(SLOT + 1, mail);
        assertThat(c.inventory().importExport()).filteredOn(e -> e.address() == mail).singleElement()
                .satisfies(e -> assertThat(e.barcode()).isEqualTo(barcode));
        c.move(mail, SLOT + 1);
        assertThat(c.inventory().find(barcode).orElseThrow().address()).isEqualTo(SLOT + 1);
    }

    @Test
    void movingFromAnEmptySlotOrIntoAFullOneIsATypedError() {
        MediaChanger c = library.changer();
        int empty = SLOT + VTL.library().layout().storage().size(); // first empty slot
        assertThatThrownBy(() -> c.move(empty, library.driveElement(1)))
                .isInstanceOf(TapeException.SourceEmptyException.class).hasMessageContaining("3B/0E");
        assertThatThrownBy(() -> c.move(SLOT + 2, SLOT + 3))
                .isInstanceOf(TapeException.DestinationFullException.class).hasMessageContaining("3B/0D");
        assertThat(c.inventory().at(SLOT + 2).orElseThrow().full()).isTrue();
    }

    @Test
    void anEmptyDriveGivesATypedNotReadyError() {
        TapeDrive d = library.drive(1);
        assertThat(d.status().ready()).isFalse();
        assertThat(d.status().mediumPresent()).isFalse();
        assertThatThrownBy(d::rewind).isInstanceOf(TapeException.NoMediumException.class)
                .hasMessageContaining("3A/00").hasMessageContaining("Load a cartridge");
        assertThat(d.position().known()).isFalse();
    }

    @Test
    void blocksAndFilemarksWriteRewindSpaceAndReadBackByteIdentical() {
        MediaChanger c = library.changer();
        int drive = library.driveElement(0);
        c.move(SLOT, drive);
        try {
            TapeDrive d = library.drive(0);
            d.load();
            assertThat(d.position()).isEqualTo(Position.BEGINNING);
            assertThat(d.status().ready()).isTrue();
            assertThat(d.wormMedium()).isNull(); // tgt's WORM flag cannot be trusted: unknown, not false
            assertThat(d.tapeAlerts()).isEmpty(); // tgt has no TapeAlert log page
            assertThat(d.encryptionCapable()).isFalse();
            assertThat(d.blockLimits().maxBlockLength()).isEqualTo(1 << 20);

            Random rnd = new Random(1);
            List<List<byte[]>> files = new ArrayList<>();
            for (int f = 0; f < 3; f++) {
                List<byte[]> blocks = new ArrayList<>();
                for (int b = 0; b < 5 + f; b++) {
                    byte[] block = new byte[1 + rnd.nextInt(300_000)];
                    rnd.nextBytes(block);
                    assertThat(d.write(block)).isEqualTo(WriteStatus.WRITTEN);
                    blocks.add(block);
                }
                assertThat(d.writeFilemarks(1)).isEqualTo(WriteStatus.WRITTEN);
                files.add(blocks);
            }
            assertThat(d.position()).isEqualTo(Position.at(3, 0, 5 + 6 + 7 + 3));

            d.rewind();
            d.spaceFilemarks(2); // straight to the third file
            assertThat(d.position().file()).isEqualTo(2);
            readFile(d, files.get(2));
            d.seekFile(1); // backwards: rewind and space
            readFile(d, files.get(1));
            d.rewind();
            readFile(d, files.get(0));
            d.spaceBlocks(3); // inside file 1
            assertThat(d.read(1 << 20).data()).isEqualTo(files.get(1).get(3));
            assertThat(d.seekEndOfData()).isEqualTo(3);
            assertThat(d.position()).isEqualTo(Position.at(3, 0, -1));
            assertThat(d.read(1 << 20).kind()).isEqualTo(TapeDrive.ReadResult.Kind.END_OF_DATA);

            // a block larger than the buffer is an error, and the drive moved past it
            d.rewind();
            byte[] big = files.get(0).stream().filter(b -> b.length > 1000).findFirst().orElseThrow();
            d.seekFile(0);
            int index = files.get(0).indexOf(big);
            if (index > 0) {
                d.spaceBlocks(index);
            }
            assertThatThrownBy(() -> d.read(big.length - 1)).isInstanceOf(TapeException.class).hasMessageContaining("larger than");
        } finally {
            library.drive(0).unload();
            c.move(drive, SLOT);
        }
    }

    @Test
    void theEndOfASmallCartridgeIsAnEarlyWarningAndTheDataIsStillThere() {
        MediaChanger c = library.changer();
        int drive = library.driveElement(1);
        int small = c.inventory().find("CRNS06L9").orElseThrow().address();
        c.move(small, drive);
        try {
            TapeDrive d = library.drive(1);
            d.load();
            byte[] block = new byte[64 * 1024];
            new Random(2).nextBytes(block);
            int written = 0;
            WriteStatus last = WriteStatus.WRITTEN;
            while (last == WriteStatus.WRITTEN && written < 64) { // a 1 MB cartridge: about 16 blocks
                last = d.write(block);
                written++;
            }
            assertThat(last).isEqualTo(WriteStatus.EARLY_WARNING);
            assertThat(written).isBetween(10, 40);
            // still past the end, still written (tgt reports EOM only on data writes, so this one says WRITTEN)
            assertThat(d.writeFilemarks(1)).isIn(WriteStatus.WRITTEN, WriteStatus.EARLY_WARNING);
            d.rewind();
            for (int i = 0; i < written; i++) {
                assertThat(d.read(block.length).data()).as("block " + i).isEqualTo(block);
            }
            assertThat(d.read(block.length).kind()).isEqualTo(TapeDrive.ReadResult.Kind.FILEMARK);
        } finally {
            library.drive(1).unload();
            c.move(drive, small);
        }
    }

    @Test
    void aCartridgeInsertedIntoTheMailSlotIsSeenAndImported() {
        MediaChanger c = library.changer();
        int mail = VirtualTapeLibrary.FIRST_IMPORT_EXPORT + 1;
        VTL.library().insertIntoMailSlot(mail, "CRN001L9X".substring(0, 8).replace("1", "9"));
        try {
            MediaChanger.Element e = c.inventory().at(mail).orElseThrow();
            assertThat(e.full()).isTrue();
            assertThat(e.type()).isEqualTo(ElementType.IMPORT_EXPORT);
            assertThat(e.barcode()).isEqualTo("CRN009L9");
        } finally {
            VTL.library().removeFromMailSlot(mail);
        }
        assertThat(c.inventory().at(mail).orElseThrow().full()).isFalse();
    }

    private static void readFile(TapeDrive d, List<byte[]> blocks) {
        for (int i = 0; i < blocks.size(); i++) {
            TapeDrive.ReadResult r = d.read(1 << 20);
            assertThat(r.kind()).isEqualTo(TapeDrive.ReadResult.Kind.BLOCK);
            assertThat(r.data()).as("block " + i).isEqualTo(blocks.get(i));
        }
        assertThat(d.read(1 << 20).kind()).isEqualTo(TapeDrive.ReadResult.Kind.FILEMARK);
    }
}
