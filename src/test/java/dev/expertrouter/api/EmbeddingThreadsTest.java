package dev.expertrouter.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddingThreadsTest {

    @Test
    void unsetMeansOnePerCoreAndASetValueIsKept() {
        assertThat(RequestRouter.embeddingThreads(Optional.empty(), 2)).isEqualTo(2);
        assertThat(RequestRouter.embeddingThreads(Optional.of(5), 2)).isEqualTo(5);
    }

    @Test
    void belowOneIsRefusedNamingTheSetting() {
        for (int bad : new int[] {0, -3}) {
            assertThatThrownBy(() -> RequestRouter.embeddingThreads(Optional.of(bad), 2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("router.embedding-threads").hasMessageContaining(String.valueOf(bad));
        }
    }
}
