package dev.expertrouter.training;

import dev.expertrouter.routing.embedding.PromptEmbedder;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for MiniLM in tests: the text {@code "<topic> <n>"} embeds as the topic's centroid
 * plus seeded noise, L2-normalised, so each topic is a tight cluster in 384 dimensions and nothing
 * needs ONNX. A topic named in {@code near} sits between another topic's centroid and a direction
 * of its own: close enough that a model which never saw it files it under the other topic.
 */
public final class SyntheticEmbedder implements PromptEmbedder {

    public static final String ID = "synthetic-384";
    static final int DIMENSION = 384;

    private final Map<String, String> near;
    private final Map<String, float[]> centroids = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();

    /** @param near topic -> the topic it lies close to */
    public SyntheticEmbedder(Map<String, String> near) {
        this.near = near;
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
        calls.incrementAndGet();
        String topic = text.strip().split(" ")[0];
        float[] c = centroid(topic);
        Random noise = new Random(text.hashCode() * 31L + 7);
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = c[d] + (float) (0.6 * noise.nextGaussian() / Math.sqrt(DIMENSION));
        }
        return normalised(v);
    }

    private float[] centroid(String topic) {
        return centroids.computeIfAbsent(topic, t -> {
            float[] own = randomUnit(t.hashCode());
            if (!near.containsKey(t)) {
                return own;
            }
            float[] other = centroid(near.get(t));
            float[] mix = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                mix[d] = 0.85f * other[d] + 0.5f * own[d];
            }
            return normalised(mix);
        });
    }

    private static float[] randomUnit(long seed) {
        Random r = new Random(seed);
        float[] v = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            v[d] = (float) r.nextGaussian();
        }
        return normalised(v);
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        for (int d = 0; d < v.length; d++) {
            v[d] /= norm;
        }
        return v;
    }
}
