package dev.expertrouter.routing.classifier;

import java.util.function.Function;

/**
 * The cascade's first stage: a prompt's vector is the weighted mean of static per-token vectors
 * (distilled from MiniLM itself, Model2Vec's recipe), read by a linear softmax head with its own
 * temperature. No transformer pass: tens of microseconds. It decides only when its calibrated
 * confidence reaches {@code threshold}; otherwise it defers to the transformer (stage two).
 *
 * @param table     per vocabulary id, {@code dimension} floats (row-major)
 * @param weights   per vocabulary id, its weight in the mean (SIF: a / (a + p(token)))
 * @param head      {@code labels x (dimension + 1)} row-major, the last column the bias
 * @param tokenizer text to vocabulary ids, without special tokens
 */
public record StaticStage(float[] table, float[] weights, int dimension, float[] head, int labels, double temperature,
        double threshold, Function<String, long[]> tokenizer) {

    /** The normalised weighted mean of the text's token vectors; null when no token is known. */
    public float[] vector(String text) {
        return vector(tokenizer.apply(text));
    }

    public float[] vector(long[] ids) {
        float[] v = new float[dimension];
        double total = 0;
        for (long id : ids) {
            if (id < 0 || id >= weights.length) {
                continue;
            }
            float w = weights[(int) id];
            int base = (int) id * dimension;
            for (int j = 0; j < dimension; j++) {
                v[j] += w * table[base + j];
            }
            total += w;
        }
        if (total == 0) {
            return null;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return null;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int j = 0; j < dimension; j++) {
            v[j] *= scale;
        }
        return v;
    }

    /** Calibrated domain probabilities of a stage-one vector. */
    public double[] probabilities(float[] v) {
        double[] logits = new double[labels];
        int stride = dimension + 1;
        for (int k = 0; k < labels; k++) {
            double s = head[k * stride + dimension];
            for (int j = 0; j < dimension; j++) {
                s += head[k * stride + j] * v[j];
            }
            logits[k] = s;
        }
        return RouterModel.softmax(logits, temperature);
    }

    /** The stage's probabilities when it is confident enough to decide, else null (defer). */
    public double[] decide(String text) {
        float[] v = vector(text);
        if (v == null) {
            return null;
        }
        double[] p = probabilities(v);
        return isConfident(p, threshold) ? p : null;
    }

    static boolean isConfident(double[] p, double threshold) {
        double best = 0;
        for (double x : p) {
            best = Math.max(best, x);
        }
        return best >= threshold;
    }
}
