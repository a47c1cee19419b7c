package dev.cairn.tape.device;

import dev.cairn.tape.scsi.BlockLimits;
import dev.cairn.tape.scsi.Cdb;
import dev.cairn.tape.scsi.MediumConfigurationPage;
import dev.cairn.tape.scsi.ModeParameters;
import dev.cairn.tape.scsi.ReadPosition;
import dev.cairn.tape.scsi.ScsiDecodeException;
import dev.cairn.tape.scsi.Sense;
import dev.cairn.tape.scsi.SpaceCode;
import dev.cairn.tape.scsi.Spc;
import dev.cairn.tape.scsi.Ssc;
import dev.cairn.tape.scsi.TapeAlert;
import dev.cairn.tape.scsi.TapeAlertFlag;
import dev.cairn.tape.transport.ScsiTransport;
import dev.cairn.tape.transport.TransportException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * A tape drive (SSC-4) in variable-block mode, with its position tracked by counting blocks and
 * filemarks, because some drives (tgt) cannot report it. After an uncertain error (transport failure,
 * medium or hardware error, an unexpected answer) the position becomes {@link Position#UNKNOWN} and
 * reads and writes are refused until {@link #rewind()}. End of medium on a write is an early warning
 * ({@link WriteStatus#EARLY_WARNING}: the data is on tape), distinct from an I/O error.
 *
 * <p>Not thread safe: one job uses a drive at a time.
 */
public final class TapeDrive {
    /** Long enough for a rewind or a space across a full LTO cartridge. */
    public static final Duration LONG_TIMEOUT = Duration.ofHours(4);
    public static final Duration SHORT_TIMEOUT = Duration.ofSeconds(60);

    private final ScsiDevice device;
    private final DeviceIdentity identity;
    private final Quirks quirks;
    private Position position = Position.UNKNOWN;

    private TapeDrive(ScsiDevice device, DeviceIdentity identity, Quirks quirks) {
        this.device = device;
        this.identity = identity;
        this.quirks = quirks;
    }

    /** Identifies the drive at {@code lun} and picks its quirks. */
    public static TapeDrive open(ScsiTransport transport, int lun) {
        ScsiDevice d = new ScsiDevice(transport, lun, Duration.ofMinutes(2));
        DeviceIdentity id = d.identify(SHORT_TIMEOUT);
        return new TapeDrive(d, id, Quirks.of(id.vendor(), id.product()));
    }

    public DeviceIdentity identity() {
        return identity;
    }

    public Quirks quirks() {
        return quirks;
    }

    public int lun() {
        return device.lun();
    }

    public String name() {
        return device.name();
    }

    /** The tracked position; unknown after an uncertain error until {@link #rewind()}. */
    public Position position() {
        return position;
    }

    /** What the drive reports about itself and its cartridge. */
    public record Status(boolean ready, boolean mediumPresent, boolean writeProtected, Boolean wormMedium,
                         int blockLength, boolean bufferedMode, Position position, String notReadyReason) {
    }

    public Status status() {
        ScsiDevice.Outcome tur = device.run(Spc.testUnitReady(), null, SHORT_TIMEOUT);
        if (!tur.good()) {
            boolean noMedium = tur.sense().key() == Sense.NOT_READY && tur.sense().asc() == 0x3a;
            return new Status(false, !noMedium, false, null, 0, false, position, tur.sense().describe());
        }
        ModeParameters mp = modeSense(0x3f);
        int blockLength = mp.blockDescriptors().isEmpty() ? 0 : mp.blockDescriptors().getFirst().blockLength();
        return new Status(true, true, mp.writeProtected(), wormMedium(), blockLength, mp.bufferedMode() != 0, position, null);
    }

    /** The WORM flag of the loaded cartridge, or null when this drive's flag cannot be trusted (tgt sets it for every cartridge). */
    public Boolean wormMedium() {
        if (!quirks.wormFlagReliable()) {
            return null;
        }
        try {
            return modeSense(MediumConfigurationPage.PAGE_CODE).page(MediumConfigurationPage.PAGE_CODE)
                    .map(p -> MediumConfigurationPage.parse(p).wormm()).orElse(null);
        } catch (TapeException.UnsupportedCommandException e) {
            return null;
        }
    }

    private ModeParameters modeSense(int page) {
        ScsiDevice.Outcome o = device.require(Spc.modeSense6(page, 0, false, 255), null, SHORT_TIMEOUT);
        return ModeParameters.parse6(o.data());
    }

    public BlockLimits blockLimits() {
        return BlockLimits.parse(device.require(Ssc.readBlockLimits(), null, SHORT_TIMEOUT).data());
    }

    /** Active TapeAlert flags (LOG SENSE page 2Eh), or empty when the drive has no TapeAlert log. */
    public Optional<Set<TapeAlertFlag>> tapeAlerts() {
        ScsiDevice.Outcome o = device.run(Spc.logSense(TapeAlert.PAGE_CODE, 0, 512), null, SHORT_TIMEOUT);
        if (!o.good()) {
            if (o.sense().key() == Sense.ILLEGAL_REQUEST) {
                return Optional.empty();
            }
            throw device.failure(Spc.logSense(TapeAlert.PAGE_CODE, 0, 512), o.sense());
        }
        return Optional.of(TapeAlert.parse(o.data()).flags());
    }

    /** True when SECURITY PROTOCOL IN lists tape data encryption (protocol 20h). */
    public boolean encryptionCapable() {
        Cdb cdb = Ssc.securityProtocolIn(0x00, 0x0000, 256); // protocol 00h: supported security protocols
        ScsiDevice.Outcome o = device.run(cdb, null, SHORT_TIMEOUT);
        if (!o.good()) {
            return false;
        }
        byte[] d = o.data();
        if (d.length < 8) {
            return false;
        }
        int n = ((d[6] & 0xff) << 8) | (d[7] & 0xff);
        for (int i = 0; i < n && 8 + i < d.length; i++) {
            if ((d[8 + i] & 0xff) == Ssc.TAPE_DATA_ENCRYPTION) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ loading and positioning

    /** Brings a cartridge the changer put in the drive online and rewinds it. */
    public void load() {
        Cdb cdb = quirks.loadUnloadIsStartStop() ? Ssc.loadUnloadRaw(0x03, false) : Ssc.loadUnload(true, false);
        position = Position.UNKNOWN;
        guarded(() -> device.require(cdb, null, LONG_TIMEOUT));
        rewind();
    }

    /** Rewinds and unloads (ejects) the cartridge so a changer can take it. */
    public void unload() {
        position = Position.UNKNOWN;
        // tgt: LOAD UNLOAD with LOAD=0 is a no-op, and 02h would take the drive offline; the changer pulls the cartridge anyway
        Cdb cdb = Ssc.loadUnload(false, false);
        guarded(() -> device.require(cdb, null, LONG_TIMEOUT));
    }

    public void rewind() {
        position = Position.UNKNOWN;
        guarded(() -> device.require(Ssc.rewind(false), null, LONG_TIMEOUT));
        position = Position.BEGINNING;
    }

    // ------------------------------------------------------------------ writing

    /** Writes one variable-length block. */
    public WriteStatus write(byte[] block) {
        requireKnown("write");
        Cdb cdb = Ssc.write6Variable(block.length);
        ScsiDevice.Outcome o = guarded(() -> device.run(cdb, block, LONG_TIMEOUT));
        return afterWrite(cdb, o, 1, 0);
    }

    /** Writes {@code count} filemarks (and makes the drive flush its buffer to the medium). */
    public WriteStatus writeFilemarks(int count) {
        requireKnown("write filemarks");
        Cdb cdb = Ssc.writeFilemarks6(count, false);
        ScsiDevice.Outcome o = guarded(() -> device.run(cdb, null, LONG_TIMEOUT));
        return afterWrite(cdb, o, 0, count);
    }

    private WriteStatus afterWrite(Cdb cdb, ScsiDevice.Outcome o, int blocks, int filemarks) {
        if (o.good()) {
            advance(blocks, filemarks);
            return WriteStatus.WRITTEN;
        }
        Sense s = o.sense();
        if (s.key() == Sense.NO_SENSE && s.eom()) {
            // early warning (00/02 on real drives; tgt reports 00/00 with EOM on every write past the end): written
            advance(blocks, filemarks);
            return WriteStatus.EARLY_WARNING;
        }
        position = Position.UNKNOWN;
        throw device.failure(cdb, s);
    }

    // ------------------------------------------------------------------ reading

    /** One READ: a block, a filemark, or the end of data. */
    public record ReadResult(Kind kind, byte[] data) {
        public enum Kind { BLOCK, FILEMARK, END_OF_DATA }

        public ReadResult {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }

    /**
     * Reads the next block into a buffer of {@code maxLength} bytes. A block larger than that is an
     * error (its tail would be lost): the position then moves past it.
     */
    public ReadResult read(int maxLength) {
        requireKnown("read");
        Cdb cdb = Ssc.read6Variable(maxLength, false);
        ScsiDevice.Outcome o = guarded(() -> device.run(cdb, null, LONG_TIMEOUT));
        if (o.good()) {
            advance(1, 0);
            return new ReadResult(ReadResult.Kind.BLOCK, o.data());
        }
        Sense s = o.sense();
        if (s.filemark()) {
            advance(0, 1);
            return new ReadResult(ReadResult.Kind.FILEMARK, new byte[0]);
        }
        if (s.key() == Sense.BLANK_CHECK || (s.key() == Sense.NO_SENSE && s.asc() == 0x00 && s.ascq() == 0x05)) {
            return new ReadResult(ReadResult.Kind.END_OF_DATA, new byte[0]); // position unchanged
        }
        if (s.ili() && s.informationValid()) {
            long residue = s.information(); // requested - actual (SSC-4 4.2.23)
            if (residue > 0 && residue < maxLength) {
                advance(1, 0);
                // tgt sends the wrong number of bytes with ILI; the Information field is right (Quirks.iliTransferUnreliable)
                return new ReadResult(ReadResult.Kind.BLOCK, Arrays.copyOf(o.data(), (int) (maxLength - residue)));
            }
            if (residue < 0) {
                advance(1, 0);
                throw new TapeException(device.name() + ": the block is " + (maxLength - residue) + " bytes, larger than the "
                        + maxLength + "-byte read buffer; its tail was not read", s);
            }
        }
        position = Position.UNKNOWN;
        throw device.failure(cdb, s);
    }

    // ------------------------------------------------------------------ spacing

    /**
     * Spaces over {@code count} filemarks (negative: backwards). Returns the number actually passed: fewer
     * when the end of data (or the beginning) came first, after which the position is unknown in blocks.
     */
    public long spaceFilemarks(int count) {
        requireKnown("space");
        Cdb cdb = Ssc.space6(SpaceCode.FILEMARKS, count);
        ScsiDevice.Outcome o = guarded(() -> device.run(cdb, null, LONG_TIMEOUT));
        if (o.good()) {
            position = count >= 0 ? position.afterFilemarks(count) : Position.UNKNOWN;
            return count;
        }
        Sense s = o.sense();
        boolean atEnd = s.key() == Sense.BLANK_CHECK || (s.key() == Sense.NO_SENSE && !s.filemark());
        if (atEnd && (s.informationValid() || count == 1 || count == -1)) {
            position = Position.UNKNOWN; // stopped at end of data (or the beginning): the block within the file is not known
            // a one-filemark space that stopped passed none, even when the drive leaves Information invalid (tgt)
            return s.informationValid() ? count - s.information() : 0;
        }
        position = Position.UNKNOWN;
        throw device.failure(cdb, s);
    }

    /** Spaces over {@code count} blocks forwards (or backwards when negative) within the current file. */
    public void spaceBlocks(int count) {
        requireKnown("space");
        Cdb cdb = Ssc.space6(SpaceCode.BLOCKS, count);
        ScsiDevice.Outcome o = guarded(() -> device.run(cdb, null, LONG_TIMEOUT));
        if (o.good()) {
            position = position.afterBlocks(count);
            return;
        }
        Sense s = o.sense();
        if (s.filemark() && s.informationValid() && count > 0) {
            long passed = count - s.information();
            position = position.afterBlocks(passed).afterFilemarks(1); // stopped after the filemark
            throw new TapeException(device.name() + ": a filemark came after " + passed + " of " + count + " blocks", s);
        }
        position = Position.UNKNOWN;
        throw device.failure(cdb, s);
    }

    /**
     * Goes to the start of file {@code file} (0 = the beginning). With a known position at the start of
     * an earlier file this spaces forward; otherwise it rewinds and spaces, which works on every drive.
     */
    public void seekFile(long file) {
        if (!position.known() || position.blockInFile() != 0 || position.file() > file) {
            rewind();
        }
        long remaining = file - position.file();
        while (remaining > 0) {
            int step = (int) Math.min(remaining, 0x7fffff);
            long passed = spaceFilemarks(step);
            if (passed < step) {
                throw new TapeException(device.name() + ": the tape has only " + (file - remaining + passed)
                        + " files; file " + file + " does not exist", (Sense) null);
            }
            remaining -= step;
        }
    }

    /**
     * Goes to the end of data, to append. On drives with a reliable READ POSITION that is SPACE to end of
     * data; on others (tgt) the files are counted with SPACE one filemark at a time from the beginning and
     * the blocks of a last, unterminated file with one long SPACE over blocks, so the position stays
     * known without reading data. Returns the number of files on tape (a last file without its filemark counts).
     */
    public long seekEndOfData() {
        if (quirks.readPositionReliable()) {
            guarded(() -> device.require(Ssc.space6(SpaceCode.END_OF_DATA, 0), null, LONG_TIMEOUT));
            position = Position.UNKNOWN;
            Position p = readPosition();
            position = p;
            return p.known() ? p.file() : -1;
        }
        rewind();
        long files = 0;
        while (spaceFilemarks(1) == 1) {
            files++;
        }
        rewind();
        for (long left = files; left > 0; ) {
            int step = (int) Math.min(left, 0x7fffff);
            spaceFilemarks(step);
            left -= step;
        }
        long blocks = countBlocksToEndOfData(files);
        position = Position.at(files, blocks, -1);
        return blocks > 0 ? files + 1 : files;
    }

    /**
     * From the start of the last file, the number of blocks before the end of data: one long SPACE when the
     * drive reports the residue (SSC-4), else (tgt leaves the Information field invalid at end of data) one
     * block at a time, at most {@link #MAX_COUNTED_BLOCKS}.
     */
    private long countBlocksToEndOfData(long files) {
        Cdb cdb = Ssc.space6(SpaceCode.BLOCKS, 0x7fffff);
        ScsiDevice.Outcome o = guarded(() -> device.run(cdb, null, LONG_TIMEOUT));
        if (!o.good()) {
            Sense s = o.sense();
            boolean atEnd = !s.filemark() && (s.key() == Sense.BLANK_CHECK || s.key() == Sense.NO_SENSE);
            if (!atEnd) {
                position = Position.UNKNOWN;
                throw device.failure(cdb, s);
            }
            if (s.informationValid()) {
                return 0x7fffff - s.information();
            }
        } else {
            throw new TapeException(device.name() + ": more than " + 0x7fffff + " blocks in the last file", (Sense) null);
        }
        // the residue is not reported: back to the start of the last file, then one block at a time
        rewind();
        for (long left = files; left > 0; ) {
            int step = (int) Math.min(left, 0x7fffff);
            spaceFilemarks(step);
            left -= step;
        }
        Cdb one = Ssc.space6(SpaceCode.BLOCKS, 1);
        for (long n = 0; n < MAX_COUNTED_BLOCKS; n++) {
            ScsiDevice.Outcome step = guarded(() -> device.run(one, null, LONG_TIMEOUT));
            if (!step.good()) {
                Sense s = step.sense();
                if (!s.filemark() && (s.key() == Sense.BLANK_CHECK || s.key() == Sense.NO_SENSE)) {
                    return n;
                }
                position = Position.UNKNOWN;
                throw device.failure(one, s);
            }
        }
        position = Position.UNKNOWN;
        throw new TapeException(device.name() + ": more than " + MAX_COUNTED_BLOCKS + " blocks in the last file", (Sense) null);
    }

    private static final long MAX_COUNTED_BLOCKS = 10_000_000L;

    /** The drive's own position report when it has a reliable one, else the tracked position. */
    public Position readPosition() {
        if (!quirks.readPositionReliable()) {
            return position;
        }
        ScsiDevice.Outcome o = guarded(() -> device.require(Ssc.readPositionLong(), null, SHORT_TIMEOUT));
        try {
            ReadPosition.LongForm lf = ReadPosition.LongForm.parse(o.data());
            if (lf.positionUnknown()) {
                position = Position.UNKNOWN;
            }
            return lf.positionUnknown() ? Position.UNKNOWN
                    : Position.at(lf.logicalFileId(), position.known() ? position.blockInFile() : -1, lf.logicalObjectNumber());
        } catch (ScsiDecodeException e) {
            throw new TapeException(device.name() + ": READ POSITION answered something unreadable: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ internals

    private void advance(int blocks, int filemarks) {
        if (blocks > 0) {
            position = position.afterBlocks(blocks);
        }
        if (filemarks > 0) {
            position = position.afterFilemarks(filemarks);
        }
    }

    private void requireKnown(String what) {
        if (!position.known()) {
            throw new TapeException.PositionUnknownException(device.name() + ": cannot " + what
                    + ": the tape position is unknown after an earlier error; rewind first");
        }
    }

    private <T> T guarded(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (TransportException | TapeException.TapeIoException e) {
            position = Position.UNKNOWN;
            throw e;
        }
    }
}
