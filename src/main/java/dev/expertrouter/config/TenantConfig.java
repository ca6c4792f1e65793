package dev.expertrouter.config;

import java.util.List;

/**
 * A caller of the gateway, known by the SHA-256 of its API key.
 *
 * @param name            shown in logs and outcome records (never the key)
 * @param apiKeySha256s   lower-case hex SHA-256 of each key the tenant may use (several during a
 *                        rotation), resolved from {@code env} entries at load
 * @param policy          the default policy for {@code model: auto}
 * @param allowedPolicies policies the tenant may name; empty = all
 * @param allowedExperts  experts the tenant may force or be routed to; empty = all
 * @param limits          rate limits, budgets, concurrency cap and the behaviour without Redis
 */
public record TenantConfig(
        String name,
        List<String> apiKeySha256s,
        String policy,
        List<String> allowedPolicies,
        List<String> allowedExperts,
        TenantLimits limits) {

    public TenantConfig {
        apiKeySha256s = List.copyOf(apiKeySha256s);
    }

    public boolean mayUsePolicy(String policyName) {
        return allowedPolicies.isEmpty() || allowedPolicies.contains(policyName);
    }

    public boolean mayUseExpert(String expertId) {
        return allowedExperts.isEmpty() || allowedExperts.contains(expertId);
    }
}
