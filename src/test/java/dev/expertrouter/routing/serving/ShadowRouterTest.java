package dev.expertrouter.routing.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.outcomes.OutcomeRecord;
import dev.expertrouter.routing.classifier.DenseLayerWeights;
import dev.expertrouter.routing.classifier.MlpHead;
import dev.expertrouter.routing.classifier.RouterModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowRouterTest {

    /**
     * A two-domain model over 2-d embeddings that answers "a" when x > y: one linear layer via a
     * single member whose logits are the inputs themselves.
     */
    static RouterModel model(String version) {
        MlpHead identity = new MlpHead(List.of(new DenseLayerWeights(2, 2, new float[] {1, 0, 0, 1},
                new float[] {0, 0}, false)));
        return new RouterModel(version, "emb", List.of("a", "b"), new int[] {0, 1}, List.of(identity), 0.1);
    }

    static OutcomeRecord outcome(String id, String servedDomain, float[] embedding, String embedderId) {
        return new OutcomeRecord(id, Instant.EPOCH, "t", "p", "v1", servedDomain, 0.9, Map.of(), false, "e", List.of(),
                List.of(), 200, null, 200, false, 1, 1, 1, 0, 0, "h", embedding, embedderId, 1, null, false, null, false);
    }

    static ShadowRouter.Stats await(ShadowRouter shadow, long scored) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ShadowRouter.Stats s = shadow.stats().orElseThrow();
            if (s.scored() >= scored) {
                return s;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the shadow scored " + shadow.stats().orElseThrow().scored() + " of " + scored);
    }

    @Test
    void countsAgreementAndWouldBeDecisionsOffTheCallersThread() throws Exception {
        try (ShadowRouter shadow = new ShadowRouter(1.0, 100)) {
            shadow.onOutcome(outcome("ignored-before-any-shadow", "a", new float[] {1, 0}, "emb"));
            assertThat(shadow.stats()).isEmpty();
            shadow.shadow(model("v2"));
            for (int i = 0; i < 10; i++) {
                // served "a" every time; the shadow says "a" for the first 6 (x > y), "b" for the rest
                shadow.onOutcome(outcome("r" + i, "a", i < 6 ? new float[] {1, 0} : new float[] {0, 1}, "emb"));
            }
            shadow.onOutcome(outcome("other-space", "a", new float[] {1, 0}, "another-embedder"));
            shadow.onOutcome(outcome("no-embedding", "a", null, null));
            ShadowRouter.Stats s = await(shadow, 10);
            assertThat(s.version()).isEqualTo("v2");
            assertThat(s.agreed()).isEqualTo(6);
            assertThat(s.agreementRate()).isEqualTo(0.6);
            assertThat(s.wouldBeDomains()).containsExactlyInAnyOrderEntriesOf(Map.of("a", 6L, "b", 4L));
            assertThat(s.disagreements()).containsExactlyEntriesOf(Map.of("a->b", 4L));
            assertThat(s.skipped()).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        try (ShadowRouter shadow = new ShadowRouter(1.0, 1)) {
            shadow.shadow(model("v2"));
            long started = System.nanoTime();
            for (int i = 0; i < 5_000; i++) {
                shadow.onOutcome(outcome("r" + i, "a", new float[] {1, 0}, "emb"));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(shadow.stats().orElseThrow().dropped()).isPositive();
        }
    }

    @Test
    void aShareOfZeroScoresNothingAndABadShareIsRefused() {
        try (ShadowRouter shadow = new ShadowRouter(0, 10)) {
            shadow.shadow(model("v2"));
            shadow.onOutcome(outcome("r", "a", new float[] {1, 0}, "emb"));
            assertThat(shadow.stats().orElseThrow().dropped()).isZero();
        }
        assertThatThrownBy(() -> new ShadowRouter(1.5, 10)).hasMessageContaining("router.shadow.share");
    }
}
