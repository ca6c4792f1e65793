package dev.expertrouter.routing.policy;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway learns about experts from real traffic, read by the policy engine on every
 * request: latency per expert (EWMA), output tokens per expert and domain (running mean), and
 * quality per expert and domain (the YAML prior blended with feedback scores, Beta-style: the prior
 * counts as {@code priorWeight} observations). Thread-safe and lock-free for readers; each update is
 * one atomic {@link ConcurrentHashMap#merge}.
 */
public final class ExpertStats {

    public static final int DEFAULT_OUTPUT_TOKENS = 256;
    public static final double DEFAULT_LATENCY_ALPHA = 0.2;
    public static final double DEFAULT_PRIOR_WEIGHT = 20;

    private final int defaultOutputTokens;
    private final double latencyAlpha;
    private final double priorWeight;

    private final Map<String, Ewma> latency = new ConcurrentHashMap<>();
    private final Map<Key, Mean> outputTokens = new ConcurrentHashMap<>();
    private final Map<Key, Mean> feedback = new ConcurrentHashMap<>();

    /**
     * @param defaultOutputTokens expected output tokens before any response of that expert and domain
     * @param latencyAlpha        weight of the newest latency sample, in (0, 1]
     * @param priorWeight         how many feedback scores the YAML quality prior is worth
     */
    public ExpertStats(int defaultOutputTokens, double latencyAlpha, double priorWeight) {
        if (defaultOutputTokens < 1) {
            throw new IllegalArgumentException("defaultOutputTokens must be at least 1, got " + defaultOutputTokens);
        }
        if (!(latencyAlpha > 0 && latencyAlpha <= 1)) {
            throw new IllegalArgumentException("latencyAlpha must be in (0, 1], got " + latencyAlpha);
        }
        if (!(priorWeight > 0)) {
            throw new IllegalArgumentException("priorWeight must be positive, got " + priorWeight);
        }
        this.defaultOutputTokens = defaultOutputTokens;
        this.latencyAlpha = latencyAlpha;
        this.priorWeight = priorWeight;
    }

    public ExpertStats() {
        this(DEFAULT_OUTPUT_TOKENS, DEFAULT_LATENCY_ALPHA, DEFAULT_PRIOR_WEIGHT);
    }

    /** A completed call's latency (end to end of one attempt). Negative values are ignored. */
    public void recordLatency(String expert, long ms) {
        if (ms < 0) {
            return;
        }
        latency.merge(expert, new Ewma(ms), (old, x) -> new Ewma(old.value + latencyAlpha * (x.value - old.value)));
    }

    /** Output tokens of a completed answer, under the domain the router gave the prompt. */
    public void recordOutputTokens(String expert, String domain, long tokens) {
        if (tokens < 0) {
            return;
        }
        outputTokens.merge(new Key(expert, domain), new Mean(tokens, 1), Mean::plus);
    }

    /** A feedback score, 0..1, of an answer by this expert in this domain. */
    public void recordFeedback(String expert, String domain, double score) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in 0..1, got " + score);
        }
        feedback.merge(new Key(expert, domain), new Mean(score, 1), Mean::plus);
    }

    /** Measured latency, or empty before the first sample. */
    public OptionalDouble latencyMs(String expert) {
        Ewma e = latency.get(expert);
        return e == null ? OptionalDouble.empty() : OptionalDouble.of(e.value);
    }

    /** Measured latency, else the prior. */
    public double latencyMs(String expert, double prior) {
        return latencyMs(expert).orElse(prior);
    }

    /** Mean output tokens seen for this expert and domain, else the default. */
    public double expectedOutputTokens(String expert, String domain) {
        Mean m = outputTokens.get(new Key(expert, domain));
        return m == null ? defaultOutputTokens : m.mean();
    }

    /** The prior blended with feedback: (w x prior + sum of scores) / (w + n). */
    public double quality(String expert, String domain, double prior) {
        Mean m = feedback.get(new Key(expert, domain));
        if (m == null) {
            return prior;
        }
        return (priorWeight * prior + m.sum) / (priorWeight + m.n);
    }

    /** How many feedback scores an expert has in a domain. */
    public long feedbackCount(String expert, String domain) {
        Mean m = feedback.get(new Key(expert, domain));
        return m == null ? 0 : m.n;
    }

    private record Key(String expert, String domain) {
    }

    private record Ewma(double value) {
    }

    private record Mean(double sum, long n) {
        Mean plus(Mean other) {
            return new Mean(sum + other.sum, n + other.n);
        }

        double mean() {
            return sum / n;
        }
    }
}
