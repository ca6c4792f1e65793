package dev.expertrouter.routing.policy;

import dev.expertrouter.config.ExpertConfig;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Turns an expert's YAML priors and what {@link ExpertStats} has learned into expected quality,
 * cost and latency for one request's domain probabilities, and, when a quality predictor serves,
 * moves the expected quality toward its per-prompt prediction ({@link QualityBlend}). The
 * configured quality (hard floors) never sees feedback or predictions.
 */
final class ExpertEstimator {

    private final ExpertStats stats;
    private final QualityBlend blend;

    ExpertEstimator(ExpertStats stats, QualityBlend blend) {
        this.stats = stats;
        this.blend = blend;
    }

    CandidateEstimate estimate(ExpertConfig e, DomainScores scores, int inputTokens, OptionalInt maxTokens, int choices) {
        return estimate(e, scores, inputTokens, maxTokens, choices, ExpertQualityEstimator.PromptQuality.NONE);
    }

    /**
     * The expert's expected quality, cost and latency. Output is counted for each of the
     * {@code choices} answers asked for ({@code n}); the prompt is billed once.
     *
     * @param predicted per-prompt predictions; an expert they know gets its prediction blended with
     *                  its per-domain estimate by evidence, one they do not know keeps the estimate
     */
    CandidateEstimate estimate(ExpertConfig e, DomainScores scores, int inputTokens, OptionalInt maxTokens, int choices,
            ExpertQualityEstimator.PromptQuality predicted) {
        double quality;
        double configured;
        double expectedOutput;
        if (scores.isEmpty()) {
            // no router verdict: judge the expert across the domains it lists (a forced request's
            // case, on every call: plain loops, no streams)
            quality = 0;
            configured = 0;
            for (String d : e.quality().keySet()) {
                quality += quality(e, d);
                configured += e.qualityFor(d);
            }
            int listed = e.quality().size();
            quality = listed == 0 ? e.meanQuality() : quality / listed;
            configured = listed == 0 ? e.meanQuality() : configured / listed;
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
        OptionalDouble p = predicted.predicted(e.id());
        if (p.isPresent()) {
            quality = blend.blend(p.getAsDouble(), predicted.evidence(e.id()), quality);
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
