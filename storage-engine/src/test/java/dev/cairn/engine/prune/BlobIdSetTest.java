package dev.cairn.engine.prune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.pack.BlobType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobIdSetTest {
    @Test
    void holdsWhatWasAddedAndNothingElseThroughManyResizes() {
        Random r = new Random(1);
        BlobIdSet set = new BlobIdSet();
        List<byte[]> in = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            in.add(id);
            assertThat(set.add(BlobType.DATA, id)).isTrue();
        }
        assertThat(set.size()).isEqualTo(100_000);
        for (byte[] id : in) {
            assertThat(set.contains(BlobType.DATA, id)).isTrue();
            assertThat(set.add(BlobType.DATA, id)).isFalse();
        }
        for (int i = 0; i < 100_000; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            assertThat(set.contains(BlobType.DATA, id)).isFalse();
        }
        assertThat(set.size()).isEqualTo(100_000);
    }

    @Test
    void theTypeIsPartOfTheBlob() {
        byte[] id = new byte[32];
        new Random(2).nextBytes(id);
        BlobIdSet set = new BlobIdSet();
        set.add(BlobType.TREE, id);
        assertThat(set.contains(BlobType.TREE, id)).isTrue();
        assertThat(set.contains(BlobType.DATA, id)).isFalse();
    }

    @Test
    void aBlobWhoseKeyIsZeroIsKeptToo() {
        // key = first 8 bytes XOR type * golden ratio constant: choose the bytes that cancel it
        long mix = (long) BlobType.DATA.code() * 0x9E3779B97F4A7C15L;
        byte[] id = java.nio.ByteBuffer.allocate(32).putLong(mix).array();
        assertThat(BlobIdSet.key(BlobType.DATA, id)).isZero();
        BlobIdSet set = new BlobIdSet();
        assertThat(set.contains(BlobType.DATA, id)).isFalse();
        assertThat(set.add(BlobType.DATA, id)).isTrue();
        assertThat(set.add(BlobType.DATA, id)).isFalse();
        assertThat(set.contains(BlobType.DATA, id)).isTrue();
        assertThat(set.size()).isEqualTo(1);
    }
}
