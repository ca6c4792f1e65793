package dev.expertrouter.routing.policy;

import dev.expertrouter.config.PolicyConfig;

/**
 * The policy's objective for one candidate:
 * {@code quality x q - cost x log10(cost / cheapest) - latency x log10(latency / fastest)}, the
 * cheapest and fastest taken over all candidates of the request. Cost and latency count in decades
 * because expert prices span two orders of magnitude: a cost weight of 0.1 trades a 10x price for
 * 0.1 expected quality, whatever the absolute prices.
 */
final class Utility {

    /** Floors keep free or instant experts from dividing by zero. */
    static final double MIN_COST_USD = 1e-9;
    static final double MIN_LATENCY_MS = 1;

    private final PolicyConfig.Weights weights;
    private final double cheapestUsd;
    private final double fastestMs;

    Utility(PolicyConfig.Weights weights, double cheapestUsd, double fastestMs) {
        this.weights = weights;
        this.cheapestUsd = Math.max(MIN_COST_USD, cheapestUsd);
        this.fastestMs = Math.max(MIN_LATENCY_MS, fastestMs);
    }

    double score(double quality, double costUsd, double latencyMs) {
        double costDecades = Math.log10(Math.max(MIN_COST_USD, costUsd) / cheapestUsd);
        double latencyDecades = Math.log10(Math.max(MIN_LATENCY_MS, latencyMs) / fastestMs);
        return weights.quality() * quality - weights.cost() * costDecades - weights.latency() * latencyDecades;
    }
}
