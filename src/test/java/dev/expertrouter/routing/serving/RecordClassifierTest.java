package dev.expertrouter.routing.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecordClassifierTest {

    private static ChatPrompt prompt(String text) {
        return new ChatPrompt(List.of(new ChatPrompt.Turn("user", text)));
    }

    private static Classification domainOf(ChatPrompt p) {
        return new Classification(p.turns().get(0).text(), 1, Map.of(), "test", null);
    }

    @Test
    void classifiesQueuedPromptsInOrderAndHandsThemOn() {
        List<String> seen = new ArrayList<>();
        RecordClassifier c = new RecordClassifier(RecordClassifierTest::domainOf, 4, 1.0, System::nanoTime, n -> { }, false);
        assertThat(c.submit(prompt("math"), x -> seen.add(x.domain()))).isTrue();
        assertThat(c.submit(prompt("code"), x -> seen.add(x.domain()))).isTrue();
        assertThat(c.runOne()).isTrue();
        assertThat(c.runOne()).isTrue();
        assertThat(c.runOne()).isFalse();
        assertThat(seen).containsExactly("math", "code");
        assertThat(c.classified()).isEqualTo(2);
    }

    @Test
    void dropsAndCountsWhenTheQueueIsFull() {
        RecordClassifier c = new RecordClassifier(RecordClassifierTest::domainOf, 2, 1.0, System::nanoTime, n -> { }, false);
        assertThat(c.submit(prompt("a"), x -> { })).isTrue();
        assertThat(c.submit(prompt("b"), x -> { })).isTrue();
        assertThat(c.submit(prompt("c"), x -> { })).isFalse();
        assertThat(c.dropped()).isEqualTo(1);
        assertThat(c.waiting()).isEqualTo(2);
        c.runOne();
        assertThat(c.submit(prompt("d"), x -> { })).isTrue();
        assertThat(c.dropped()).isEqualTo(1);
    }

    @Test
    void restsInProportionToTheWorkSoItKeepsToItsShareOfACore() {
        AtomicLong clock = new AtomicLong();
        List<Long> rests = new ArrayList<>();
        RecordClassifier c = new RecordClassifier(p -> {
            clock.addAndGet(8_000_000); // 8 ms of "embedding"
            return domainOf(p);
        }, 4, 0.25, clock::get, rests::add, false);
        c.submit(prompt("x"), x -> { });
        c.runOne();
        assertThat(rests).containsExactly(24_000_000L); // 8 ms busy at a 25% share: rest 24 ms
        assertThat(RecordClassifier.restNanos(10, 1.0)).isZero();
        assertThat(RecordClassifier.restNanos(0, 0.1)).isZero();
    }

    @Test
    void aFailingClassificationIsHandedOnAsNullAndTheWorkerGoesOn() {
        List<Classification> seen = new ArrayList<>();
        RecordClassifier c = new RecordClassifier(p -> {
            throw new IllegalStateException("boom");
        }, 4, 1.0, System::nanoTime, n -> { }, false);
        c.submit(prompt("x"), seen::add);
        assertThat(c.runOne()).isTrue();
        assertThat(seen).containsExactly((Classification) null);
        assertThat(c.classified()).isZero();
    }

    @Test
    void theWorkerThreadDrainsTheQueue() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RecordClassifier c = new RecordClassifier(RecordClassifierTest::domainOf, 8, 1.0)) {
            c.submit(prompt("math"), x -> seen.add(x.domain()));
            c.submit(prompt("law"), x -> seen.add(x.domain()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(seen).containsExactly("math", "law");
        }
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new RecordClassifier(RecordClassifierTest::domainOf, 0, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordClassifier(RecordClassifierTest::domainOf, 4, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordClassifier(RecordClassifierTest::domainOf, 4, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
