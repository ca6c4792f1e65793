package dev.expertrouter.routing.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.expertrouter.config.PolicyConfig.Affinity.TopicCheck;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.ChatPrompt.Turn;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.PromptClassifier;
import dev.expertrouter.routing.TurnClassification;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EmbeddingPoolTest {

    private final Vertx vertx = Vertx.vertx();
    private final Queue<String> calls = new ConcurrentLinkedQueue<>();

    /** Classifies a prompt as its last turn's text; says which method was called. */
    private final PromptClassifier classifier = new PromptClassifier() {
        @Override
        public Classification classify(ChatPrompt prompt) {
            calls.add("classify " + last(prompt));
            return of(last(prompt));
        }

        @Override
        public TurnClassification classifyInContext(ChatPrompt prompt, ChatPrompt turn) {
            calls.add("in context " + last(turn));
            return new TurnClassification(of(last(prompt)), of("read in context"));
        }
    };

    private final EmbeddingPool pool = new EmbeddingPool(classifier, vertx.createSharedWorkerExecutor("test-pool", 2));

    private final ChatPrompt prompt = new ChatPrompt(List.of(new Turn("user", "opening"), new Turn("assistant", "answer"),
            new Turn("user", "why?")));
    private final ChatPrompt turn = new ChatPrompt(List.of(new Turn("user", "why?")));

    static String last(ChatPrompt p) {
        return p.turns().get(p.turns().size() - 1).text();
    }

    static Classification of(String domain) {
        return new Classification(domain, 0.9, Map.of(domain, 0.9), "v1", null);
    }

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void contextReadsTheTurnInTheRoutedTextsOnePass() {
        TurnClassification c = pool.classifyTurn(prompt, Optional.of(turn), TopicCheck.CONTEXT).await()
                .atMost(Duration.ofSeconds(10));

        assertThat(calls).containsExactly("in context why?");
        assertThat(c.routed().domain()).isEqualTo("why?");
        assertThat(c.turnAlone().domain()).isEqualTo("read in context");
    }

    @Test
    void aloneClassifiesTheTurnOnItsOwnBesideTheRoutedText() {
        TurnClassification c = pool.classifyTurn(prompt, Optional.of(turn), TopicCheck.ALONE).await()
                .atMost(Duration.ofSeconds(10));

        assertThat(calls).containsExactlyInAnyOrder("classify why?", "classify why?");
        assertThat(c.turnAlone()).isNotSameAs(c.routed());
    }

    @Test
    void withoutATurnTheRoutedTextIsBoth() {
        for (TopicCheck check : TopicCheck.values()) {
            TurnClassification c = pool.classifyTurn(prompt, Optional.empty(), check).await().atMost(Duration.ofSeconds(10));
            assertThat(c.turnAlone()).isSameAs(c.routed());
        }
        assertThat(calls).containsExactly("classify why?", "classify why?");
    }
}
