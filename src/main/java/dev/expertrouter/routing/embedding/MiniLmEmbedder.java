package dev.expertrouter.routing.embedding;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * all-MiniLM-L6-v2, int8-quantised ONNX, run in-process by ONNX Runtime (weights ship inside the
 * langchain4j jar, nothing is downloaded). ONNX Runtime sessions are thread-safe, so one instance
 * serves all threads.
 */
public final class MiniLmEmbedder implements PromptEmbedder {

    public static final String ID = "all-minilm-l6-v2-q";
    private static final int DIMENSION = 384;

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;

    public MiniLmEmbedder() {
        // A direct executor: a single segment never needs the model's thread pool.
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[] embed(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("text to embed must not be blank");
        }
        return model.embed(text).content().vector();
    }
}
