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
 * @param learning        what the learning loop may keep and learn from this tenant
 */
public record TenantConfig(
        String name,
        String apiKeySha256,
        String policy,
        List<String> allowedPolicies,
        List<String> allowedExperts,
        Optional<RateLimit> rateLimit,
        Optional<Budget> budget,
        Learning learning) {

    /** A tenant with the default {@link Learning}: prompts not stored, full trust. */
    public TenantConfig(String name, String apiKeySha256, String policy, List<String> allowedPolicies,
            List<String> allowedExperts, Optional<RateLimit> rateLimit, Optional<Budget> budget) {
        this(name, apiKeySha256, policy, allowedPolicies, allowedExperts, rateLimit, budget, Learning.DEFAULT);
    }

    /**
     * The tenant's part in the learning loop ({@code store-prompts}, {@code trust} in tenants.yaml).
     *
     * @param storePrompts whether its outcome records keep the prompt text (else only its hash)
     * @param trust        0..1, what each of its feedback scores counts for in the shared estimates
     */
    public record Learning(boolean storePrompts, double trust) {
        public static final Learning DEFAULT = new Learning(false, 1.0);
    }

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
