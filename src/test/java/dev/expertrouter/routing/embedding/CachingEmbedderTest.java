package dev.expertrouter.routing.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final PromptEmbedder counting = new PromptEmbedder() {
        @Override
        public String id() {
            return "fake";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public float[] embed(String text) {
            calls.incrementAndGet();
            return new float[] {text.length(), 1};
        }
    };

    @Test
    void repeatedPromptSkipsTheModel() {
        CachingEmbedder cache = new CachingEmbedder(counting, 10);
        float[] first = cache.embed("hello");
        float[] second = cache.embed("hello");
        assertThat(second).containsExactly(first);
        assertThat(calls).hasValue(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void evictsLeastRecentlyUsedBeyondItsBound() {
        CachingEmbedder cache = new CachingEmbedder(counting, 2);
        cache.embed("a");
        cache.embed("b");
        cache.embed("a");
        cache.embed("c"); // evicts b
        assertThat(cache.size()).isEqualTo(2);
        cache.embed("a");
        assertThat(calls).hasValue(3);
        cache.embed("b");
        assertThat(calls).hasValue(4);
    }

    @Test
    void callersCannotCorruptCachedVectors() {
        CachingEmbedder cache = new CachingEmbedder(counting, 2);
        cache.embed("abc")[0] = 99;
        assertThat(cache.embed("abc")[0]).isEqualTo(3f);
    }
}
