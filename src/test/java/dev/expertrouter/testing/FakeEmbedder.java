package dev.expertrouter.testing;

import dev.expertrouter.routing.embedding.PromptEmbedder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A 2-d embedder named {@code fake} for tests: vectors from a function of the text, passes
 * counted. {@link #embedWithTail} is the interface's default (the tail on its own) unless a test
 * overrides it.
 */
public class FakeEmbedder implements PromptEmbedder {

    public final AtomicInteger calls = new AtomicInteger();
    private final Function<String, float[]> vectors;

    public FakeEmbedder(Function<String, float[]> vectors) {
        this.vectors = vectors;
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public int dimension() {
        return 2;
    }

    @Override
    public float[] embed(String text) {
        calls.incrementAndGet();
        return vectors.apply(text);
    }
}
