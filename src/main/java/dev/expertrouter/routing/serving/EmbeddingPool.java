package dev.expertrouter.routing.serving;

import dev.expertrouter.config.PolicyConfig.Affinity.TopicCheck;
import dev.expertrouter.config.RouterSettings;
import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.PromptClassifier;
import dev.expertrouter.routing.TurnClassification;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Where prompts are classified: embedding costs milliseconds of CPU, so it runs on a worker pool
 * of its own, one thread per core ({@code router.embedding-threads}), never on the event loop.
 * The shared worker pool (20 threads) would run up to 20 embeddings at once on 2 cores,
 * lengthening each one's tail, and leave other blocking work waiting behind them.
 */
@Startup // built at start-up, so a bad router.embedding-threads stops the start
@ApplicationScoped
public class EmbeddingPool {

    private final PromptClassifier classifier;
    private final WorkerExecutor workers;

    @Inject
    public EmbeddingPool(PromptClassifier classifier, Vertx vertx, RouterSettings settings) {
        this(classifier, vertx.createSharedWorkerExecutor("router-embedding",
                embeddingThreads(settings.embeddingThreads(), Runtime.getRuntime().availableProcessors())));
    }

    /** A pool over workers of the caller's (benchmarks time the serving path with it). */
    public EmbeddingPool(PromptClassifier classifier, WorkerExecutor workers) {
        this.classifier = classifier;
        this.workers = workers;
    }

    /**
     * The pool's size: {@code router.embedding-threads} when set, else one per core.
     *
     * @throws IllegalArgumentException when the setting is below 1
     */
    static int embeddingThreads(Optional<Integer> configured, int cores) {
        if (configured.isPresent() && configured.get() < 1) {
            throw new IllegalArgumentException("router.embedding-threads must be >= 1, was " + configured.get());
        }
        return configured.orElse(cores);
    }

    @PreDestroy
    void close() {
        workers.close();
    }

    /** Classifies on the pool; the result is emitted on a pool thread. */
    public Uni<Classification> classify(ChatPrompt prompt) {
        return Uni.createFrom().completionStage(() -> workers.<Classification>executeBlocking(
                () -> classifier.classify(prompt), false).toCompletionStage());
    }

    /**
     * Classifies the routed text and, when given, the conversation's last user turn (for
     * conversation affinity), as the policy's {@code topic-check} says: {@code context} reads the
     * turn inside the routed text's one embedding pass (one task); {@code alone} embeds it on its own
     * as a second task on the pool, side by side with the routed text, so with a core free it adds
     * one short embedding's wait at most. The result is emitted on a pool thread.
     */
    public Uni<TurnClassification> classifyTurn(ChatPrompt prompt, Optional<ChatPrompt> turn, TopicCheck check) {
        if (turn.isEmpty()) {
            return classify(prompt).map(routed -> new TurnClassification(routed, routed));
        }
        if (check == TopicCheck.CONTEXT) {
            return Uni.createFrom().completionStage(() -> workers.<TurnClassification>executeBlocking(
                    () -> classifier.classifyInContext(prompt, turn.get()), false).toCompletionStage());
        }
        return Uni.combine().all().unis(classify(prompt), classify(turn.get())).asTuple()
                .map(both -> new TurnClassification(both.getItem1(), both.getItem2()));
    }
}
