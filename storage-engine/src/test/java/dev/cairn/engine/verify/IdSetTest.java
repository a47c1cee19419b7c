package dev.cairn.engine.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdSetTest {
    @Test
    void holdsEveryIdOnceThroughManyGrowths() {
        Random r = new Random(7);
        List<byte[]> ids = new ArrayList<>();
        IdSet set = new IdSet();
        for (int i = 0; i < 100_000; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            if (i % 10 == 0) {
                id[0] = 0; // colliding first words: probing must compare all 32 bytes
                id[1] = 0;
                id[2] = 0;
                id[3] = 0;
                id[4] = 0;
                id[5] = 0;
                id[6] = 0;
                id[7] = 0;
            }
            ids.add(id);
            assertThat(set.add(id)).isTrue();
        }
        assertThat(set.size()).isEqualTo(100_000);
        for (byte[] id : ids) {
            assertThat(set.contains(id)).isTrue();
            assertThat(set.add(id.clone())).isFalse();
        }
        byte[] absent = new byte[32];
        r.nextBytes(absent);
        assertThat(set.contains(absent)).isFalse();

        byte[] zero = new byte[32];
        assertThat(set.contains(zero)).isFalse();
        assertThat(set.add(zero)).isTrue();
        assertThat(set.add(zero)).isFalse();
        assertThat(set.contains(zero)).isTrue();
        assertThat(set.size()).isEqualTo(100_001);
    }
}
