package dev.expertrouter.config;

import java.util.List;
import java.util.Optional;

/**
 * A caller of the gateway, known by the SHA-256 of its API key.
 *
 * @param name            shown in logs and outcome records (never the key)
 * @param apiKeySha256    lower-case hex SHA-256 of the key, resolved from {@code api-key-env} when that
 *                        is used instead
 * @param policy          the default policy for {@code model: auto}
 * @param allowedPolicies policies the tenant may name; empty = all
 * @param allowedExperts  experts the tenant may force or be routed to; empty = all
 * @param rateLimit       optional request and token rate limits
 * @param budget          optional spend limits
 */
public record TenantConfig(
        String name,
        String apiKeySha256,
        String policy,
        List<String> allowedPolicies,
        List<String> allowedExperts,
        Optional<RateLimit> rateLimit,
        Optional<Budget> budget) {

    public record RateLimit(int requestsPerMinute, long tokensPerMinute) {
    }

    public record Budget(double usdPerDay, double usdPerMonth) {
    }

    public boolean mayUsePolicy(String policyName) {
        return allowedPolicies.isEmpty() || allowedPolicies.contains(policyName);
    }

    public boolean mayUseExpert(String expertId) {
        return allowedExperts.isEmpty() || allowedExperts.contains(expertId);
    }
}
