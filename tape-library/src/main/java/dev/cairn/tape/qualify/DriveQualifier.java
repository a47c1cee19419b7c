package dev.cairn.tape.qualify;

import dev.cairn.tape.device.DeviceIdentity;
import dev.cairn.tape.device.MediaChanger;
import dev.cairn.tape.device.Position;
import dev.cairn.tape.device.TapeDrive;
import dev.cairn.tape.device.TapeException;
import dev.cairn.tape.device.TapeLibrary;
import dev.cairn.tape.device.WriteStatus;
import dev.cairn.tape.scsi.BlockLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Drive qualification ({@code cairn tape qualify}, like Bareos's btape): on a scratch cartridge, load,
 * write a file of large blocks (timed) and a file of odd-sized blocks, rewind, space, read both back
 * byte for byte (timed), find the end of data, then unload and put the cartridge back. Each step is a
 * {@link Check}; capabilities the drive lacks are UNSUPPORTED, not failures. A cartridge that already
 * holds data is refused unless the caller allows overwriting it.
 */
public final class DriveQualifier {
    public enum Result { PASS, FAIL, UNSUPPORTED, INFO }

    public record Check(String name, Result result, String detail) {
    }

    /**
     * @param testBytes   how much the timed write writes (rounded to whole blocks)
     * @param blockSize   block size of the timed write
     * @param allowData   overwrite a cartridge that is not blank
     */
    public record Options(long testBytes, int blockSize, boolean allowData) {
        public static Options defaults() {
            return new Options(64L << 20, 256 << 10, false);
        }
    }

    /** What the drive is, what it does, and how fast. */
    public record Report(DeviceIdentity drive, int driveElement, int slot, String barcode, String quirks,
                         List<Check> checks, double writeMiBps, double readMiBps, long bytesWritten) {
        public boolean passed() {
            return checks.stream().noneMatch(c -> c.result() == Result.FAIL);
        }
    }

    private DriveQualifier() {
    }

    public static Report run(TapeLibrary library, int driveIndex, int slot, Options options) {
        MediaChanger changer = library.changer();
        int element = library.driveElement(driveIndex);
        TapeDrive drive = library.drive(driveIndex);
        List<Check> checks = new ArrayList<>();
        MediaChanger.Element source = changer.inventory().at(slot).orElseThrow(() ->
                new IllegalArgumentException("element " + slot + " does not exist in this library"));
        if (!source.full()) {
            throw new IllegalArgumentException("slot " + slot + " is empty: give the slot of a scratch cartridge");
        }
        double writeRate = 0;
        double readRate = 0;
        long written = 0;
        changer.move(slot, element);
        checks.add(new Check("load", Result.PASS, "cartridge " + source.barcode() + " moved from " + slot + " to drive element " + element));
        try {
            drive.load();
            checks.add(new Check("rewind", Result.PASS, "at the beginning of the tape"));
            if (drive.read(1 << 20).kind() != TapeDrive.ReadResult.Kind.END_OF_DATA) {
                if (!options.allowData()) {
                    checks.add(new Check("blank cartridge", Result.FAIL, "cartridge " + source.barcode()
                            + " holds data; qualify only scratch cartridges (or allow overwriting)"));
                    return finish(library, driveIndex, slot, source, checks, 0, 0, 0);
                }
                checks.add(new Check("blank cartridge", Result.INFO, "not blank; overwriting as allowed"));
            } else {
                checks.add(new Check("blank cartridge", Result.PASS, "reading at the beginning reports end of data"));
            }
            drive.rewind();
            info(checks, drive);

            // file 0: large blocks, timed
            Random rnd = new Random(20261128);
            byte[] block = new byte[options.blockSize()];
            rnd.nextBytes(block);
            long blocks = Math.max(1, options.testBytes() / block.length);
            long start = System.nanoTime();
            boolean earlyWarning = false;
            for (long i = 0; i < blocks; i++) {
                block[0] = (byte) i; // every block differs
                earlyWarning |= drive.write(block) == WriteStatus.EARLY_WARNING;
            }
            drive.writeFilemarks(1);
            double seconds = (System.nanoTime() - start) / 1e9;
            written = blocks * block.length;
            writeRate = written / (1024.0 * 1024.0) / seconds;
            checks.add(new Check("write", earlyWarning ? Result.INFO : Result.PASS, String.format(
                    "%d blocks of %d bytes and a filemark in %.2f s: %.1f MiB/s%s", blocks, block.length, seconds, writeRate,
                    earlyWarning ? " (the early warning came: the cartridge is nearly full)" : "")));

            // file 1: odd sizes
            int[] sizes = {1, 4095, 65_536, 300_001, 1 << 20};
            List<byte[]> odd = new ArrayList<>();
            for (int s : sizes) {
                byte[] b = new byte[Math.min(s, maxBlock(drive))];
                rnd.nextBytes(b);
                drive.write(b);
                odd.add(b);
            }
            drive.writeFilemarks(1);
            checks.add(new Check("variable blocks", Result.PASS, "blocks of " + Arrays.toString(sizes) + " bytes and a filemark"));

            // space to file 1 and read it back
            drive.rewind();
            drive.spaceFilemarks(1);
            boolean same = true;
            for (byte[] b : odd) {
                TapeDrive.ReadResult r = drive.read(maxBlock(drive));
                same &= r.kind() == TapeDrive.ReadResult.Kind.BLOCK && Arrays.equals(r.data(), b);
            }
            same &= drive.read(1 << 20).kind() == TapeDrive.ReadResult.Kind.FILEMARK;
            checks.add(new Check("space and read", same ? Result.PASS : Result.FAIL,
                    same ? "spaced over 1 filemark and read every block back byte for byte" : "a block read back differs"));

            // rewind and read file 0, timed
            drive.rewind();
            start = System.nanoTime();
            boolean identical = true;
            for (long i = 0; i < blocks; i++) {
                block[0] = (byte) i;
                TapeDrive.ReadResult r = drive.read(block.length);
                identical &= r.kind() == TapeDrive.ReadResult.Kind.BLOCK && Arrays.equals(r.data(), block);
            }
            readRate = written / (1024.0 * 1024.0) / ((System.nanoTime() - start) / 1e9);
            identical &= drive.read(block.length).kind() == TapeDrive.ReadResult.Kind.FILEMARK;
            checks.add(new Check("read", identical ? Result.PASS : Result.FAIL, String.format("%s: %.1f MiB/s",
                    identical ? "every block identical" : "blocks differ", readRate)));

            // backwards space (not every drive or emulator does it)
            try {
                drive.spaceFilemarks(-1);
                checks.add(new Check("space backwards", Result.PASS, "spaced back over 1 filemark"));
            } catch (TapeException e) {
                checks.add(new Check("space backwards", Result.UNSUPPORTED, e.getMessage()));
            }

            long files = drive.seekEndOfData();
            Position p = drive.position();
            boolean eod = drive.read(1 << 20).kind() == TapeDrive.ReadResult.Kind.END_OF_DATA;
            checks.add(new Check("end of data", files == 2 && eod ? Result.PASS : Result.FAIL,
                    files + " files found, position " + p + (eod ? ", reading there reports end of data" : ", reading there does not report end of data")));
        } catch (RuntimeException e) {
            checks.add(new Check("sequence", Result.FAIL, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return finish(library, driveIndex, slot, source, checks, writeRate, readRate, written);
    }

    private static void info(List<Check> checks, TapeDrive drive) {
        BlockLimits limits = drive.blockLimits();
        checks.add(new Check("block limits", Result.INFO, "min " + limits.minBlockLength() + ", max " + limits.maxBlockLength()
                + ", granularity " + limits.granularity()));
        Boolean worm = drive.wormMedium();
        checks.add(new Check("WORM flag", worm == null ? Result.UNSUPPORTED : Result.INFO,
                worm == null ? "this drive's WORM flag cannot be trusted (" + drive.quirks().name() + ")" : worm ? "WORM cartridge" : "rewritable cartridge"));
        checks.add(drive.tapeAlerts().map(a -> new Check("TapeAlert", Result.PASS, a.isEmpty() ? "no flag set" : a.toString()))
                .orElse(new Check("TapeAlert", Result.UNSUPPORTED, "no TapeAlert log page (LOG SENSE 2Eh)")));
        checks.add(new Check("encryption", drive.encryptionCapable() ? Result.PASS : Result.UNSUPPORTED,
                drive.encryptionCapable() ? "tape data encryption (security protocol 20h)" : "no drive encryption"));
        checks.add(new Check("READ POSITION", drive.quirks().readPositionReliable() ? Result.PASS : Result.UNSUPPORTED,
                drive.quirks().readPositionReliable() ? "reports the position" : "no usable position report: Cairn counts blocks and filemarks"));
        checks.add(new Check("LOCATE", drive.quirks().locateSupported() ? Result.PASS : Result.UNSUPPORTED,
                drive.quirks().locateSupported() ? "the drive has LOCATE" : "no LOCATE: Cairn navigates with SPACE"));
    }

    private static int maxBlock(TapeDrive drive) {
        return drive.blockLimits().maxBlockLength() == 0 ? 1 << 20 : drive.blockLimits().maxBlockLength();
    }

    private static Report finish(TapeLibrary library, int driveIndex, int slot, MediaChanger.Element source, List<Check> checks,
                                 double writeRate, double readRate, long written) {
        TapeDrive drive = library.drive(driveIndex);
        try {
            drive.unload();
            library.changer().move(library.driveElement(driveIndex), slot);
            checks.add(new Check("unload", Result.PASS, "cartridge back in slot " + slot));
        } catch (RuntimeException e) {
            checks.add(new Check("unload", Result.FAIL, e.getMessage()));
        }
        return new Report(drive.identity(), library.driveElement(driveIndex), slot, source.barcode(), drive.quirks().name(),
                List.copyOf(checks), writeRate, readRate, written);
    }
}
