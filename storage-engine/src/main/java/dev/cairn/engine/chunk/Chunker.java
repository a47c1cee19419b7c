package dev.cairn.engine.chunk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * FastCDC content-defined chunker (Xia et al., USENIX ATC 2016; IEEE TPDS 2020): a gear rolling hash,
 * normalized chunking with two masks, cut-point skipping below {@code min} and a hard cut at {@code max}.
 * The exact rule is in docs/formats/chunking.md ("Cut rule"); in short, a chunk starting at stream offset
 * {@code s} has the smallest length {@code L} in {@code [min, min(max, bytes left)]} such that
 * {@code W(s + L - 1) & mask(L) == 0}, or that upper bound if there is none, where {@code W(p)} is the gear hash
 * of the 64 bytes ending at {@code p} and {@code mask(L)} is {@code maskS} for {@code L <= avg} and
 * {@code maskL} above. The stream's last chunk is whatever remains (1..max bytes).
 *
 * <p><b>Boundaries depend only on the bytes, never on how they are fed:</b> one byte at a time, a megabyte
 * at a time, {@code byte[]} or {@link MemorySegment} pieces, all give the same chunks ({@code
 * ChunkerStreamingTest}). The chunker keeps no data, only a 64-bit hash and a position, so the caller owns
 * the bytes: it reports boundaries as stream offsets and lengths.
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>pull: {@link #feed(byte[], int, int)} returns how much of the piece completes the current chunk
 *       (or -1 if the piece ends inside it); the caller copies that much into its chunk and calls again
 *       with the rest of the piece; {@link #finish()} ends the stream;</li>
 *   <li>push: {@link #update(byte[], int, int, ChunkSink)} and {@link #finish(ChunkSink)} report every
 *       completed chunk to a {@link ChunkSink}.</li>
 * </ul>
 * For a whole buffer in memory, {@link #cut(byte[], int, int, ChunkerParams)} and {@link #split(byte[],
 * ChunkerParams)} are the batch path.
 *
 * <p>The streaming methods allocate nothing per byte or per chunk (a segment that is not over a
 * {@code byte[]} uses one 64 KiB scratch array per chunker); {@link #split} allocates a span per chunk.
 * Not thread-safe: one chunker per stream. After {@link #finish()} the chunker starts a new stream at
 * offset 0 and can be reused.
 */
public final class Chunker {
    private static final long[] G = GearTable.GEAR;
    private static final int WINDOW = ChunkerParams.WINDOW;
    /** Bytes copied per step when a segment's memory is not a reachable {@code byte[]}. */
    private static final int SCRATCH_SIZE = 64 << 10;

    private final ChunkerParams params;
    private final int min;
    private final int avg;
    private final int max;
    private final long maskS;
    private final long maskL;

    /** Gear hash of the current chunk's bytes from position {@code min - WINDOW} on. */
    private long hash;
    /** Bytes of the current chunk seen so far, 0..max-1. */
    private int pos;
    /** Stream offset of the current chunk. */
    private long chunkStart;
    private long lastOffset = -1;
    private int lastLength;
    private byte[] scratch;

    public Chunker(ChunkerParams params) {
        this.params = Objects.requireNonNull(params, "params");
        this.min = params.min();
        this.avg = params.avg();
        this.max = params.max();
        this.maskS = params.maskS();
        this.maskL = params.maskL();
    }

    public ChunkerParams params() {
        return params;
    }

    /** Bytes fed since the stream started (since construction or the last {@link #finish()}). */
    public long position() {
        return chunkStart + pos;
    }

    /** Stream offset of the most recently completed chunk, or -1 if none has completed yet. */
    public long lastChunkOffset() {
        return lastOffset;
    }

    /** Length of the most recently completed chunk, or 0 if none has completed yet. */
    public int lastChunkLength() {
        return lastLength;
    }

    /**
     * Feeds bytes until the current chunk ends or the piece runs out.
     *
     * @return {@code n} in {@code 1..len} if the current chunk ended after the piece's first {@code n}
     *         bytes (its offset and length are then {@link #lastChunkOffset()} and {@link #lastChunkLength()},
     *         and a new chunk starts; feed the rest of the piece, {@code off + n}, next), or -1 if all
     *         {@code len} bytes were consumed inside the current chunk
     */
    public int feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        final int end = off + len;
        int p = off;
        int q = pos;
        long h = hash;

        // Cut-point skipping: bytes before min - WINDOW cannot influence any candidate's window.
        int warmStart = min - WINDOW;
        if (q < warmStart) {
            int n = Math.min(warmStart - q, end - p);
            p += n;
            q += n;
        }
        // Warm-up: hash the first 63 window bytes without testing, so that the first candidate
        // (length min, last byte at position min - 1) already sees a full 64-byte window.
        if (q < min - 1 && p < end) {
            int stop = p + Math.min(min - 1 - q, end - p);
            q += stop - p;
            for (; p < stop; p++) {
                h = (h << 1) + G[b[p] & 0xFF];
            }
        }
        // Candidates with length <= avg: strict mask. Reached only with q >= min - 1.
        if (p < end && q < avg) {
            int from = p;
            int stop = p + Math.min(avg - q, end - p);
            long m = maskS;
            boolean hit = false;
            while (p < stop) {
                h = (h << 1) + G[b[p++] & 0xFF];
                if ((h & m) == 0) {
                    hit = true;
                    break;
                }
            }
            q += p - from;
            if (hit) {
                return completeChunk(p - off, q);
            }
        }
        // Candidates with length > avg: loose mask, and a forced cut at max. Reached only with q >= avg.
        if (p < end) {
            int from = p;
            int stop = p + Math.min(max - q, end - p);
            long m = maskL;
            boolean hit = false;
            while (p < stop) {
                h = (h << 1) + G[b[p++] & 0xFF];
                if ((h & m) == 0) {
                    hit = true;
                    break;
                }
            }
            q += p - from;
            if (hit || q == max) {
                return completeChunk(p - off, q);
            }
        }
        hash = h;
        pos = q;
        return -1;
    }

    /**
     * As {@link #feed(byte[], int, int)} for a segment (any kind: heap, native, mapped; it must be readable
     * by this thread). A segment over a {@code byte[]} is scanned in place; other memory is copied through
     * a 64 KiB scratch array allocated once per chunker.
     *
     * @return bytes of the segment that complete the current chunk, or -1 if the segment ends inside it
     */
    public long feed(MemorySegment segment) {
        return feed(segment, 0);
    }

    /** {@link #feed(MemorySegment)} for {@code segment} from byte {@code from} on; returns bytes consumed from there. */
    private long feed(MemorySegment segment, long from) {
        long size = segment.byteSize() - from;
        if (segment.heapBase().orElse(null) instanceof byte[] array) {
            // For a heap segment, address() is the offset into its array. Read-only heap segments hide
            // their array (empty heapBase) and take the copying path below.
            return feed(array, Math.toIntExact(segment.address() + from), Math.toIntExact(size));
        }
        byte[] s = scratch == null ? (scratch = new byte[SCRATCH_SIZE]) : scratch;
        long done = 0;
        while (done < size) {
            int n = (int) Math.min(s.length, size - done);
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, from + done, s, 0, n);
            int c = feed(s, 0, n);
            if (c >= 0) {
                return done + c;
            }
            done += n;
        }
        return -1;
    }

    /** Feeds a whole piece and reports every chunk it completes to {@code sink}. */
    public void update(byte[] b, int off, int len, ChunkSink sink) {
        Objects.checkFromIndexSize(off, len, b.length);
        while (true) {
            int n = feed(b, off, len);
            if (n < 0) {
                return;
            }
            sink.chunk(lastOffset, lastLength);
            off += n;
            len -= n;
        }
    }

    /** Feeds a whole segment and reports every chunk it completes to {@code sink}. */
    public void update(MemorySegment segment, ChunkSink sink) {
        long from = 0;
        while (true) {
            long n = feed(segment, from);
            if (n < 0) {
                return;
            }
            sink.chunk(lastOffset, lastLength);
            from += n;
        }
    }

    /**
     * Ends the stream: the bytes fed since the last boundary form the last chunk. Then the chunker starts
     * a new stream at offset 0.
     *
     * @return the last chunk's length (then also {@link #lastChunkLength()}), or 0 if the stream was empty
     *         or ended exactly at a boundary (there is no last chunk then)
     */
    public int finish() {
        int length = pos;
        if (length > 0) {
            lastOffset = chunkStart;
            lastLength = length;
        }
        chunkStart = 0;
        pos = 0;
        hash = 0;
        return length;
    }

    /** {@link #finish()}, reporting the last chunk, if any, to {@code sink}. */
    public void finish(ChunkSink sink) {
        long offset = chunkStart;
        int length = finish();
        if (length > 0) {
            sink.chunk(offset, length);
        }
    }

    private int completeChunk(int consumed, int length) {
        lastOffset = chunkStart;
        lastLength = length;
        chunkStart += length;
        pos = 0;
        hash = 0;
        return consumed;
    }

    /**
     * The length of the chunk that starts at {@code buf[off]}, treating {@code off + len} as the end of the
     * stream: the first cut point, or {@code min(len, max)} if there is none. Pure; the same rule as the
     * streaming methods. To split a buffer, call it repeatedly, advancing by the returned length.
     */
    public static int cut(byte[] buf, int off, int len, ChunkerParams p) {
        Objects.checkFromIndexSize(off, len, buf.length);
        int min = p.min();
        if (len <= min) {
            return len;
        }
        int n = Math.min(len, p.max());
        long h = 0;
        int i = off + min - WINDOW;
        for (int stop = off + min - 1; i < stop; i++) {
            h = (h << 1) + G[buf[i] & 0xFF];
        }
        long m = p.maskS();
        for (int stop = off + Math.min(n, p.avg()); i < stop; i++) {
            h = (h << 1) + G[buf[i] & 0xFF];
            if ((h & m) == 0) {
                return i - off + 1;
            }
        }
        m = p.maskL();
        for (int stop = off + n; i < stop; i++) {
            h = (h << 1) + G[buf[i] & 0xFF];
            if ((h & m) == 0) {
                return i - off + 1;
            }
        }
        return n;
    }

    /** All chunks of {@code data} taken as a whole stream, in order (empty for empty data). */
    public static List<ChunkSpan> split(byte[] data, ChunkerParams p) {
        List<ChunkSpan> spans = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            int n = cut(data, off, data.length - off, p);
            spans.add(new ChunkSpan(off, n));
            off += n;
        }
        return spans;
    }
}
