package dev.expertrouter.routing.embedding;

import dev.expertrouter.Sha256;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded LRU cache in front of an embedder, keyed by the SHA-256 of the text, so a repeated
 * prompt skips the model. Keys are hashes rather than the text itself to keep memory per entry
 * small and prompt text out of the heap longer than needed.
 */
public final class CachingEmbedder implements PromptEmbedder {

    private final PromptEmbedder delegate;
    private final Map<String, float[]> entries;
    private long hits;
    private long misses;

    public CachingEmbedder(PromptEmbedder delegate, int maxEntries) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate embedder must not be null");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
        }
        this.delegate = delegate;
        this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public String id() {
        return delegate.id();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public float[] embed(String text) {
        String key = Sha256.hex(text);
        synchronized (this) {
            float[] cached = entries.get(key);
            if (cached != null) {
                hits++;
                return cached.clone();
            }
            misses++;
        }
        // Embed outside the lock: two threads racing on one new prompt both compute it, which is
        // cheaper than serialising every miss.
        float[] vector = delegate.embed(text);
        synchronized (this) {
            entries.put(key, vector.clone());
        }
        return vector;
    }

    /** Both vectors from the cache when both are there; else one pass of the delegate, both kept. */
    @Override
    public float[][] embedWithTail(String text, String tail) {
        String key = Sha256.hex(text);
        String tailKey = Sha256.hex(text + '\u0000' + tail);
        synchronized (this) {
            float[] whole = entries.get(key);
            float[] inContext = entries.get(tailKey);
            if (whole != null && inContext != null) {
                hits++;
                return new float[][] {whole.clone(), inContext.clone()};
            }
            misses++;
        }
        float[][] vectors = delegate.embedWithTail(text, tail);
        synchronized (this) {
            entries.put(key, vectors[0].clone());
            entries.put(tailKey, vectors[1].clone());
        }
        return vectors;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}
