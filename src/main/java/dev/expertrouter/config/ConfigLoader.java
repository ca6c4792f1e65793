package dev.expertrouter.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.expertrouter.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and validates {@code experts.yaml}, {@code policies.yaml} and {@code tenants.yaml} from one
 * directory. Framework-free, so start-up, hot reload, the {@code validate-config} command and tests
 * share exactly one loader.
 */
public final class ConfigLoader {

    public static final String EXPERTS_FILE = "experts.yaml";
    public static final String POLICIES_FILE = "policies.yaml";
    public static final String TENANTS_FILE = "tenants.yaml";


    /** The domains the shipped router knows; operators add more through experts' quality maps. */
    public static final List<String> BUILT_IN_DOMAINS =
            List.of("medical", "legal", "finance", "code", "math", "science", "humanities", "general");

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
        this(Environment::variable);
    }

    public RouterConfig load(Path dir) {
        ConfigNode expertsRoot = read(dir, EXPERTS_FILE);
        ConfigNode policiesRoot = read(dir, POLICIES_FILE);
        ConfigNode tenantsRoot = read(dir, TENANTS_FILE);

        List<ExpertConfig> experts = ExpertsFile.experts(expertsRoot);
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
            PolicyConfig policy = PoliciesFile.policy(p, expertIds, domains);
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
            TenantConfig tenant = TenantsFile.tenant(t, env, defaultPolicy, policyNames, expertIds);
            if (!tenantNames.add(tenant.name())) {
                throw t.problem("name", "duplicate tenant '" + tenant.name() + "'");
            }
            for (String hash : tenant.apiKeySha256s()) {
                if (!keyHashes.add(hash)) {
                    throw t.problem("api-keys", "a key of this tenant is given to another tenant");
                }
            }
            tenants.add(tenant);
        }
        return new RouterConfig(experts, policies, defaultPolicy, tenants);
    }

    /**
     * Each tenant's {@code trust} from {@code tenants.yaml} alone, for the offline retrain, which
     * bounds what each tenant's feedback teaches as the gateway does. Names and trust are checked
     * as the gateway checks them; keys are not resolved, so their env vars need not be set where the
     * command runs ({@code validate-config} checks the whole file).
     */
    public static Map<String, Double> tenantTrust(Path dir) {
        ConfigNode root = read(dir, TENANTS_FILE);
        root.onlyKeys(Set.of("tenants"));
        Map<String, Double> trust = new LinkedHashMap<>();
        for (ConfigNode t : root.objects("tenants")) {
            t.onlyKeys(TenantsFile.KEYS);
            String name = ConfigNames.name(t, "name");
            if (trust.put(name, TenantsFile.learning(t).trust()) != null) {
                throw t.problem("name", "duplicate tenant '" + name + "'");
            }
        }
        return trust;
    }

    private static ConfigNode read(Path dir, String file) {
        Path path = dir.resolve(file);
        try {
            String text = Files.readString(path);
            JsonNode node = Json.YAML.readTree(text);
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
}
