package dev.expertrouter.routing.policy;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway learns about experts from real traffic, read by the policy engine on every
 * request: latency per expert (EWMA), output tokens per expert and domain (running mean), and
 * quality per expert and domain (the YAML prior blended with feedback scores, Beta-style: the prior
 * counts as {@code priorWeight} observations). Feedback is bounded per source (a tenant): each
 * source's scores count {@code trust} samples apiece, and at most {@code maxSamplesPerSource} in all
 * per expert and domain, so no single caller can drag a shared estimate far from the prior.
 * Thread-safe and lock-free for readers; each update is one atomic {@link ConcurrentHashMap#compute}.
 */
public final class ExpertStats {

    public static final int DEFAULT_OUTPUT_TOKENS = 256;
    public static final double DEFAULT_LATENCY_ALPHA = 0.2;
    public static final double DEFAULT_PRIOR_WEIGHT = 20;

    private final int defaultOutputTokens;
    private final double latencyAlpha;
    private final double priorWeight;
    private final double maxSamplesPerSource;

    private final Map<String, Ewma> latency = new ConcurrentHashMap<>();
    private final Map<Key, Mean> outputTokens = new ConcurrentHashMap<>();
    private final Map<Key, Evidence> feedback = new ConcurrentHashMap<>();

    /**
     * @param defaultOutputTokens expected output tokens before any response of that expert and domain
     * @param latencyAlpha        weight of the newest latency sample, in (0, 1]
     * @param priorWeight         how many feedback scores the YAML quality prior is worth
     * @param maxSamplesPerSource the most feedback samples one source (tenant) counts for per expert and
     *                            domain, however many it sends
     */
    public ExpertStats(int defaultOutputTokens, double latencyAlpha, double priorWeight, double maxSamplesPerSource) {
        if (defaultOutputTokens < 1) {
            throw new IllegalArgumentException("defaultOutputTokens must be at least 1, got " + defaultOutputTokens);
        }
        if (!(latencyAlpha > 0 && latencyAlpha <= 1)) {
            throw new IllegalArgumentException("latencyAlpha must be in (0, 1], got " + latencyAlpha);
        }
        if (!(priorWeight > 0)) {
            throw new IllegalArgumentException("priorWeight must be positive, got " + priorWeight);
        }
        if (!(maxSamplesPerSource > 0)) {
            throw new IllegalArgumentException("maxSamplesPerSource must be positive, got " + maxSamplesPerSource);
        }
        this.maxSamplesPerSource = maxSamplesPerSource;
        this.defaultOutputTokens = defaultOutputTokens;
        this.latencyAlpha = latencyAlpha;
        this.priorWeight = priorWeight;
    }

    /** Feedback from one source without a cap (for tests and tools that feed trusted scores). */
    public ExpertStats(int defaultOutputTokens, double latencyAlpha, double priorWeight) {
        this(defaultOutputTokens, latencyAlpha, priorWeight, Double.POSITIVE_INFINITY);
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

    /** A feedback score, 0..1, of an answer by this expert in this domain, from an anonymous fully trusted source. */
    public void recordFeedback(String expert, String domain, double score) {
        recordFeedback(expert, domain, "", 1.0, score);
    }

    /**
     * A feedback score, 0..1, from one source (a tenant) whose scores count {@code trust} (0..1)
     * samples each; the source's latest trust applies to all its scores here.
     */
    public void recordFeedback(String expert, String domain, String source, double trust, double score) {
        if (!(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be in 0..1, got " + score);
        }
        if (!(trust >= 0 && trust <= 1)) {
            throw new IllegalArgumentException("trust must be in 0..1, got " + trust);
        }
        feedback.compute(new Key(expert, domain), (k, old) -> (old == null ? Evidence.NONE : old)
                .plus(source, trust, score, maxSamplesPerSource));
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

    /**
     * The prior blended with feedback: (w x prior + sum over sources of n_s x mean_s) / (w + sum of n_s),
     * where n_s = min(trust_s x count_s, maxSamplesPerSource) is what a source's scores count for.
     */
    public double quality(String expert, String domain, double prior) {
        Evidence e = feedback.get(new Key(expert, domain));
        if (e == null || e.weight == 0) {
            return prior;
        }
        return (priorWeight * prior + e.weightedSum) / (priorWeight + e.weight);
    }

    /** How many feedback scores an expert has in a domain (all sources, before trust and caps). */
    public long feedbackCount(String expert, String domain) {
        Evidence e = feedback.get(new Key(expert, domain));
        return e == null ? 0 : e.count;
    }

    private record Key(String expert, String domain) {
    }

    /** One source's scores for an expert and domain. */
    private record SourceScores(double sum, long n, double trust) {
        double weight(double cap) {
            return Math.min(trust * n, cap);
        }
    }

    /** All sources' scores for an expert and domain, with the capped totals the estimate reads. */
    private record Evidence(Map<String, SourceScores> sources, double weight, double weightedSum, long count) {
        static final Evidence NONE = new Evidence(Map.of(), 0, 0, 0);

        Evidence plus(String source, double trust, double score, double cap) {
            SourceScores old = sources.get(source);
            SourceScores now = old == null ? new SourceScores(score, 1, trust) : new SourceScores(old.sum + score, old.n + 1, trust);
            Map<String, SourceScores> next = new java.util.HashMap<>(sources);
            next.put(source, now);
            // totals recomputed rather than adjusted, so no rounding drift builds up over many updates
            double w = 0;
            double ws = 0;
            for (SourceScores s : next.values()) {
                w += s.weight(cap);
                ws += s.weight(cap) * s.sum / s.n;
            }
            return new Evidence(Map.copyOf(next), w, ws, count + 1);
        }
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
