package dev.expertrouter.config;

import dev.expertrouter.Sha256;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** One tenant of {@code tenants.yaml}: its key (as a digest), policies, experts and limits. */
final class TenantsFile {

    /** Every key a tenant may have. */
    static final Set<String> KEYS = keys();

    private TenantsFile() {
    }

    private static Set<String> keys() {
        java.util.Set<String> keys = new java.util.HashSet<>(Set.of("name", "api-key-sha256", "api-key-env", "policy",
                "allowed-policies", "allowed-experts"));
        keys.add("api-keys");
        keys.addAll(Set.of("store-prompts", "trust"));
        keys.addAll(TenantLimitsFile.KEYS);
        return Set.copyOf(keys);
    }

    static TenantConfig tenant(ConfigNode t, Function<String, String> env, String defaultPolicy, Set<String> policyNames, Set<String> expertIds) {
        t.onlyKeys(KEYS);
        String name = ConfigNames.name(t, "name");
        List<String> hashes = keyHashes(t, env);
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
        return new TenantConfig(name, hashes, policy, allowedPolicies, allowedExperts,
                TenantLimitsFile.limits(t), learning(t));
    }

    /** The learning loop's keys: whether prompts are stored, how much its feedback counts. */
    static TenantConfig.Learning learning(ConfigNode t) {
        TenantConfig.Learning d = TenantConfig.Learning.DEFAULT;
        return new TenantConfig.Learning(t.bool("store-prompts", d.storePrompts()), t.number("trust", d.trust(), 0, 1));
    }

    /**
     * Every key of a tenant, as SHA-256 hex: {@code api-key-sha256}, {@code api-key-env} and the
     * {@code api-keys} list ({@code {sha256: ...}} or {@code {env: VAR}} each), so a new key can be
     * added, rolled out and the old one removed without a moment with no valid key.
     */
    private static List<String> keyHashes(ConfigNode t, Function<String, String> env) {
        List<String> hashes = new java.util.ArrayList<>();
        t.optionalString("api-key-sha256").ifPresent(sha -> hashes.add(sha256Hex(t, "api-key-sha256", sha)));
        t.optionalString("api-key-env").ifPresent(var -> hashes.add(fromEnv(t, "api-key-env", var, env)));
        for (ConfigNode k : t.objects("api-keys")) {
            k.onlyKeys(Set.of("sha256", "env"));
            Optional<String> sha = k.optionalString("sha256");
            Optional<String> var = k.optionalString("env");
            if (sha.isPresent() == var.isPresent()) {
                throw k.problem("give exactly one of sha256 or env");
            }
            hashes.add(sha.isPresent() ? sha256Hex(k, "sha256", sha.get()) : fromEnv(k, "env", var.get(), env));
        }
        if (hashes.isEmpty()) {
            throw t.problem("api-key-sha256", "give the tenant a key: api-key-sha256, api-key-env or api-keys");
        }
        if (new java.util.HashSet<>(hashes).size() != hashes.size()) {
            throw t.problem("api-keys", "the same key is listed twice");
        }
        return hashes;
    }

    private static String sha256Hex(ConfigNode node, String key, String value) {
        String sha = value.toLowerCase(Locale.ROOT);
        if (!ConfigNames.SHA256_HEX.matcher(sha).matches()) {
            throw node.problem(key, "expected 64 hex characters (the SHA-256 of the key, not the key)");
        }
        return sha;
    }

    private static String fromEnv(ConfigNode node, String key, String value, Function<String, String> env) {
        String var = ConfigNames.envName(node, key, value);
        String secret = env.apply(var);
        if (secret == null || secret.isBlank()) {
            throw node.problem(key, "env var " + var + " is not set");
        }
        return Sha256.hex(secret);
    }
}
