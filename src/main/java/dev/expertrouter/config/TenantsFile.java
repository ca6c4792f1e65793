package dev.expertrouter.config;

import dev.expertrouter.Sha256;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** One tenant of {@code tenants.yaml}: its key (as a digest), policies, experts and limits. */
final class TenantsFile {

    private TenantsFile() {
    }

    static TenantConfig tenant(ConfigNode t, Function<String, String> env, String defaultPolicy, Set<String> policyNames, Set<String> expertIds) {
        t.onlyKeys(Set.of("name", "api-key-sha256", "api-key-env", "policy", "allowed-policies", "allowed-experts",
                "rate-limit", "budget"));
        String name = ConfigNames.name(t, "name");
        Optional<String> sha = t.optionalString("api-key-sha256").map(s -> s.toLowerCase(Locale.ROOT));
        Optional<String> keyEnv = t.optionalString("api-key-env");
        if (sha.isPresent() == keyEnv.isPresent()) {
            throw t.problem("api-key-sha256", "give exactly one of api-key-sha256 or api-key-env");
        }
        String hash;
        if (sha.isPresent()) {
            if (!ConfigNames.SHA256_HEX.matcher(sha.get()).matches()) {
                throw t.problem("api-key-sha256", "expected 64 hex characters (the SHA-256 of the key, not the key)");
            }
            hash = sha.get();
        } else {
            String var = ConfigNames.envName(t, "api-key-env", keyEnv.get());
            String key = env.apply(var);
            if (key == null || key.isBlank()) {
                throw t.problem("api-key-env", "env var " + var + " is not set");
            }
            hash = Sha256.hex(key);
        }
        String policy = t.optionalString("policy").orElse(defaultPolicy);
        if (!policyNames.contains(policy)) {
            throw t.problem("policy", "unknown policy '" + policy + "'");
        }
        List<String> allowedPolicies = t.strings("allowed-policies");
        for (String p : allowedPolicies) {
            if (!policyNames.contains(p)) {
                throw t.problem("allowed-policies", "unknown policy '" + p + "'");
            }
        }
        if (!allowedPolicies.isEmpty() && !allowedPolicies.contains(policy)) {
            throw t.problem("policy", "default policy '" + policy + "' is not in allowed-policies");
        }
        List<String> allowedExperts = t.strings("allowed-experts");
        for (String x : allowedExperts) {
            if (!expertIds.contains(x)) {
                throw t.problem("allowed-experts", "unknown expert '" + x + "'");
            }
        }
        Optional<TenantConfig.RateLimit> rateLimit = t.optionalObject("rate-limit").map(r -> {
            r.onlyKeys(Set.of("requests-per-minute", "tokens-per-minute"));
            return new TenantConfig.RateLimit(
                    r.integer("requests-per-minute", 0, 0, 10_000_000),
                    r.longValue("tokens-per-minute", 0, 0, Long.MAX_VALUE));
        });
        Optional<TenantConfig.Budget> budget = t.optionalObject("budget").map(b -> {
            b.onlyKeys(Set.of("usd-per-day", "usd-per-month"));
            return new TenantConfig.Budget(b.number("usd-per-day", 0, 0, 1e9), b.number("usd-per-month", 0, 0, 1e9));
        });
        return new TenantConfig(name, hash, policy, allowedPolicies, allowedExperts, rateLimit, budget);
    }
}
