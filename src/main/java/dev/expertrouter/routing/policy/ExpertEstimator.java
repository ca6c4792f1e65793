package dev.expertrouter.routing.policy;

import dev.expertrouter.config.ExpertConfig;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns an expert's YAML priors and what {@link ExpertStats} has learned into expected quality,
 * cost and latency for one request's domain probabilities.
 */
final class ExpertEstimator {

    private final ExpertStats stats;

    ExpertEstimator(ExpertStats stats) {
        this.stats = stats;
    }

    /**
     * The expert's expected quality, cost and latency. Output is counted for each of the
     * {@code choices} answers asked for ({@code n}); the prompt is billed once.
     */
    CandidateEstimate estimate(ExpertConfig e, DomainScores scores, int inputTokens, OptionalInt maxTokens, int choices) {
        double quality;
        double configured;
        double expectedOutput;
        if (scores.isEmpty()) {
            // no router verdict: judge the expert across the domains it lists
            quality = e.quality().keySet().stream().mapToDouble(d -> quality(e, d)).average().orElse(e.meanQuality());
            configured = e.quality().keySet().stream().mapToDouble(e::qualityFor).average().orElse(e.meanQuality());
            expectedOutput = stats.expectedOutputTokens(e.id(), ExpertConfig.GENERAL);
        } else {
            quality = 0;
            configured = 0;
            expectedOutput = 0;
            for (Map.Entry<String, Double> s : scores.probabilities().entrySet()) {
                quality += s.getValue() * quality(e, s.getKey());
                configured += s.getValue() * e.qualityFor(s.getKey());
                expectedOutput += s.getValue() * stats.expectedOutputTokens(e.id(), s.getKey());
            }
        }
        double outputTokens = (maxTokens.isPresent() ? maxTokens.getAsInt() : expectedOutput) * Math.max(1, choices);
        double cost = e.price().costUsd(inputTokens, Math.round(outputTokens));
        return new CandidateEstimate(e, quality, configured, outputTokens, cost, stats.latencyMs(e.id(), e.latencyMs()));
    }

    /** Quality in one domain: the prior, moved by feedback. */
    double quality(ExpertConfig e, String domain) {
        return stats.quality(e.id(), domain, e.qualityFor(domain));
    }
}
