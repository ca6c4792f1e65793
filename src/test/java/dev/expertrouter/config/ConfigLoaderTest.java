package dev.expertrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.expertrouter.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String EXPERTS = """
            experts:
              - id: a
                simulated: {latency-ms: 1}
                quality: {general: 0.5}
              - id: b
                base-url: http://127.0.0.1:9/v1/
                api-key-env: B_KEY
                price: {input-per-mtok: 1, output-per-mtok: 2}
            """;
    static final String POLICIES = """
            default-policy: p
            policies:
              - name: p
                default-expert: a
            """;
    static final String TENANTS = """
            tenants:
              - name: t
                api-key-sha256: %s
            """.formatted(Sha256.hex("k"));

    @TempDir
    Path dir;

    private RouterConfig load(String experts, String policies, String tenants) throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), experts);
        Files.writeString(dir.resolve("policies.yaml"), policies);
        Files.writeString(dir.resolve("tenants.yaml"), tenants);
        return new ConfigLoader(Map.of("T_KEY", "secret")::get).load(dir);
    }

    private void assertRefused(String experts, String policies, String tenants, String file, String key, String problem) {
        assertThatThrownBy(() -> load(experts, policies, tenants))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    ConfigException c = (ConfigException) e;
                    assertThat(c.file()).isEqualTo(file);
                    assertThat(c.key()).isEqualTo(key);
                    assertThat(c.problem()).contains(problem);
                    assertThat(c.getMessage()).startsWith(file + ": " + key);
                });
    }

    @Test
    void theShippedDemoConfigLoads() {
        RouterConfig config = new ConfigLoader().load(Path.of("config"));
        assertThat(config.experts()).extracting(ExpertConfig::id)
                .contains("big-generalist", "small-generalist", "med-expert", "legal-expert", "finance-expert",
                        "code-expert", "math-expert", "science-expert");
        assertThat(config.experts()).allMatch(ExpertConfig::isSimulated);
        assertThat(config.tenants()).flatExtracting(TenantConfig::apiKeySha256s).contains(Sha256.hex("sk-router-demo"));
    }

    @Test
    void minimalFilesGetDefaults() throws IOException {
        RouterConfig config = load(EXPERTS, POLICIES, TENANTS);
        ExpertConfig b = config.expert("b").orElseThrow();
        assertThat(b.baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
        assertThat(b.model()).isEqualTo("b");
        assertThat(b.qualityFor("medical")).isEqualTo(0.5);
        assertThat(b.price().costUsd(1_000_000, 1_000_000)).isEqualTo(3.0);
        assertThat(config.tenants().get(0).policy()).isEqualTo("p");
        assertThat(config.expert("a").orElseThrow().qualityFor("legal")).isEqualTo(0.5);
    }

    @Test
    void tenantKeyMayComeFromAnEnvVar() throws IOException {
        RouterConfig config = load(EXPERTS, POLICIES, "tenants:\n  - name: t\n    api-key-env: T_KEY\n");
        assertThat(config.tenants().get(0).apiKeySha256s()).containsExactly(Sha256.hex("secret"));
    }

    @Test
    void invalidYamlNamesTheFileAndLine() {
        assertRefused("experts: [\n  - id: a\n", POLICIES, TENANTS, "experts.yaml", "", "not valid YAML at line");
    }

    @Test
    void missingFileIsNamed() throws IOException {
        Files.writeString(dir.resolve("experts.yaml"), EXPERTS);
        Files.writeString(dir.resolve("policies.yaml"), POLICIES);
        assertThatThrownBy(() -> new ConfigLoader().load(dir)).hasMessageStartingWith("tenants.yaml: file not found");
    }

    @Test
    void unknownKeyIsRefusedNotIgnored() {
        assertRefused(EXPERTS.replace("quality:", "qualty:"), POLICIES, TENANTS, "experts.yaml", "experts[0].qualty", "unknown key");
    }

    @Test
    void qualityOutOfRange() {
        assertRefused(EXPERTS.replace("general: 0.5", "general: 1.5"), POLICIES, TENANTS, "experts.yaml",
                "experts[0].quality.general", "between 0.0 and 1.0");
    }

    @Test
    void expertNeedsBaseUrlOrSimulatedButNotBoth() {
        assertRefused(EXPERTS.replace("base-url: http://127.0.0.1:9/v1/", "model: x"), POLICIES, TENANTS,
                "experts.yaml", "experts[1].base-url", "is required unless");
        assertRefused(EXPERTS.replace("simulated: {latency-ms: 1}", "simulated: {latency-ms: 1}\n    base-url: http://x"),
                POLICIES, TENANTS, "experts.yaml", "experts[0].base-url", "not both");
    }

    @Test
    void secretsAreNeverAcceptedInYaml() {
        assertRefused(EXPERTS.replace("api-key-env: B_KEY", "api-key-env: sk-live-abc123"), POLICIES, TENANTS,
                "experts.yaml", "experts[1].api-key-env", "not an env var name");
        assertRefused(EXPERTS, POLICIES, "tenants:\n  - name: t\n    api-key-sha256: sk-plain-key\n",
                "tenants.yaml", "tenants[0].api-key-sha256", "64 hex characters");
    }

    @Test
    void namesAreUniqueAcrossExpertsPoliciesAndAuto() {
        assertRefused(EXPERTS, POLICIES.replace("name: p", "name: a").replace("default-policy: p", "default-policy: a"),
                TENANTS, "policies.yaml", "policies[0].name", "already used");
        assertRefused(EXPERTS.replace("id: b", "id: auto"), POLICIES, TENANTS, "experts.yaml", "experts[id=auto].id", "duplicate name");
    }

    @Test
    void referencesMustResolve() {
        assertRefused(EXPERTS, POLICIES.replace("default-expert: a", "default-expert: zz"), TENANTS,
                "policies.yaml", "policies[0].default-expert", "unknown expert 'zz'");
        assertRefused(EXPERTS, POLICIES, TENANTS + "    policy: nope\n", "tenants.yaml", "tenants[0].policy", "unknown policy");
        assertRefused(EXPERTS, POLICIES, TENANTS + "    allowed-experts: [zz]\n", "tenants.yaml", "tenants[0].allowed-experts", "unknown expert");
    }

    @Test
    void unsetKeyEnvIsNamed() {
        assertRefused(EXPERTS, POLICIES, "tenants:\n  - name: t\n    api-key-env: MISSING_VAR\n",
                "tenants.yaml", "tenants[0].api-key-env", "MISSING_VAR is not set");
    }

    @Test
    void wrongTypesAreNamed() {
        assertRefused(EXPERTS.replace("latency-ms: 1}", "latency-ms: fast}"), POLICIES, TENANTS,
                "experts.yaml", "experts[0].simulated.latency-ms", "expected a whole number");
        assertRefused("experts: {}\n", POLICIES, TENANTS, "experts.yaml", "experts", "expected a list");
        assertRefused("", POLICIES, TENANTS, "experts.yaml", "", "file is empty");
    }
}
