package dev.expertrouter.config;

import java.util.List;
import java.util.Optional;

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
}
