package dev.expertrouter.routing.policy;

import dev.expertrouter.config.ExpertConfig;

/**
 * What one expert is expected to deliver for one request, before the policy weighs it.
 *
 * @param expert       the expert
 * @param quality      expected quality for this prompt: the per-domain estimate, or the quality
 *                     predictor's per-prompt value blended with it by evidence when one serves
 * @param priorQuality the per-domain estimate alone: sum over domains of p(domain) x quality(expert,
 *                     domain); hard limits judge by it, never by predictions
 * @param outputTokens output tokens the cost assumes ({@code max_tokens} when the caller set it)
 * @param costUsd      estimated cost of the call
 * @param latencyMs    estimated latency of the call
 */
record CandidateEstimate(ExpertConfig expert, double quality, double priorQuality, double outputTokens, double costUsd, double latencyMs) {

    String id() {
        return expert.id();
    }
}
