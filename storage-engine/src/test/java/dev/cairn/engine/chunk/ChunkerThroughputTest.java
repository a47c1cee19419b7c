package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plain-loop micro-benchmark: prints MB/s (to target/surefire-reports/...ChunkerThroughputTest-output.txt)
 * and asserts nothing about time, only that every path finds the same chunks. Throughput counts every input
 * byte, including the ones cut-point skipping never hashes. Not JMH: the first rounds include JIT warm-up,
 * read the last ones.
 */
class ChunkerThroughputTest {
    static final int SIZE = 256 * TestInputs.MIB;
    static final int ROUNDS = 4;

    @Test
    void throughput() {
        byte[] data = TestInputs.random(1, SIZE);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offHeap = arena.allocate(SIZE);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, offHeap, 0, SIZE);
            for (ChunkerParams p : List.of(ChunkerParams.DEFAULT, ChunkerParams.FINE)) {
                for (int round = 1; round <= ROUNDS; round++) {
                    long t0 = System.nanoTime();
                    int batch = 0;
                    for (int off = 0; off < SIZE; batch++) {
                        off += Chunker.cut(data, off, SIZE - off, p);
                    }
                    long t1 = System.nanoTime();
                    int streamed = streamArray(data, p);
                    long t2 = System.nanoTime();
                    int segment = streamSegment(offHeap, p);
                    long t3 = System.nanoTime();
                    System.out.printf("avg %7d round %d: cut() %5.0f MB/s, feed(byte[], 1 MiB pieces) %5.0f MB/s, "
                            + "feed(native MemorySegment, 1 MiB pieces) %5.0f MB/s; %d chunks%n", p.avg(), round,
                            mbps(t1 - t0), mbps(t2 - t1), mbps(t3 - t2), batch);
                    assertThat(streamed).isEqualTo(batch);
                    assertThat(segment).isEqualTo(batch);
                }
            }
        }
    }

    private static int streamArray(byte[] data, ChunkerParams p) {
        Chunker chunker = new Chunker(p);
        int chunks = 0;
        for (int piece = 0; piece < SIZE; piece += TestInputs.MIB) {
            int off = piece;
            int len = TestInputs.MIB;
            for (int n; (n = chunker.feed(data, off, len)) >= 0; off += n, len -= n) {
                chunks++;
            }
        }
        return chunks + (chunker.finish() > 0 ? 1 : 0);
    }

    private static int streamSegment(MemorySegment data, ChunkerParams p) {
        Chunker chunker = new Chunker(p);
        int chunks = 0;
        for (long piece = 0; piece < SIZE; piece += TestInputs.MIB) {
            MemorySegment rest = data.asSlice(piece, TestInputs.MIB);
            for (long n; (n = chunker.feed(rest)) >= 0; rest = rest.asSlice(n)) {
                chunks++;
            }
        }
        return chunks + (chunker.finish() > 0 ? 1 : 0);
    }

    private static double mbps(long nanos) {
        return SIZE / 1e6 / (nanos / 1e9);
    }
}
