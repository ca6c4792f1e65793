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
 * @param learning        what the learning loop may keep and learn from this tenant
 */
public record TenantConfig(
        String name,
        List<String> apiKeySha256s,
        String policy,
        List<String> allowedPolicies,
        List<String> allowedExperts,
        TenantLimits limits,
        Learning learning) {

    public TenantConfig {
        apiKeySha256s = List.copyOf(apiKeySha256s);
    }

    /** A tenant with the default {@link Learning}: prompts not stored, full trust. */
    public TenantConfig(String name, List<String> apiKeySha256s, String policy, List<String> allowedPolicies,
            List<String> allowedExperts, TenantLimits limits) {
        this(name, apiKeySha256s, policy, allowedPolicies, allowedExperts, limits, Learning.DEFAULT);
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

    public boolean mayUsePolicy(String policyName) {
        return allowedPolicies.isEmpty() || allowedPolicies.contains(policyName);
    }

    public boolean mayUseExpert(String expertId) {
        return allowedExperts.isEmpty() || allowedExperts.contains(expertId);
    }
}
