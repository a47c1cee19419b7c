package dev.cairn.mgmt.audit;

import dev.cairn.hsm.AuditSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The audit log writer (docs/formats/audit-log.md, sections 1, 5, 6 and 8): appends hash-chained entries to
 * segment files, each fsynced before {@link #append} returns, and writes checkpoints signed by the HSM
 * audit key every {@link Options#checkpointEvery()} entries or {@link Options#checkpointInterval()}.
 *
 * <p>Thread safe: appends are serialised by this object's lock; a second writer on the same directory (in
 * this or another process) is refused through an advisory lock on {@code writer.lock}. A writer that failed
 * once (I/O error, signature refused) is dead: every later call throws, and the log must be reopened.
 */
public final class AuditLog implements AutoCloseable {

    /**
     * Tunables, with defaults in {@link #defaults()}.
     *
     * @param checkpointEvery     a checkpoint after this many uncovered entries (1 or more; default 100)
     * @param checkpointInterval  or once this much time passed since the last one (default 5 minutes)
     * @param maxSegmentBytes     start a new segment after a checkpoint once the segment is this long (default 64 MiB)
     * @param appendOnlyAttribute try to set {@code chattr +a} on segments (default true; tests that tamper turn it off)
     */
    public record Options(int checkpointEvery, Duration checkpointInterval, long maxSegmentBytes,
                          boolean appendOnlyAttribute) {
        public Options {
            if (checkpointEvery < 1) {
                throw new IllegalArgumentException("checkpointEvery must be at least 1");
            }
            if (checkpointInterval == null || checkpointInterval.isNegative() || checkpointInterval.isZero()) {
                throw new IllegalArgumentException("checkpointInterval must be positive");
            }
            if (maxSegmentBytes < 1) {
                throw new IllegalArgumentException("maxSegmentBytes must be positive");
            }
        }

        public static Options defaults() {
            return new Options(100, Duration.ofMinutes(5), 64L << 20, true);
        }

        public Options withCheckpointEvery(int n) {
            return new Options(n, checkpointInterval, maxSegmentBytes, appendOnlyAttribute);
        }

        public Options withCheckpointInterval(Duration d) {
            return new Options(checkpointEvery, d, maxSegmentBytes, appendOnlyAttribute);
        }

        public Options withMaxSegmentBytes(long b) {
            return new Options(checkpointEvery, checkpointInterval, b, appendOnlyAttribute);
        }

        public Options withAppendOnlyAttribute(boolean a) {
            return new Options(checkpointEvery, checkpointInterval, maxSegmentBytes, a);
        }
    }

    private final Path dir;
    private final AuditSigner signer;
    private final Clock clock;
    private final ClockSyncProbe probe;
    private final Options options;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private FileChannel segment;
    /** The number of the newest segment file, 0 when there is none. */
    private long segmentNumber;
    private boolean needNewSegment;
    private boolean appendOnly;
    private long lastSeq;
    private String lastHash = AuditCodec.GENESIS;
    private long lastCheckpoint;
    private Instant lastCheckpointTime;
    private String failure;
    private boolean closed;

    private AuditLog(Path dir, AuditSigner signer, Clock clock, ClockSyncProbe probe, Options options,
                     FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.signer = signer;
        this.clock = clock;
        this.probe = probe;
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating when missing) the log in {@code dir}, recovering after a crash as section 8 says. The
     * directory is made mode 0700.
     *
     * @throws IllegalStateException when another writer holds the log, or a complete line does not decode
     */
    public static AuditLog open(Path dir, AuditSigner signer, Clock clock, ClockSyncProbe probe, Options options) {
        Objects.requireNonNull(signer, "signer");
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Path lockFile = dir.resolve("writer.lock");
            lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("the audit log " + dir + " is held by another writer; "
                        + "stop it before opening the log here");
            }
            AuditLog log = new AuditLog(dir, signer, clock, probe, options, lockChannel, lock);
            log.recover();
            return log;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            closeQuietly(lockChannel);
            throw new IllegalStateException("the audit log " + dir + " is already open in this process", e);
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new UncheckedIOException("cannot open the audit log " + dir + ": " + e.getMessage()
                    + "; check that the directory exists and belongs to the audit writer", e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    /** Section 8: find the newest entry and checkpoint; never truncate; a torn newest segment is left behind. */
    private void recover() throws IOException {
        List<Path> files = Segments.list(dir);
        boolean haveEntry = false;
        boolean haveCheckpoint = false;
        for (int i = files.size() - 1; i >= 0 && !(haveEntry && haveCheckpoint); i--) {
            Segments.Content c = Segments.read(files.get(i));
            if (i == files.size() - 1 && c.torn()) {
                needNewSegment = true;
            }
            for (int k = c.lines().size() - 1; k >= 0 && !(haveEntry && haveCheckpoint); k--) {
                AuditCodec.Line line;
                try {
                    line = AuditCodec.decode(c.lines().get(k));
                } catch (AuditCodec.FormatException e) {
                    throw unreadable(c.file(), k, e.getMessage());
                }
                if (line instanceof AuditCodec.OtherVersion ov) {
                    throw unreadable(c.file(), k, "format version " + ov.version());
                }
                if (!haveEntry && line instanceof AuditCodec.EntryLine el) {
                    lastSeq = el.entry().seq();
                    lastHash = el.hash();
                    haveEntry = true;
                }
                if (!haveCheckpoint && line instanceof AuditCodec.CheckpointLine cl) {
                    lastCheckpoint = cl.checkpoint().seq();
                    haveCheckpoint = true;
                }
            }
        }
        if (lastCheckpoint > lastSeq) {
            throw unreadable(files.getLast(), -1, "a checkpoint closes seq " + lastCheckpoint
                    + " but the newest entry is " + lastSeq);
        }
        lastCheckpointTime = clock.instant(); // the interval counts from the open (section 5)
        segmentNumber = files.isEmpty() ? 0 : Segments.number(files.getLast());
        if (!files.isEmpty() && !needNewSegment) {
            Path newest = files.getLast();
            segment = FileChannel.open(newest, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            appendOnly = options.appendOnlyAttribute() ? AppendOnlyAttribute.set(newest, true)
                    : AppendOnlyAttribute.isSet(newest);
        }
    }

    private IllegalStateException unreadable(Path file, int line, String why) {
        return new IllegalStateException("the audit log " + dir + " cannot be extended: " + file.getFileName()
                + (line >= 0 ? " line " + (line + 1) : "") + ": " + why
                + "; run `cairn audit verify " + dir + " --pubkey PEM` and keep the directory as evidence");
    }

    /**
     * Appends one entry, durably (fsync) before returning, and a checkpoint when one is due.
     *
     * @return the entry as written
     * @throws IllegalStateException when the writer is closed or failed before
     * @throws UncheckedIOException  when writing failed (the writer is dead from then on)
     */
    public synchronized AuditEntry append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        alive();
        AuditEntry entry = new AuditEntry(lastSeq + 1, AuditCodec.truncate(clock.instant()), probe.current(), event, lastHash);
        byte[] line = AuditCodec.encode(entry);
        if (line.length > AuditCodec.MAX_LINE_BYTES) {
            throw new IllegalArgumentException("the audit entry would be " + line.length + " bytes, more than "
                    + AuditCodec.MAX_LINE_BYTES + "; shorten reason, userAgent or targets");
        }
        try {
            write(line);
        } catch (IOException | RuntimeException e) {
            throw die("appending entry " + entry.seq(), e);
        }
        lastSeq = entry.seq();
        lastHash = AuditCodec.hash(line);
        checkpointIfDue();
        return entry;
    }

    /**
     * Writes a checkpoint if one is due by count or by time (section 5); for a scheduler to call when the
     * log is idle. Returns whether it wrote one.
     */
    public synchronized boolean checkpointIfDue() {
        alive();
        long uncovered = lastSeq - lastCheckpoint;
        if (uncovered == 0) {
            return false;
        }
        Instant now = clock.instant();
        if (uncovered >= options.checkpointEvery() || !now.isBefore(lastCheckpointTime.plus(options.checkpointInterval()))) {
            checkpoint();
            return true;
        }
        return false;
    }

    /** Writes a checkpoint now when any entry is not covered by one. */
    public synchronized void checkpoint() {
        alive();
        if (lastSeq == lastCheckpoint) {
            return;
        }
        Instant time = AuditCodec.truncate(clock.instant());
        try {
            byte[] sig = signer.sign(Checkpoint.signedBytes(lastSeq, lastHash, lastCheckpoint, time));
            Checkpoint c = new Checkpoint(lastSeq, lastHash, lastCheckpoint, time, signer.label(), sig);
            write(AuditCodec.encode(c));
            lastCheckpoint = lastSeq;
            lastCheckpointTime = time;
            if (segment.size() >= options.maxSegmentBytes()) {
                segment.close();
                segment = null;
                needNewSegment = true;
            }
        } catch (IOException | RuntimeException e) {
            throw die("writing the checkpoint for entry " + lastSeq, e);
        }
    }

    private void write(byte[] line) throws IOException {
        if (segment == null || needNewSegment) {
            if (segment != null) {
                segment.close();
            }
            segment = createSegment(segmentNumber + 1);
            segmentNumber++;
            needNewSegment = false;
        }
        ByteBuffer b = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
        while (b.hasRemaining()) {
            segment.write(b);
        }
        segment.force(false);
    }

    private FileChannel createSegment(long number) throws IOException {
        Path file = dir.resolve(Segments.name(number));
        FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
        appendOnly = options.appendOnlyAttribute() && AppendOnlyAttribute.set(file, true);
        return ch;
    }

    private RuntimeException die(String what, Exception e) {
        failure = what + " failed (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        closeQuietly(segment);
        segment = null;
        if (e instanceof IOException io) {
            return new UncheckedIOException("the audit log " + dir + ": " + failure
                    + "; the writer is closed, fix the cause and reopen the log", io);
        }
        return new IllegalStateException("the audit log " + dir + ": " + failure
                + "; the writer is closed, fix the cause (is the HSM token present?) and reopen the log", e);
    }

    /** Whether the writer can take entries: not closed, and no earlier write or checkpoint failed. */
    public synchronized boolean writable() {
        return !closed && failure == null;
    }

    private void alive() {
        if (closed) {
            throw new IllegalStateException("the audit log " + dir + " is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("the audit log " + dir + " failed earlier: " + failure + "; reopen it");
        }
    }

    /**
     * Whether the segment being written has the append-only attribute ({@code chattr +a}). False where the
     * file system or the missing {@code CAP_LINUX_IMMUTABLE} does not allow it, or the option is off; the
     * control plane should report that as a weaker protection.
     */
    public synchronized boolean appendOnlyEnforced() {
        return appendOnly;
    }

    /** The seq of the newest entry, 0 for an empty log. */
    public synchronized long lastSeq() {
        return lastSeq;
    }

    /** The seq closed by the newest checkpoint, 0 when none. */
    public synchronized long lastCheckpoint() {
        return lastCheckpoint;
    }

    public Path directory() {
        return dir;
    }

    /** Writes a checkpoint for uncovered entries (when the writer is still healthy) and releases the log. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (failure == null) {
                checkpoint();
            }
        } finally {
            closed = true;
            closeQuietly(segment);
            try {
                lock.release();
            } catch (IOException ignored) {
                // closing the channel releases it too
            }
            closeQuietly(lockChannel);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nothing more to do
            }
        }
    }
}
