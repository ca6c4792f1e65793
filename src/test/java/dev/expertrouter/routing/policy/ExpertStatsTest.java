package dev.expertrouter.routing.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpertStatsTest {

    @Test
    void latencyIsAnEwmaStartingAtTheFirstSample() {
        ExpertStats stats = new ExpertStats(256, 0.5, 20);
        assertThat(stats.latencyMs("x")).isEmpty();
        assertThat(stats.latencyMs("x", 700)).isEqualTo(700);

        stats.recordLatency("x", 100);
        stats.recordLatency("x", 300);
        stats.recordLatency("x", -5);

        // 100, then 100 + 0.5 x (300 - 100) = 200; negative samples ignored
        assertThat(stats.latencyMs("x").getAsDouble()).isEqualTo(200);
    }

    @Test
    void outputTokensAreAMeanPerExpertAndDomainWithADefault() {
        ExpertStats stats = new ExpertStats(256, 0.2, 20);
        stats.recordOutputTokens("x", "code", 100);
        stats.recordOutputTokens("x", "code", 300);

        assertThat(stats.expectedOutputTokens("x", "code")).isEqualTo(200);
        assertThat(stats.expectedOutputTokens("x", "math")).isEqualTo(256);
        assertThat(stats.expectedOutputTokens("y", "code")).isEqualTo(256);
    }

    @Test
    void qualityBlendsThePriorWithFeedbackLikeABetaPosteriorMean() {
        ExpertStats stats = new ExpertStats(256, 0.2, 10);
        assertThat(stats.quality("x", "legal", 0.6)).isEqualTo(0.6);

        for (int i = 0; i < 10; i++) {
            stats.recordFeedback("x", "legal", 0.2);
        }

        // (10 x 0.6 + 10 x 0.2) / 20
        assertThat(stats.quality("x", "legal", 0.6)).isCloseTo(0.4, within(1e-12));
        assertThat(stats.feedbackCount("x", "legal")).isEqualTo(10);
        assertThat(stats.quality("x", "medical", 0.6)).isEqualTo(0.6);
    }

    @Test
    void badArgumentsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> new ExpertStats(0, 0.2, 20)).hasMessageContaining("defaultOutputTokens");
        assertThatThrownBy(() -> new ExpertStats(256, 0, 20)).hasMessageContaining("latencyAlpha");
        assertThatThrownBy(() -> new ExpertStats().recordFeedback("x", "d", 1.5)).hasMessageContaining("0..1");
    }

    @Test
    void concurrentUpdatesAreAllCounted() throws Exception {
        ExpertStats stats = new ExpertStats();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 5_000; i++) {
                    stats.recordFeedback("x", "code", 1.0);
                    stats.recordOutputTokens("x", "code", 10);
                    stats.recordLatency("x", 50);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(stats.feedbackCount("x", "code")).isEqualTo(20_000);
        assertThat(stats.expectedOutputTokens("x", "code")).isEqualTo(10);
        assertThat(stats.latencyMs("x").getAsDouble()).isEqualTo(50);
    }
}
