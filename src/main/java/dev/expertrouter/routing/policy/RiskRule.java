package dev.expertrouter.routing.policy;

import dev.expertrouter.config.PolicyConfig;
import java.util.ArrayList;
import java.util.List;

/** A risk tier in force for one request, for the one of its domains the prompt is likely about. */
record RiskRule(PolicyConfig.RiskTier tier, String domain) {

    /**
     * The rules a prompt triggers: one per tier domain the router gives at least the tier's
     * {@code min-probability}. None before any router model serves: with no verdict the policy's
     * default expert takes the prompt.
     */
    static List<RiskRule> active(List<PolicyConfig.RiskTier> tiers, DomainScores scores) {
        List<RiskRule> rules = new ArrayList<>();
        for (PolicyConfig.RiskTier tier : tiers) {
            for (String domain : tier.domains()) {
                double p = scores.p(domain);
                if (p > 0 && p >= tier.minProbability()) {
                    rules.add(new RiskRule(tier, domain));
                }
            }
        }
        return rules;
    }
}
