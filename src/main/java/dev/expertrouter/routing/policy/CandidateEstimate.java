package dev.expertrouter.routing.policy;

import dev.expertrouter.config.ExpertConfig;

/**
 * What one expert is expected to deliver for one request, before the policy weighs it.
 *
 * @param expert       the expert
 * @param quality      expected quality: sum over domains of p(domain) x quality(expert, domain), the
 *                     priors moved by feedback, and, when a quality predictor serves, blended with its
 *                     per-prompt prediction by evidence; it ranks
 * @param configuredQuality the same from the operator's priors alone; hard quality floors check it,
 *                     so feedback can neither lift an expert over a floor nor push one under it
 * @param outputTokens output tokens the cost assumes ({@code max_tokens} when the caller set it)
 * @param costUsd      estimated cost of the call
 * @param latencyMs    estimated latency of the call
 */
record CandidateEstimate(ExpertConfig expert, double quality, double configuredQuality, double outputTokens, double costUsd, double latencyMs) {

    String id() {
        return expert.id();
    }
}
