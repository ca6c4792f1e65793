package dev.expertrouter.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.expertrouter.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code experts.yaml}, {@code policies.yaml} and {@code tenants.yaml} from one
 * directory. Framework-free, so start-up, hot reload, the {@code validate-config} command and tests
 * share exactly one loader.
 */
public final class ConfigLoader {

    public static final String EXPERTS_FILE = "experts.yaml";
    public static final String POLICIES_FILE = "policies.yaml";
    public static final String TENANTS_FILE = "tenants.yaml";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The domains the shipped router knows; operators add more through experts' quality maps. */
    public static final List<String> BUILT_IN_DOMAINS =
            List.of("medical", "legal", "finance", "code", "math", "science", "humanities", "general");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Domains a policy, tenant or caller may name: the built-in ones and any in an expert's quality map. */
    public static Set<String> knownDomains(List<ExpertConfig> experts) {
        Set<String> domains = new java.util.LinkedHashSet<>(BUILT_IN_DOMAINS);
        experts.forEach(e -> domains.addAll(e.quality().keySet()));
        return domains;
    }

    private final Function<String, String> env;

    /** @param env how env vars are read (injected so tests need not touch the process env) */
    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    public ConfigLoader() {
        this(System::getenv);
    }

    public RouterConfig load(Path dir) {
        ConfigNode expertsRoot = read(dir, EXPERTS_FILE);
        ConfigNode policiesRoot = read(dir, POLICIES_FILE);
        ConfigNode tenantsRoot = read(dir, TENANTS_FILE);

        List<ExpertConfig> experts = experts(expertsRoot);
        Set<String> names = new HashSet<>(Set.of(RouterConfig.AUTO));
        for (ExpertConfig e : experts) {
            if (!names.add(e.id())) {
                throw new ConfigException(EXPERTS_FILE, "experts[id=" + e.id() + "].id", "duplicate name '" + e.id() + "'");
            }
        }
        Set<String> expertIds = new HashSet<>(names);
        expertIds.remove(RouterConfig.AUTO);

        policiesRoot.onlyKeys(Set.of("default-policy", "policies"));
        Set<String> domains = knownDomains(experts);
        List<PolicyConfig> policies = new ArrayList<>();
        for (ConfigNode p : policiesRoot.objects("policies")) {
            PolicyConfig policy = policy(p, expertIds, domains);
            if (!names.add(policy.name())) {
                throw p.problem("name", "name '" + policy.name() + "' is already used by an expert, a policy or 'auto'");
            }
            policies.add(policy);
        }
        if (policies.isEmpty()) {
            throw policiesRoot.problem("policies", "at least one policy is required");
        }
        String defaultPolicy = policiesRoot.optionalString("default-policy").orElse(policies.get(0).name());
        if (policies.stream().noneMatch(p -> p.name().equals(defaultPolicy))) {
            throw policiesRoot.problem("default-policy", "unknown policy '" + defaultPolicy + "'");
        }

        Set<String> policyNames = new HashSet<>();
        policies.forEach(p -> policyNames.add(p.name()));
        tenantsRoot.onlyKeys(Set.of("tenants"));
        List<TenantConfig> tenants = new ArrayList<>();
        Set<String> tenantNames = new HashSet<>();
        Set<String> keyHashes = new HashSet<>();
        for (ConfigNode t : tenantsRoot.objects("tenants")) {
            TenantConfig tenant = tenant(t, defaultPolicy, policyNames, expertIds);
            if (!tenantNames.add(tenant.name())) {
                throw t.problem("name", "duplicate tenant '" + tenant.name() + "'");
            }
            if (!keyHashes.add(tenant.apiKeySha256())) {
                throw t.problem("api-key-sha256", "the same key is given to another tenant");
            }
            tenants.add(tenant);
        }
        return new RouterConfig(experts, policies, defaultPolicy, tenants);
    }

    private static ConfigNode read(Path dir, String file) {
        Path path = dir.resolve(file);
        try {
            String text = Files.readString(path);
            JsonNode node = YAML.readTree(text);
            return ConfigNode.root(file, node);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, "", "file not found in " + dir.toAbsolutePath());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException(file, "", "not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file, "", "cannot be read: " + e.getMessage());
        }
    }

    private List<ExpertConfig> experts(ConfigNode root) {
        root.onlyKeys(Set.of("experts"));
        List<ExpertConfig> experts = new ArrayList<>();
        for (ConfigNode e : root.objects("experts")) {
            experts.add(expert(e));
        }
        if (experts.isEmpty()) {
            throw root.problem("experts", "at least one expert is required");
        }
        return experts;
    }

    private ExpertConfig expert(ConfigNode e) {
        e.onlyKeys(Set.of("id", "base-url", "model", "api-key-env", "headers-env", "price", "quality", "latency-ms",
                "context-window", "timeout-ms", "max-concurrency", "simulated", "fault-tolerance"));
        String id = name(e, "id");
        Optional<SimulatedConfig> simulated = e.optionalObject("simulated").map(ConfigLoader::simulated);
        Optional<String> baseUrl = e.optionalString("base-url");
        if (simulated.isPresent() && baseUrl.isPresent()) {
            throw e.problem("base-url", "an expert is either simulated or has a base-url, not both");
        }
        if (simulated.isEmpty() && baseUrl.isEmpty()) {
            throw e.problem("base-url", "is required unless the expert has a 'simulated' block");
        }
        baseUrl.ifPresent(url -> {
            String lower = url.toLowerCase(Locale.ROOT);
            if (!(lower.startsWith("http://") || lower.startsWith("https://"))) {
                throw e.problem("base-url", "must start with http:// or https://");
            }
        });
        Optional<String> apiKeyEnv = e.optionalString("api-key-env");
        apiKeyEnv.ifPresent(name -> envName(e, "api-key-env", name));
        var headersEnv = e.stringMap("headers-env");
        headersEnv.forEach((header, var) -> envName(e, "headers-env." + header, var));
        Price price = e.optionalObject("price").map(p -> {
            p.onlyKeys(Set.of("input-per-mtok", "output-per-mtok"));
            return new Price(p.requiredNumber("input-per-mtok", 0, 10_000), p.requiredNumber("output-per-mtok", 0, 10_000));
        }).orElse(Price.FREE);
        var quality = e.numberMap("quality", 0, 1);
        return new ExpertConfig(
                id,
                baseUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).orElse(""),
                e.optionalString("model").orElse(id),
                apiKeyEnv.orElse(null),
                headersEnv,
                price,
                quality,
                e.integer("latency-ms", 1000, 1, 600_000),
                e.integer("context-window", 8192, 256, 10_000_000),
                e.integer("timeout-ms", 30_000, 1, 600_000),
                e.integer("max-concurrency", 64, 1, 100_000),
                simulated,
                e.optionalObject("fault-tolerance").map(ConfigLoader::faultTolerance).orElse(FaultToleranceConfig.DEFAULTS));
    }

    private static FaultToleranceConfig faultTolerance(ConfigNode f) {
        f.onlyKeys(Set.of("retries", "backoff-ms", "jitter-ms", "circuit-breaker", "bulkhead"));
        FaultToleranceConfig d = FaultToleranceConfig.DEFAULTS;
        ConfigNode cb = f.optionalObject("circuit-breaker").orElse(null);
        if (cb != null) {
            cb.onlyKeys(Set.of("failure-ratio", "request-volume", "delay-ms", "success-threshold"));
        }
        ConfigNode bulkhead = f.optionalObject("bulkhead").orElse(null);
        if (bulkhead != null) {
            bulkhead.onlyKeys(Set.of("queue-size"));
        }
        return new FaultToleranceConfig(
                f.integer("retries", d.retries(), 0, 10),
                f.integer("backoff-ms", d.backoffMs(), 0, 60_000),
                f.integer("jitter-ms", d.jitterMs(), 0, 60_000),
                cb == null ? d.failureRatio() : cb.number("failure-ratio", d.failureRatio(), 0.01, 1),
                cb == null ? d.requestVolume() : cb.integer("request-volume", d.requestVolume(), 1, 10_000),
                cb == null ? d.openDelayMs() : cb.integer("delay-ms", d.openDelayMs(), 1, 3_600_000),
                cb == null ? d.successThreshold() : cb.integer("success-threshold", d.successThreshold(), 1, 1_000),
                bulkhead == null ? d.queueSize() : bulkhead.integer("queue-size", d.queueSize(), 1, 100_000));
    }

    private static SimulatedConfig simulated(ConfigNode s) {
        s.onlyKeys(Set.of("latency-ms", "latency-jitter-ms", "error-rate", "output-tokens", "tokens-per-second", "source",
                "error-status", "retry-after-seconds", "latency-spike-rate", "latency-spike-ms", "hang-rate", "reset-rate",
                "malformed-rate", "drop-rate", "drop-after-chunks"));
        SimulatedConfig d = SimulatedConfig.DEFAULTS;
        return new SimulatedConfig(
                s.integer("latency-ms", d.latencyMs(), 0, 600_000),
                s.integer("latency-jitter-ms", d.latencyJitterMs(), 0, 600_000),
                s.number("error-rate", d.errorRate(), 0, 1),
                s.integer("output-tokens", d.outputTokens(), 1, 100_000),
                s.integer("tokens-per-second", d.tokensPerSecond(), 1, 1_000_000),
                s.integer("error-status", d.errorStatus(), 400, 599),
                s.integer("retry-after-seconds", d.retryAfterSeconds(), 0, 3_600),
                s.number("latency-spike-rate", d.latencySpikeRate(), 0, 1),
                s.integer("latency-spike-ms", d.latencySpikeMs(), 0, 600_000),
                s.number("hang-rate", d.hangRate(), 0, 1),
                s.number("reset-rate", d.resetRate(), 0, 1),
                s.number("malformed-rate", d.malformedRate(), 0, 1),
                s.number("drop-rate", d.dropRate(), 0, 1),
                s.integer("drop-after-chunks", d.dropAfterChunks(), 0, 100_000));
    }

    private static PolicyConfig policy(ConfigNode p, Set<String> expertIds, Set<String> domains) {
        p.onlyKeys(Set.of("name", "default-expert", "description", "weights", "limits", "allowed-experts",
                "denied-experts", "escalation", "risk-tiers", "reference-expert"));
        String name = name(p, "name");
        Optional<String> defaultExpert = p.optionalString("default-expert");
        defaultExpert.ifPresent(id -> knownExpert(p, "default-expert", id, expertIds));
        Optional<String> referenceExpert = p.optionalString("reference-expert");
        referenceExpert.ifPresent(id -> knownExpert(p, "reference-expert", id, expertIds));

        PolicyConfig.Weights d = PolicyConfig.Weights.DEFAULT;
        PolicyConfig.Weights weights = p.optionalObject("weights").map(w -> {
            w.onlyKeys(Set.of("quality", "cost", "latency"));
            return new PolicyConfig.Weights(
                    w.number("quality", d.quality(), 0, 1000),
                    w.number("cost", d.cost(), 0, 1000),
                    w.number("latency", d.latency(), 0, 1000));
        }).orElse(d);

        PolicyConfig.Limits limits = p.optionalObject("limits").map(l -> {
            l.onlyKeys(Set.of("max-cost-usd", "max-latency-ms", "min-quality"));
            OptionalDouble maxCost = l.has("max-cost-usd")
                    ? OptionalDouble.of(l.number("max-cost-usd", 0, 0, 1e6)) : OptionalDouble.empty();
            OptionalLong maxLatency = l.has("max-latency-ms")
                    ? OptionalLong.of(l.longValue("max-latency-ms", 0, 1, 3_600_000)) : OptionalLong.empty();
            return new PolicyConfig.Limits(maxCost, maxLatency, l.number("min-quality", 0, 0, 1));
        }).orElse(PolicyConfig.Limits.NONE);

        List<String> allowed = knownExperts(p, "allowed-experts", expertIds);
        List<String> denied = knownExperts(p, "denied-experts", expertIds);
        for (String x : denied) {
            if (allowed.contains(x)) {
                throw p.problem("denied-experts", "expert '" + x + "' is both allowed and denied");
            }
        }
        if (!allowed.isEmpty() && allowed.stream().allMatch(denied::contains)) {
            throw p.problem("allowed-experts", "no expert is left once denied-experts are removed");
        }

        PolicyConfig.Escalation escalation = p.optionalObject("escalation").map(esc -> escalation(esc, expertIds))
                .orElse(PolicyConfig.Escalation.DEFAULT);

        List<PolicyConfig.RiskTier> tiers = new ArrayList<>();
        for (ConfigNode t : p.objects("risk-tiers")) {
            t.onlyKeys(Set.of("domains", "min-probability", "min-quality", "allowed-experts"));
            List<String> tierDomains = t.strings("domains");
            if (tierDomains.isEmpty()) {
                throw t.problem("domains", "is required (a list of domains)");
            }
            for (String dom : tierDomains) {
                if (!domains.contains(dom)) {
                    throw t.problem("domains", "unknown domain '" + dom + "' (known: "
                            + String.join(", ", domains.stream().sorted().toList()) + ")");
                }
            }
            List<String> tierAllowed = knownExperts(t, "allowed-experts", expertIds);
            double minQuality = t.number("min-quality", 0, 0, 1);
            if (minQuality == 0 && tierAllowed.isEmpty()) {
                throw t.problem("min-quality", "a risk tier needs min-quality or allowed-experts, else it does nothing");
            }
            tiers.add(new PolicyConfig.RiskTier(tierDomains, t.number("min-probability", 0.3, 0, 1), minQuality,
                    tierAllowed));
        }
        return new PolicyConfig(name, defaultExpert, p.optionalString("description").orElse(""), weights, limits,
                allowed, denied, escalation, tiers, referenceExpert);
    }

    private static PolicyConfig.Escalation escalation(ConfigNode esc, Set<String> expertIds) {
        esc.onlyKeys(Set.of("confidence-threshold", "mode", "expert", "top-k"));
        PolicyConfig.Escalation d = PolicyConfig.Escalation.DEFAULT;
        String modeName = esc.optionalString("mode").orElse(d.mode().yamlName());
        PolicyConfig.EscalationMode mode = null;
        for (PolicyConfig.EscalationMode m : PolicyConfig.EscalationMode.values()) {
            if (m.yamlName().equals(modeName)) {
                mode = m;
            }
        }
        if (mode == null) {
            throw esc.problem("mode", "unknown mode '" + modeName + "' (allowed: strongest, expert, top-k)");
        }
        Optional<String> expert = esc.optionalString("expert");
        expert.ifPresent(id -> knownExpert(esc, "expert", id, expertIds));
        if (expert.isPresent() && mode != PolicyConfig.EscalationMode.EXPERT) {
            throw esc.problem("expert", "only used with mode: expert");
        }
        return new PolicyConfig.Escalation(esc.number("confidence-threshold", d.confidenceThreshold(), 0, 1), mode,
                expert, esc.integer("top-k", d.topK(), 1, 100));
    }

    private static void knownExpert(ConfigNode node, String key, String id, Set<String> expertIds) {
        if (!expertIds.contains(id)) {
            throw node.problem(key, "unknown expert '" + id + "'");
        }
    }

    private static List<String> knownExperts(ConfigNode node, String key, Set<String> expertIds) {
        List<String> ids = node.strings(key);
        ids.forEach(id -> knownExpert(node, key, id, expertIds));
        return ids;
    }

    private TenantConfig tenant(ConfigNode t, String defaultPolicy, Set<String> policyNames, Set<String> expertIds) {
        t.onlyKeys(Set.of("name", "api-key-sha256", "api-key-env", "policy", "allowed-policies", "allowed-experts",
                "rate-limit", "budget"));
        String name = name(t, "name");
        Optional<String> sha = t.optionalString("api-key-sha256").map(s -> s.toLowerCase(Locale.ROOT));
        Optional<String> keyEnv = t.optionalString("api-key-env");
        if (sha.isPresent() == keyEnv.isPresent()) {
            throw t.problem("api-key-sha256", "give exactly one of api-key-sha256 or api-key-env");
        }
        String hash;
        if (sha.isPresent()) {
            if (!SHA256_HEX.matcher(sha.get()).matches()) {
                throw t.problem("api-key-sha256", "expected 64 hex characters (the SHA-256 of the key, not the key)");
            }
            hash = sha.get();
        } else {
            String var = envName(t, "api-key-env", keyEnv.get());
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

    private static String name(ConfigNode node, String key) {
        String value = node.string(key);
        if (!NAME.matcher(value).matches()) {
            throw node.problem(key, "'" + value + "' is not a valid name (letters, digits, '.', '_', '-', at most 64)");
        }
        return value;
    }

    private static String envName(ConfigNode node, String key, String value) {
        if (!ENV_NAME.matcher(value).matches()) {
            throw node.problem(key, "'" + value + "' is not an env var name (put the secret in the env var, never in YAML)");
        }
        return value;
    }
}
