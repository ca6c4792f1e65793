package dev.expertrouter.config;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The whole operator configuration: experts, policies and tenants, validated together. Immutable;
 * a reload builds a new one and swaps it in.
 */
public record RouterConfig(
        List<ExpertConfig> experts,
        List<PolicyConfig> policies,
        String defaultPolicy,
        List<TenantConfig> tenants) {

    /** The reserved model name that routes with the caller's default policy. */
    public static final String AUTO = "auto";

    public RouterConfig {
        experts = List.copyOf(experts);
        policies = List.copyOf(policies);
        tenants = List.copyOf(tenants);
    }

    public Optional<ExpertConfig> expert(String id) {
        return experts.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public Optional<PolicyConfig> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Whether some policy's verify-then-escalate drafts with this expert: only its answers are ever
     * judged by an answer verifier, so only its answers need their checks recorded to train one.
     */
    public boolean isVerifyDraft(String expert) {
        for (PolicyConfig p : policies) {
            if (expert.equals(p.verification().draft())) {
                return true;
            }
        }
        return false;
    }

    /** A tenant's {@code trust} (0..1), what its feedback teaches; empty for a tenant not configured. */
    public OptionalDouble trust(String tenant) {
        return tenants.stream().filter(t -> t.name().equals(tenant)).findFirst()
                .map(t -> OptionalDouble.of(t.learning().trust())).orElse(OptionalDouble.empty());
    }
}
