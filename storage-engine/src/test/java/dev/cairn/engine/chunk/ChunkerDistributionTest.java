package dev.cairn.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Chunk sizes on random input match the model of docs/formats/chunking.md ("Chunk size distribution"):
 * every candidate is a cut with probability 2^-bits(mask), independently, so the expected mean and standard
 * deviation follow from the parameters alone. Normalized chunking keeps sizes close together (standard
 * deviation about 0.3 avg instead of 1.0 avg at level 0); cut-point skipping puts the mean above avg, by
 * about 19% for DEFAULT and 14% for FINE.
 */
class ChunkerDistributionTest {
    /** Complete chunks of one chunker; the stream's partial last chunk is left out. */
    static final class Stats implements ChunkSink {
        long count;
        double sum;
        double sumSquares;

        @Override
        public void chunk(long offset, int length) {
            count++;
            sum += length;
            sumSquares += (double) length * length;
        }

        double mean() {
            return sum / count;
        }

        double std() {
            return Math.sqrt(sumSquares / count - mean() * mean());
        }
    }

    /** Expected mean and standard deviation of a chunk's length under the independence model. */
    static double[] model(ChunkerParams p) {
        double pS = Math.pow(2, -Long.bitCount(p.maskS()));
        double pL = Math.pow(2, -Long.bitCount(p.maskL()));
        double survive = 1;
        double e = 0;
        double e2 = 0;
        for (int l = p.min(); l <= p.max(); l++) {
            double cut = l == p.max() ? 1 : l <= p.avg() ? pS : pL;
            e += survive * cut * l;
            e2 += survive * cut * l * (double) l;
            survive *= 1 - cut;
        }
        return new double[] {e, Math.sqrt(e2 - e * e)};
    }

    @Test
    void meanAndSpreadMatchTheModel() {
        ChunkerParams level0 = new ChunkerParams(512 << 10, 1 << 20, 8 << 20, 0);
        Stats fine = new Stats();
        Stats standard = new Stats();
        Stats unnormalized = new Stats();
        Chunker fineChunker = new Chunker(ChunkerParams.FINE);
        Chunker defaultChunker = new Chunker(ChunkerParams.DEFAULT);
        Chunker level0Chunker = new Chunker(level0);
        SplittableRandom rnd = new SplittableRandom(TestInputs.SEED);
        byte[] buf = new byte[TestInputs.MIB];
        for (int mib = 0; mib < 1024; mib++) { // 1 GiB; the first 32 MiB are the golden random input
            TestInputs.fillRandom(rnd, buf);
            defaultChunker.update(buf, 0, buf.length, standard);
            level0Chunker.update(buf, 0, buf.length, unnormalized);
            if (mib < 256) {
                fineChunker.update(buf, 0, buf.length, fine);
            }
        }
        report("FINE, 256 MiB", ChunkerParams.FINE, fine);
        report("DEFAULT, 1 GiB", ChunkerParams.DEFAULT, standard);
        report("DEFAULT at level 0, 1 GiB", level0, unnormalized);

        // Pinned: what this input gives (the mean follows from the count).
        assertThat(fine.count).isEqualTo(3559); // mean 75416 = 1.151 avg, std 22732 = 0.347 avg
        assertThat(standard.count).isEqualTo(872); // mean 1231205 = 1.174 avg, std 277062 = 0.264 avg
        assertThat(unnormalized.count).isEqualTo(673); // mean 1594870 = 1.521 avg, std 1042803 = 0.994 avg

        // Standard errors of the mean: 0.6% (FINE), 1% (DEFAULT), 3.6% (level 0).
        assertMatchesModel(ChunkerParams.FINE, fine, 0.03);
        assertMatchesModel(ChunkerParams.DEFAULT, standard, 0.04);
        assertMatchesModel(level0, unnormalized, 0.12);
        // The model itself: the expected mean is 1.141 avg for FINE and 1.191 avg for DEFAULT. No chunk is
        // shorter than min, so the mean sits above avg; "within 15% of avg" would hold for FINE only just and
        // not for DEFAULT (docs/formats/chunking.md, "Chunk size distribution").
        assertThat(model(ChunkerParams.FINE)[0] / ChunkerParams.FINE.avg()).isCloseTo(1.141, within(0.001));
        assertThat(model(ChunkerParams.DEFAULT)[0] / ChunkerParams.DEFAULT.avg()).isCloseTo(1.191, within(0.001));
        assertThat(fine.mean() / ChunkerParams.FINE.avg()).isBetween(1.0, 1.25);
        assertThat(standard.mean() / ChunkerParams.DEFAULT.avg()).isBetween(1.0, 1.25);
        // Normalization keeps sizes close together: level 2 against level 0 at the same sizes.
        assertThat(standard.std()).isLessThan(0.5 * unnormalized.std());
        assertThat(standard.std() / ChunkerParams.DEFAULT.avg()).isLessThan(0.35);
        assertThat(fine.std() / ChunkerParams.FINE.avg()).isLessThan(0.4);
    }

    private static void assertMatchesModel(ChunkerParams p, Stats s, double meanTolerance) {
        double[] m = model(p);
        assertThat(s.mean() / m[0]).as("%s mean / model mean", p).isCloseTo(1.0, within(meanTolerance));
        assertThat(s.std() / m[1]).as("%s std / model std", p).isCloseTo(1.0, within(0.15));
    }

    private static void report(String what, ChunkerParams p, Stats s) {
        double[] m = model(p);
        System.out.printf("%s: %d chunks, mean %.0f (%.3f avg; model %.0f = %.3f avg), std %.0f (%.3f avg; model %.0f)%n",
                what, s.count, s.mean(), s.mean() / p.avg(), m[0], m[0] / p.avg(), s.std(), s.std() / p.avg(), m[1]);
    }
}
