package dev.expertrouter.routing.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddingThreadsTest {

    @Test
    void unsetMeansOnePerCoreAndASetValueIsKept() {
        assertThat(EmbeddingPool.embeddingThreads(Optional.empty(), 2)).isEqualTo(2);
        assertThat(EmbeddingPool.embeddingThreads(Optional.of(5), 2)).isEqualTo(5);
    }

    @Test
    void belowOneIsRefusedNamingTheSetting() {
        for (int bad : new int[] {0, -3}) {
            assertThatThrownBy(() -> EmbeddingPool.embeddingThreads(Optional.of(bad), 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("router.embedding-threads").hasMessageContaining(String.valueOf(bad));
        }
    }
}
