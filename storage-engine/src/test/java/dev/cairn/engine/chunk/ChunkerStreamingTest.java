package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Boundaries depend only on the bytes, never on how they are fed (compare Kopia's TestSplitterStability):
 * every feeding pattern, {@code byte[]} or {@link MemorySegment}, push or pull, gives the batch result.
 */
class ChunkerStreamingTest {
    static byte[] random;
    static byte[] structured;

    @BeforeAll
    static void inputs() {
        random = TestInputs.random(TestInputs.SEED, 32 * TestInputs.MIB);
        structured = TestInputs.structured(TestInputs.SEED);
    }

    static Stream<Arguments> inputsAndPresets() {
        return Stream.of(
                Arguments.of("random", ChunkerParams.DEFAULT),
                Arguments.of("random", ChunkerParams.FINE),
                Arguments.of("structured", ChunkerParams.DEFAULT),
                Arguments.of("structured", ChunkerParams.FINE));
    }

    static byte[] input(String name) {
        return name.equals("random") ? random : structured;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("inputsAndPresets")
    void everyPieceSizeGivesTheBatchBoundaries(String name, ChunkerParams p) {
        byte[] data = input(name);
        List<ChunkSpan> batch = Chunker.split(data, p);
        for (int piece : new int[] {1, 7, 4096, TestInputs.MIB, data.length}) {
            assertThat(TestInputs.streamed(data, p, piece)).as("pieces of %d bytes", piece).isEqualTo(batch);
        }
        // Irregular pieces, some empty, some straddling several chunks.
        assertThat(TestInputs.streamed(data, p, 0, 1, 63, 64, 65, 3, 1 << 19, 999_983, 0, 5 << 20))
                .as("cycled irregular pieces").isEqualTo(batch);
        assertThat(TestInputs.streamed(data, p, randomPieces(42, 10 * TestInputs.MIB)))
                .as("random pieces up to 10 MiB").isEqualTo(batch);
        assertThat(TestInputs.streamed(data, p, randomPieces(43, 300))).as("random pieces up to 300 bytes")
                .isEqualTo(batch);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("inputsAndPresets")
    void thePullApiGivesTheBatchBoundaries(String name, ChunkerParams p) {
        byte[] data = input(name);
        int[] pieces = randomPieces(44, 3 * TestInputs.MIB);
        Chunker chunker = new Chunker(p);
        List<ChunkSpan> spans = new ArrayList<>();
        int off = 0;
        for (int k = 0; off < data.length; k++) {
            int len = Math.min(pieces[k % pieces.length], data.length - off);
            int pieceEnd = off + len;
            while (true) {
                int n = chunker.feed(data, off, pieceEnd - off);
                if (n < 0) {
                    break;
                }
                assertThat(n).isBetween(1, pieceEnd - off);
                off += n;
                spans.add(new ChunkSpan(chunker.lastChunkOffset(), chunker.lastChunkLength()));
                assertThat(chunker.lastChunkOffset() + chunker.lastChunkLength()).isEqualTo(off);
            }
            off = pieceEnd;
            assertThat(chunker.position()).isEqualTo(off);
        }
        int last = chunker.finish();
        if (last > 0) {
            spans.add(new ChunkSpan(chunker.lastChunkOffset(), last));
        }
        assertThat(spans).isEqualTo(Chunker.split(data, p));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("inputsAndPresets")
    void memorySegmentsOfEveryKindGiveTheBatchBoundaries(String name, ChunkerParams p) {
        byte[] data = input(name);
        List<ChunkSpan> batch = Chunker.split(data, p);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment nativeCopy = arena.allocate(data.length);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, nativeCopy, 0, data.length);
            MemorySegment offsetHeap = MemorySegment.ofArray(new byte[data.length + 13]).asSlice(13);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, offsetHeap, 0, data.length);
            List<Function<MemorySegment, MemorySegment>> kinds = List.of(s -> s, MemorySegment::asReadOnly);
            for (MemorySegment whole : List.of(nativeCopy, MemorySegment.ofArray(data), offsetHeap)) {
                for (Function<MemorySegment, MemorySegment> kind : kinds) {
                    MemorySegment segment = kind.apply(whole);
                    for (int[] pieces : new int[][] {{7}, {4096}, {TestInputs.MIB}, {data.length},
                            randomPieces(45, 5 * TestInputs.MIB)}) {
                        assertThat(segmentStreamed(segment, p, pieces))
                                .as("%s pieces %d..", segment, pieces[0]).isEqualTo(batch);
                    }
                }
            }
        }
    }

    /** Mixing byte[] and segment pieces in one stream. */
    @Test
    void arraysAndSegmentsMixInOneStream() {
        byte[] data = structured;
        ChunkerParams p = ChunkerParams.FINE;
        Chunker chunker = new Chunker(p);
        List<ChunkSpan> spans = new ArrayList<>();
        ChunkSink sink = (o, l) -> spans.add(new ChunkSpan(o, l));
        try (Arena arena = Arena.ofConfined()) {
            int off = 0;
            SplittableRandom rnd = new SplittableRandom(46);
            while (off < data.length) {
                int n = Math.min(rnd.nextInt(1, 200_000), data.length - off);
                if (rnd.nextBoolean()) {
                    chunker.update(data, off, n, sink);
                } else {
                    MemorySegment s = arena.allocate(n);
                    MemorySegment.copy(MemorySegment.ofArray(data), off, s, 0, n);
                    chunker.update(s, sink);
                }
                off += n;
            }
        }
        chunker.finish(sink);
        assertThat(spans).isEqualTo(Chunker.split(data, p));
    }

    @Test
    void finishStartsANewStreamSoAChunkerCanBeReused() {
        byte[] data = Arrays.copyOf(random, 3 * TestInputs.MIB + 17);
        Chunker chunker = new Chunker(ChunkerParams.FINE);
        List<ChunkSpan> first = new ArrayList<>();
        chunker.update(data, 0, data.length, (o, l) -> first.add(new ChunkSpan(o, l)));
        chunker.finish((o, l) -> first.add(new ChunkSpan(o, l)));
        assertThat(chunker.position()).isZero();
        List<ChunkSpan> second = new ArrayList<>();
        chunker.update(data, 0, data.length, (o, l) -> second.add(new ChunkSpan(o, l)));
        chunker.finish((o, l) -> second.add(new ChunkSpan(o, l)));
        assertThat(second).isEqualTo(first).isEqualTo(Chunker.split(data, ChunkerParams.FINE));
        assertThat(chunker.finish()).as("nothing fed since").isZero();
    }

    @Test
    void streamingKeepsNoDataSoTheCallerMayReuseItsBuffer() {
        byte[] data = Arrays.copyOf(random, 4 * TestInputs.MIB);
        byte[] buffer = new byte[5000];
        Chunker chunker = new Chunker(ChunkerParams.FINE);
        List<ChunkSpan> spans = new ArrayList<>();
        for (int off = 0; off < data.length; off += buffer.length) {
            int n = Math.min(buffer.length, data.length - off);
            System.arraycopy(data, off, buffer, 0, n);
            chunker.update(buffer, 0, n, (o, l) -> spans.add(new ChunkSpan(o, l)));
            Arrays.fill(buffer, (byte) 0x5a); // scribble over what the chunker saw
        }
        chunker.finish((o, l) -> spans.add(new ChunkSpan(o, l)));
        assertThat(spans).isEqualTo(Chunker.split(data, ChunkerParams.FINE));
    }

    @Test
    void badSlicesAreRejected() {
        Chunker chunker = new Chunker(ChunkerParams.FINE);
        assertThatThrownBy(() -> chunker.feed(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> chunker.feed(new byte[10], -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Chunker.cut(new byte[10], 0, 11, ChunkerParams.FINE))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(chunker.position()).isZero();
        assertThat(chunker.feed(new byte[10], 10, 0)).isEqualTo(-1);
        assertThat(chunker.lastChunkOffset()).isEqualTo(-1);
        assertThat(chunker.lastChunkLength()).isZero();
    }

    static List<ChunkSpan> segmentStreamed(MemorySegment data, ChunkerParams p, int[] pieces) {
        Chunker chunker = new Chunker(p);
        List<ChunkSpan> spans = new ArrayList<>();
        ChunkSink sink = (offset, length) -> spans.add(new ChunkSpan(offset, length));
        long off = 0;
        for (int k = 0; off < data.byteSize(); k++) {
            long n = Math.min(pieces[k % pieces.length], data.byteSize() - off);
            chunker.update(data.asSlice(off, n), sink);
            off += n;
        }
        chunker.finish(sink);
        return spans;
    }

    /** 1000 piece sizes, uniform in 0..bound (0 included: empty pieces must be harmless). */
    static int[] randomPieces(long seed, int bound) {
        return new SplittableRandom(seed).ints(1000, 0, bound + 1).toArray();
    }
}
