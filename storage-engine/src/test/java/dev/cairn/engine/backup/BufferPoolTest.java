package dev.cairn.engine.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void everyArrayHoldsTheZstdWorstCaseOfItsRequest() {
        BufferPool pool = new BufferPool(64 << 20);
        for (int len : new int[] {1, 64, 4095, 65536, 65537, 262144, 1 << 20, (1 << 20) + 1, 8 << 20, (8 << 20) + 1, 20 << 20}) {
            byte[] b = pool.get(len);
            assertThat(b.length).as("len %d", len).isGreaterThanOrEqualTo((int) Zstd.compressBound(len));
        }
    }

    @Test
    void arraysAreReusedWithinTheirClassAndTheIdleCapHolds() {
        BufferPool pool = new BufferPool(3 * BufferPool.capacity(20));
        byte[] a = pool.get(700_000);
        assertThat(a.length).isEqualTo(BufferPool.capacity(20));
        pool.put(a);
        assertThat(pool.get(1 << 20)).isSameAs(a);
        assertThat(pool.get(600_000)).isNotSameAs(a);

        for (int i = 0; i < 5; i++) {
            pool.put(new byte[BufferPool.capacity(20)]);
        }
        assertThat(pool.idleBytes()).isEqualTo(3L * BufferPool.capacity(20));
        pool.put(new byte[12345]); // not a class length: left to the GC
        pool.put(new byte[(24 << 20) + 1024]);
        assertThat(pool.idleBytes()).isEqualTo(3L * BufferPool.capacity(20));
        // small arrays returned now displace the idle large ones instead of being dropped
        for (int i = 0; i < 40; i++) {
            pool.put(new byte[BufferPool.capacity(16)]);
        }
        assertThat(pool.idleBytes()).isEqualTo(40L * BufferPool.capacity(16)); // all three 1 MiB arrays gave way
        byte[] small = pool.get(1000);
        assertThat(small.length).isEqualTo(BufferPool.capacity(16));
        assertThat(pool.get(1 << 20)).isNotNull();
        assertThat(BufferPool.classOf(1)).isEqualTo(BufferPool.MIN_SHIFT);
        assertThat(BufferPool.classOf((8 << 20) + 1)).isEqualTo(-1);
    }
}
