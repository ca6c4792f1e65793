package dev.expertrouter.routing.embedding;

/**
 * Turns a piece of text into a fixed-size, L2-normalised sentence embedding. Implementations are
 * safe for concurrent use.
 */
public interface PromptEmbedder {

    /** Stable identifier of the embedding model; a router model records it and refuses another. */
    String id();

    /** Length of every vector {@link #embed} returns. */
    int dimension();

    float[] embed(String text);
}
