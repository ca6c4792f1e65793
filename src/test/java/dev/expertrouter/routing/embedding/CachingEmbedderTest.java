package dev.expertrouter.routing.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.testing.FakeEmbedder;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {

    private final FakeEmbedder counting = new FakeEmbedder(text -> new float[] {text.length(), 1});
    private final AtomicInteger calls = counting.calls;

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

    @Test
    void aTurnReadInContextIsCachedWithItsText() {
        AtomicInteger pairs = new AtomicInteger();
        FakeEmbedder inContext = new FakeEmbedder(text -> new float[] {text.length(), 1}) {
            @Override
            public float[][] embedWithTail(String text, String tail) {
                pairs.incrementAndGet();
                return new float[][] {embed(text), {tail.length(), 2}};
            }
        };
        CachingEmbedder cache = new CachingEmbedder(inContext, 10);
        AtomicInteger calls = inContext.calls;

        float[][] first = cache.embedWithTail("opening\nwhy?", "why?");
        float[][] again = cache.embedWithTail("opening\nwhy?", "why?");
        float[][] otherContext = cache.embedWithTail("another opening\nwhy?", "why?");

        assertThat(again[0]).containsExactly(first[0]);
        assertThat(again[1]).containsExactly(4, 2);
        assertThat(pairs).hasValue(2); // the same turn after another text is read again
        assertThat(otherContext[0]).containsExactly(20, 1);
        cache.embed("opening\nwhy?"); // the routed text alone comes from the cache too
        assertThat(calls).hasValue(2);
        again[1][0] = 99;
        assertThat(cache.embedWithTail("opening\nwhy?", "why?")[1][0]).isEqualTo(4f);
    }

    @Test
    void anEmbedderThatCannotReadInContextEmbedsTheTailOnItsOwn() {
        float[][] both = counting.embedWithTail("opening\nwhy?", "why?");

        assertThat(both[0]).containsExactly(12, 1);
        assertThat(both[1]).containsExactly(4, 1);
    }
}
