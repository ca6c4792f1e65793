package dev.expertrouter.routing.classifier;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.PromptClassifier;
import dev.expertrouter.routing.RoutingStage;
import dev.expertrouter.routing.StageTimings;
import dev.expertrouter.routing.TurnClassification;
import dev.expertrouter.routing.embedding.CachingEmbedder;
import dev.expertrouter.routing.embedding.MiniLmEmbedder;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import dev.expertrouter.routing.embedding.UnroutablePromptException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The learned router: selects the text to embed, embeds it, and scores the domains with a loaded
 * {@link RouterModel}. Thread-safe without locks on the hot path: the model is immutable and its
 * forward pass is plain float math; the embedder's ONNX session is thread-safe.
 */
public final class EmbeddingClassifier implements PromptClassifier {

    /** Cache size of {@link #fromModelsDir}: about 1.6 KB per entry, so ~16 MB at most. */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;

    private final PromptTextSelector selector;
    private final PromptEmbedder embedder;
    private final RouterModel model;
    private final StageTimings timings;

    public EmbeddingClassifier(PromptTextSelector selector, PromptEmbedder embedder, RouterModel model) {
        this(selector, embedder, model, StageTimings.NONE);
    }

    public EmbeddingClassifier(PromptTextSelector selector, PromptEmbedder embedder, RouterModel model,
            StageTimings timings) {
        if (selector == null || embedder == null || model == null || timings == null) {
            throw new IllegalArgumentException("selector, embedder, model and timings are all required");
        }
        if (!embedder.id().equals(model.embedderId())) {
            throw new IllegalArgumentException("model " + model.version() + " was trained on embedder '"
                    + model.embedderId() + "', not '" + embedder.id() + "'");
        }
        if (embedder.dimension() != model.inputSize()) {
            throw new IllegalArgumentException("embedder gives " + embedder.dimension()
                    + " dimensions, model " + model.version() + " takes " + model.inputSize());
        }
        this.selector = selector;
        this.embedder = embedder;
        this.model = model;
        this.timings = timings;
    }

    /** The same classifier reporting its stages to {@code timings} (after warm-up, say, so it is not counted). */
    public EmbeddingClassifier withStageTimings(StageTimings timings) {
        return new EmbeddingClassifier(selector, embedder, model, timings);
    }

    /**
     * The serving router: MiniLM behind an LRU cache, and the version named by
     * {@code <modelsRoot>/current} unless {@code version} overrides it.
     *
     * @throws RouterModelException when that version is missing, incomplete, corrupt or mismatched
     */
    public static EmbeddingClassifier fromModelsDir(Path modelsRoot, Optional<String> version) {
        PromptEmbedder embedder = new CachingEmbedder(new MiniLmEmbedder(), DEFAULT_CACHE_ENTRIES);
        RouterModel model = RouterModelLoader.loadServing(modelsRoot, version, embedder.id());
        return new EmbeddingClassifier(new PromptTextSelector(), embedder, model);
    }

    public RouterModel model() {
        return model;
    }

    public String version() {
        return model.version();
    }

    /**
     * @throws UnroutablePromptException (an {@link IllegalArgumentException}) when the prompt has no
     *                                   user or system text; the HTTP layer answers 400
     */
    @Override
    public Classification classify(ChatPrompt prompt) {
        long t0 = timings.nanoTime();
        String text = selector.select(prompt);
        long t1 = timings.nanoTime();
        timings.record(RoutingStage.SELECT, t1 - t0);
        float[] embedding = embedder.embed(text);
        long t2 = timings.nanoTime();
        timings.record(RoutingStage.EMBED, t2 - t1);
        Classification c = classification(embedding);
        timings.record(RoutingStage.CLASSIFY, timings.nanoTime() - t2);
        return c;
    }

    /**
     * The routed text and the last user turn read at its end, in one embedding pass (see
     * {@link PromptEmbedder#embedWithTail}): the turn costs the heads' arithmetic (their weights
     * are swept once for both vectors), not a second embedding. The turn is scored by the heads alone: the neighbour vote indexes whole prompts,
     * not a turn read in context, and would cost as much again (on the multi-turn set the vote
     * changes none of the topic checks; scoring with fewer of the heads doubles the false switches).
     */
    @Override
    public TurnClassification classifyInContext(ChatPrompt prompt, ChatPrompt turn) {
        long t0 = timings.nanoTime();
        String text = selector.select(prompt);
        String tail = selector.select(turn);
        long t1 = timings.nanoTime();
        timings.record(RoutingStage.SELECT, t1 - t0);
        float[][] embeddings = embedder.embedWithTail(text, tail);
        long t2 = timings.nanoTime();
        timings.record(RoutingStage.EMBED, t2 - t1);
        double[][] p = model.probabilitiesAndHeads(embeddings[0], embeddings[1]);
        timings.record(RoutingStage.CLASSIFY, timings.nanoTime() - t2);
        return new TurnClassification(classification(embeddings[0], p[0]), classification(embeddings[1], p[1]));
    }

    private Classification classification(float[] embedding) {
        return classification(embedding, model.probabilities(embedding));
    }

    private Classification classification(float[] embedding, double[] p) {
        int best = 0;
        Map<String, Double> scores = new LinkedHashMap<>();
        for (int d = 0; d < p.length; d++) {
            scores.put(model.labels().get(d), p[d]);
            if (p[d] > p[best]) {
                best = d;
            }
        }
        return new Classification(model.labels().get(best), p[best], Collections.unmodifiableMap(scores),
                model.version(), embedding, model.embedderId());
    }
}
