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

    /**
     * {@code [0]} the vector of {@code text}, {@code [1]} the vector of {@code tail}, the end of
     * {@code text}, as read in the context of what precedes it. An embedder that cannot read a part
     * in context embeds the tail on its own (this default).
     */
    default float[][] embedWithTail(String text, String tail) {
        return new float[][] {embed(text), embed(tail)};
    }
}
