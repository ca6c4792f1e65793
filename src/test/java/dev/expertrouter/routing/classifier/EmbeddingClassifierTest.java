package dev.expertrouter.routing.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.TurnClassification;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.testing.FakeEmbedder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingClassifierTest {

    /** Two domains over 2-d vectors: "a" when x > y (one identity layer). */
    static final RouterModel MODEL = new RouterModel("v1", "fake", List.of("a", "b"), new int[] {0, 1},
            List.of(new MlpHead(List.of(new DenseLayerWeights(2, 2, new float[] {1, 0, 0, 1}, new float[] {0, 0}, false)))),
            0.1);

    /** Texts ending in "?" read as "b", others as "a"; records every pass it makes. */
    static final class Fake extends FakeEmbedder {
        final List<String> passes = new ArrayList<>();

        Fake() {
            super(text -> text.endsWith("?") ? new float[] {0, 1} : new float[] {1, 0});
        }

        @Override
        public float[] embed(String text) {
            passes.add("embed " + text);
            return super.embed(text);
        }

        @Override
        public float[][] embedWithTail(String text, String tail) {
            passes.add("with tail " + tail);
            return new float[][] {super.embed(text), {0.2f, 0.8f}};
        }
    }

    @Test
    void aTurnReadInContextTakesOnePassAndIsScoredOnItsOwnVector() {
        Fake embedder = new Fake();
        EmbeddingClassifier classifier = new EmbeddingClassifier(new PromptTextSelector(), embedder, MODEL);
        ChatPrompt prompt = new ChatPrompt(List.of(new Turn("user", "tell me a story"), new Turn("assistant", "Once."),
                new Turn("user", "shorter please")));
        ChatPrompt turn = new ChatPrompt(List.of(new Turn("user", "shorter please")));

        TurnClassification both = classifier.classifyInContext(prompt, turn);
        Classification routed = classifier.classify(prompt);

        assertThat(embedder.passes).containsExactly("with tail shorter please", "embed tell me a story\nshorter please");
        assertThat(both.routed().domain()).isEqualTo(routed.domain()).isEqualTo("a");
        assertThat(both.routed().confidence()).isEqualTo(routed.confidence());
        assertThat(both.routed().embedding()).containsExactly(routed.embedding());
        assertThat(both.turnAlone().domain()).isEqualTo("b");
        assertThat(both.turnAlone().confidence()).isEqualTo(MODEL.headProbabilities(new float[] {0.2f, 0.8f})[1]);
        assertThat(both.turnAlone().routerVersion()).isEqualTo("v1");
    }
}
