package dev.expertrouter.routing.policy;

import dev.expertrouter.config.ExpertConfig;
import dev.expertrouter.config.PolicyConfig;
import dev.expertrouter.config.Price;
import dev.expertrouter.config.RouterConfig;
import dev.expertrouter.config.SimulatedConfig;
import dev.expertrouter.config.TenantConfig;
import dev.expertrouter.routing.Classification;
import dev.expertrouter.routing.RoutingRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Small hand-checkable worlds. With {@link #INPUT_TOKENS} input and the default 256 output tokens a
 * call is 1,000 tokens, so an expert priced p USD per 1M tokens (in and out) costs p / 1000 USD.
 */
final class Fixtures {

    static final int INPUT_TOKENS = 744;
    static final TenantConfig TENANT = tenant(List.of());

    private Fixtures() {
    }

    static ExpertConfig expert(String id, double pricePerMtok, int latencyMs, Map<String, Double> quality) {
        return new ExpertConfig(id, "", id, null, Map.of(), new Price(pricePerMtok, pricePerMtok), quality, latencyMs,
                8192, 30_000, 64, Optional.of(SimulatedConfig.DEFAULTS));
    }

    static TenantConfig tenant(List<String> allowedExperts) {
        return new TenantConfig("t", List.of("0".repeat(64)), "p", List.of(), allowedExperts, dev.expertrouter.config.TenantLimits.NONE);
    }

    static PolicyConfig policy(PolicyConfig.Weights weights) {
        return policy(weights, PolicyConfig.Limits.NONE, noEscalation(), List.of());
    }

    static PolicyConfig policy(PolicyConfig.Weights weights, PolicyConfig.Limits limits, PolicyConfig.Escalation escalation,
            List<PolicyConfig.RiskTier> tiers) {
        return new PolicyConfig("p", Optional.empty(), "", weights, limits, List.of(), List.of(), escalation, tiers,
                Optional.empty());
    }

    static PolicyConfig.Escalation noEscalation() {
        return new PolicyConfig.Escalation(0, PolicyConfig.EscalationMode.STRONGEST, Optional.empty(), 2);
    }

    static Classification sure(String domain) {
        return new Classification(domain, 1.0, Map.of(domain, 1.0), "test", null);
    }

    static Classification scores(Map<String, Double> scores) {
        String top = scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new Classification(top, scores.get(top), scores, "test", null);
    }

    static RouterConfig config(List<ExpertConfig> experts, PolicyConfig policy) {
        return new RouterConfig(experts, List.of(policy), policy.name(), List.of(TENANT));
    }

    static RoutingRequest request(List<ExpertConfig> experts, PolicyConfig policy, Classification c) {
        return new RoutingRequest(config(experts, policy), TENANT, policy, c, INPUT_TOKENS, OptionalInt.empty(),
                OptionalDouble.empty(), OptionalLong.empty(), Optional.empty());
    }
}
