package dev.expertrouter.routing.quality;

import java.util.List;
import java.util.Map;

/**
 * The predictor's input, built the same way at training and serving time: the prompt embedding,
 * the router's probability of each domain (in the predictor's own domain order), and the prompt
 * length as {@code log(1 + tokens) / log(4096)} (longer prompts, say multi-step word problems, are
 * harder for weak experts, and the embedding is length-normalised so it cannot see that).
 */
public final class QualityFeatures {

    static final double LENGTH_SCALE = Math.log(4096);

    private QualityFeatures() {
    }

    public static int size(int dimension, int domains) {
        return dimension + domains + 1;
    }

    public static float[] of(float[] embedding, Map<String, Double> scores, List<String> domains, long inputTokens) {
        float[] x = new float[size(embedding.length, domains.size())];
        System.arraycopy(embedding, 0, x, 0, embedding.length);
        for (int d = 0; d < domains.size(); d++) {
            Double p = scores == null ? null : scores.get(domains.get(d));
            x[embedding.length + d] = p == null ? 0f : p.floatValue();
        }
        x[x.length - 1] = (float) (Math.log1p(Math.max(0, inputTokens)) / LENGTH_SCALE);
        return x;
    }
}
