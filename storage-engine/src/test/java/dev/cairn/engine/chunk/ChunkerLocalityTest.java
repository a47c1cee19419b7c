package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A one-byte edit in the middle of 64 MiB changes only the chunks around it: the chunks before it are the
 * same, and after a chunk or two the boundaries re-synchronise, so almost every chunk still deduplicates.
 */
class ChunkerLocalityTest {
    static final int SIZE = 64 * TestInputs.MIB;
    static final int EDIT_AT = SIZE / 2;
    static byte[] original;

    @BeforeAll
    static void input() {
        original = TestInputs.random(TestInputs.SEED, SIZE);
    }

    static Stream<Arguments> editsAndPresets() {
        return Stream.of("insert", "delete", "overwrite").flatMap(edit -> Stream.of(
                Arguments.of(edit, ChunkerParams.DEFAULT), Arguments.of(edit, ChunkerParams.FINE)));
    }

    @ParameterizedTest(name = "{0} one byte, {1}")
    @MethodSource("editsAndPresets")
    void aOneByteEditChangesOnlyTheChunksAroundIt(String edit, ChunkerParams p) {
        byte[] edited = switch (edit) {
            case "insert" -> {
                byte[] e = new byte[SIZE + 1];
                System.arraycopy(original, 0, e, 0, EDIT_AT);
                e[EDIT_AT] = 0x42;
                System.arraycopy(original, EDIT_AT, e, EDIT_AT + 1, SIZE - EDIT_AT);
                yield e;
            }
            case "delete" -> {
                byte[] e = new byte[SIZE - 1];
                System.arraycopy(original, 0, e, 0, EDIT_AT);
                System.arraycopy(original, EDIT_AT + 1, e, EDIT_AT, SIZE - EDIT_AT - 1);
                yield e;
            }
            default -> {
                byte[] e = original.clone();
                e[EDIT_AT] ^= 0x01;
                yield e;
            }
        };
        List<ChunkSpan> before = Chunker.split(original, p);
        List<ChunkSpan> after = Chunker.split(edited, p);

        // Every chunk that ends at or before the edit is untouched, boundaries included.
        List<ChunkSpan> prefix = before.stream().filter(s -> s.end() <= EDIT_AT).toList();
        assertThat(after.subList(0, prefix.size())).isEqualTo(prefix);

        Set<String> known = new HashSet<>();
        for (ChunkSpan s : before) {
            known.add(hash(original, s));
        }
        int shared = 0;
        for (ChunkSpan s : after) {
            if (known.contains(hash(edited, s))) {
                shared++;
            }
        }
        int changed = after.size() - shared;
        System.out.printf("%s one byte, %s: %d of %d chunks shared (%.1f%%), %d new%n", edit, p, shared, after.size(),
                100.0 * shared / after.size(), changed);
        assertThat((double) shared / after.size()).as("shared fraction").isGreaterThanOrEqualTo(0.95);
        // Re-synchronised: after the new chunks, every chunk is an old one, to the end of the stream.
        List<ChunkSpan> tail = after.subList(prefix.size() + changed, after.size());
        for (ChunkSpan s : tail) {
            assertThat(known).contains(hash(edited, s));
        }
        assertThat(changed).as("new chunks").isBetween(1, 3);
    }

    /** The middle is one place; edits at 32 random places (FINE, 16 MiB) re-synchronise just as fast. */
    @Test
    void insertionsAnywhereResynchroniseWithinAFewChunks() {
        byte[] base = Arrays.copyOf(original, 16 * TestInputs.MIB);
        ChunkerParams p = ChunkerParams.FINE;
        List<ChunkSpan> before = Chunker.split(base, p);
        Set<String> known = new HashSet<>();
        for (ChunkSpan s : before) {
            known.add(hash(base, s));
        }
        SplittableRandom rnd = new SplittableRandom(47);
        int[] histogram = new int[4];
        for (int k = 0; k < 32; k++) {
            int at = rnd.nextInt(base.length + 1);
            byte[] edited = new byte[base.length + 1];
            System.arraycopy(base, 0, edited, 0, at);
            edited[at] = (byte) rnd.nextInt(256);
            System.arraycopy(base, at, edited, at + 1, base.length - at);
            int changed = 0;
            for (ChunkSpan s : Chunker.split(edited, p)) {
                if (!known.contains(hash(edited, s))) {
                    changed++;
                }
            }
            assertThat(changed).as("new chunks after inserting at %d", at).isBetween(1, 3);
            histogram[changed]++;
        }
        System.out.printf("FINE, 32 random insertions: %d needed 1 new chunk, %d needed 2, %d needed 3%n",
                histogram[1], histogram[2], histogram[3]);
    }

    static String hash(byte[] data, ChunkSpan s) {
        return HexFormat.of().formatHex(TestInputs.sha256(data, (int) s.offset(), s.length()));
    }
}
