package dev.cairn.engine.chunk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded inputs of the chunker tests, defined exactly (docs/formats/chunking.md, "Worked examples")
 * so that another implementation can regenerate them.
 */
final class TestInputs {
    static final long SEED = 20261128L;
    static final int MIB = 1 << 20;

    /** 64 words, so that a 6-bit number picks one. */
    static final String[] VOCABULARY = {
        "patient", "visit", "dose", "mg", "ml", "daily", "twice", "tablet",
        "blood", "pressure", "normal", "follow-up", "referral", "clinic", "doctor", "nurse",
        "allergy", "none", "known", "history", "chest", "pain", "cough", "fever",
        "left", "right", "knee", "shoulder", "x-ray", "ultrasound", "result", "pending",
        "signed", "by", "dr.", "on", "the", "and", "of", "with",
        "no", "yes", "insulin", "glucose", "level", "weight", "kg", "height",
        "cm", "pulse", "bpm", "temperature", "38.5", "37.2", "prescribed", "amoxicillin",
        "ibuprofen", "paracetamol", "2026-11-28", "room", "3", "12", "notes:", "ok",
    };

    static final int DOCUMENT_SIZE = 1 << 20;
    static final int COPIES = 32;
    static final int EDITS_PER_COPY = 16;

    private TestInputs() {
    }

    /**
     * {@code size} pseudo-random bytes: {@code new SplittableRandom(seed)}, each {@code nextLong()} gives the
     * next 8 bytes, least significant byte first.
     */
    static byte[] random(long seed, int size) {
        byte[] out = new byte[size];
        fillRandom(new SplittableRandom(seed), out);
        return out;
    }

    /**
     * Fills {@code buf} with the next bytes of the {@link #random} stream of {@code rnd}; buffers whose
     * length is a multiple of 8 continue the stream exactly.
     */
    static void fillRandom(SplittableRandom rnd, byte[] buf) {
        int i = 0;
        for (; i + 8 <= buf.length; i += 8) {
            LONG_LE.set(buf, i, rnd.nextLong());
        }
        if (i < buf.length) {
            long x = rnd.nextLong();
            for (int k = 0; i < buf.length; k++, i++) {
                buf[i] = (byte) (x >>> (8 * k));
            }
        }
    }

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Structured text, 32 MiB: a 1 MiB document of words from {@link #VOCABULARY}, repeated 32 times, each
     * copy with 16 one-byte substitutions. All randomness is {@code nextLong()} of one
     * {@code SplittableRandom(seed)}: for the document, per word {@code x}: word {@code x >>> 58}, then a
     * newline if {@code (x & 15) == 0} else a space, until 1 MiB (the last word is cut off there); then per
     * copy and edit {@code x}: the byte at {@code x >>> 44} becomes {@code 'A' + (x & 15)}.
     */
    static byte[] structured(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] doc = new byte[DOCUMENT_SIZE];
        int n = 0;
        while (n < DOCUMENT_SIZE) {
            long x = rnd.nextLong();
            byte[] word = VOCABULARY[(int) (x >>> 58)].getBytes(StandardCharsets.US_ASCII);
            for (int k = 0; k < word.length && n < DOCUMENT_SIZE; k++) {
                doc[n++] = word[k];
            }
            if (n < DOCUMENT_SIZE) {
                doc[n++] = (byte) ((x & 15) == 0 ? '\n' : ' ');
            }
        }
        byte[] out = new byte[COPIES * DOCUMENT_SIZE];
        for (int c = 0; c < COPIES; c++) {
            System.arraycopy(doc, 0, out, c * DOCUMENT_SIZE, DOCUMENT_SIZE);
            for (int e = 0; e < EDITS_PER_COPY; e++) {
                long x = rnd.nextLong();
                out[c * DOCUMENT_SIZE + (int) (x >>> 44)] = (byte) ('A' + (x & 15));
            }
        }
        return out;
    }

    static int[] lengths(List<ChunkSpan> spans) {
        return spans.stream().mapToInt(ChunkSpan::length).toArray();
    }

    /** Boundaries found by streaming {@code data} through a chunker in pieces of the given sizes, cycled. */
    static List<ChunkSpan> streamed(byte[] data, ChunkerParams p, int... pieceSizes) {
        Chunker chunker = new Chunker(p);
        List<ChunkSpan> spans = new ArrayList<>();
        ChunkSink sink = (offset, length) -> spans.add(new ChunkSpan(offset, length));
        int off = 0;
        for (int k = 0; off < data.length; k++) {
            int n = Math.min(pieceSizes[k % pieceSizes.length], data.length - off);
            chunker.update(data, off, n, sink);
            off += n;
        }
        chunker.finish(sink);
        return spans;
    }

    static byte[] sha256(byte[] data, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
