package dev.expertrouter.training;

import dev.expertrouter.routing.ChatPrompt;
import dev.expertrouter.routing.embedding.PromptEmbedder;
import dev.expertrouter.routing.embedding.PromptTextSelector;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The embed step: each example's text selected exactly as serving selects it, then embedded, so
 * training sees what the router will see. With a cache, a text embedded by an earlier run is read
 * back instead (same embedder, same selected text: the same vector).
 */
final class PromptEmbedding {

    private final PromptTextSelector selector;
    private final PromptEmbedder embedder;
    private final Optional<EmbeddingCache> cache;
    private final PrintStream out;

    PromptEmbedding(PromptTextSelector selector, PromptEmbedder embedder, Optional<EmbeddingCache> cache, PrintStream out) {
        this.selector = selector;
        this.embedder = embedder;
        this.cache = cache;
        this.out = out;
    }

    EmbeddedSet embed(String name, List<LabelledPrompt> prompts, List<String> labels, List<String> classes) {
        float[][] x = new float[prompts.size()][];
        int[] y = new int[prompts.size()];
        int[] c = new int[prompts.size()];
        long started = System.nanoTime();
        int cached = 0;
        for (int i = 0; i < prompts.size(); i++) {
            LabelledPrompt p = prompts.get(i);
            String text = selector.select(new ChatPrompt(List.of(new ChatPrompt.Turn("user", p.text()))));
            Optional<float[]> hit = cache.flatMap(k -> k.get(text));
            if (hit.isPresent()) {
                x[i] = hit.get();
                cached++;
            } else {
                float[] v = embedder.embed(text);
                x[i] = v;
                cache.ifPresent(k -> k.put(text, v));
            }
            y[i] = labels.indexOf(p.domain());
            c[i] = classes.indexOf(p.fineClass());
        }
        out.printf(Locale.ROOT, "embedded %s: %d prompts in %.1f s%s%n", name, prompts.size(),
                (System.nanoTime() - started) / 1e9, cache.isPresent() ? " (" + cached + " from the cache)" : "");
        return new EmbeddedSet(x, y, c);
    }

    /**
     * Corrected outcomes, already embedded: each counts {@code copies} times in training, scaled by
     * its tenant's trust.
     */
    static EmbeddedSet corrections(List<CorrectedExample> examples, List<String> labels, List<String> classes, int copies) {
        float[][] x = new float[examples.size()][];
        int[] y = new int[examples.size()];
        int[] c = new int[examples.size()];
        int[] k = new int[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            CorrectedExample e = examples.get(i);
            x[i] = e.embedding();
            y[i] = labels.indexOf(e.domain());
            c[i] = classes.indexOf(LabelledPrompt.ownClass(e.domain()));
            k[i] = e.copies(copies);
        }
        return new EmbeddedSet(x, y, c, k);
    }

    void saveCache() {
        cache.ifPresent(EmbeddingCache::save);
    }
}
