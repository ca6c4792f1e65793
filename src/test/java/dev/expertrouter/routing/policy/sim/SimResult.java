package dev.expertrouter.routing.policy.sim;

/**
 * One strategy's outcome over the labelled prompts.
 *
 * @param name         the policy or baseline
 * @param kind         {@code policy}, {@code sweep}, {@code baseline} or {@code expert}
 * @param meanQuality  mean quality of the chosen expert in each prompt's true domain
 * @param costPer1k    estimated USD per 1,000 requests
 * @param unrouted     prompts the strategy could not route (counted as quality 0)
 * @param escalated    prompts where the escalation rule applied
 * @param topExperts   the most chosen experts with their shares, for the table
 */
record SimResult(String name, String kind, double meanQuality, double costPer1k, int unrouted, int escalated,
        String topExperts) {
}
